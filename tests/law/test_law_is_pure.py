"""gongkai.law is the pure legal core: no module under it imports Django, Wagtail or the rest of gongkai."""

from __future__ import annotations

import ast
from pathlib import Path

import gongkai.law

LAW = Path(gongkai.law.__file__).resolve().parent
FORBIDDEN = ("django", "wagtail")


def _imports(tree: ast.AST, package: str = ""):
    """(line, absolute module name) of every import; relative ones resolved against ``package``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            parts = package.split(".")
            base = parts[: len(parts) - node.level + 1] if node.level <= len(parts) else ["<outside>"]
            yield node.lineno, ".".join(base + ([node.module] if node.module else []))
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
              in ("import_module", "__import__") and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield node.lineno, node.args[0].value


def _forbidden(name: str, root_name: str) -> bool:
    top = name.split(".")[0]
    if top in FORBIDDEN:
        return True
    # the rest of the project (gongkai.core, the apps …); the law itself is fine
    return top in ("gongkai", "<outside>") and not (name == root_name or name.startswith(root_name + "."))


def _offenders(root: Path, root_name: str = "gongkai.law") -> list[str]:
    bad = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        package = ".".join([root_name, *rel.parts[:-1]])  # what a relative import is relative to
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for lineno, name in _imports(tree, package):
            if _forbidden(name, root_name):
                bad.append(f"{path.relative_to(root.parent)}:{lineno} imports {name}")
    return bad


def test_no_module_under_gongkai_law_imports_django_wagtail_or_other_gongkai_code():
    files = list(LAW.rglob("*.py"))
    assert len(files) > 3, "the scan must see the law package"
    assert _offenders(LAW) == []


def test_the_scan_catches_an_import(tmp_path):
    pkg = tmp_path / "law"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "ok.py").write_text("import re\n", encoding="utf-8")
    (pkg / "sub" / "bad.py").write_text("def f():\n    from django.db import models\n",
                                        encoding="utf-8")
    (pkg / "dyn.py").write_text("import importlib\nimportlib.import_module('wagtail.models')\n",
                                encoding="utf-8")
    assert len(_offenders(pkg)) == 2


def test_the_scan_catches_imports_of_the_rest_of_the_project(tmp_path):
    pkg = tmp_path / "law"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "fine.py").write_text("from gongkai.law.calendar import Calendar\nfrom . import calendar\n"
                                 "from .sub import x\n", encoding="utf-8")
    (pkg / "sub" / "near.py").write_text("from .. import receipt\nfrom ..calendar import Calendar\n",
                                         encoding="utf-8")
    (pkg / "core.py").write_text("from gongkai.core import clock\n", encoding="utf-8")
    (pkg / "sub" / "up.py").write_text("from ...applications import models\n", encoding="utf-8")
    (pkg / "sub" / "way_up.py").write_text("from .... import anything\n", encoding="utf-8")
    found = _offenders(pkg)
    assert [line.split(" imports ")[1] for line in found] == [
        "gongkai.core", "gongkai.applications", "<outside>"], found
