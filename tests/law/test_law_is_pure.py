"""gongkai.law is the pure legal core: no module under it may import Django or Wagtail."""

from __future__ import annotations

import ast
from pathlib import Path

import gongkai.law

LAW = Path(gongkai.law.__file__).resolve().parent
FORBIDDEN = ("django", "wagtail")


def _imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
              in ("import_module", "__import__") and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield node.lineno, node.args[0].value


def _offenders(root: Path) -> list[str]:
    bad = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for lineno, name in _imports(tree):
            if name.split(".")[0] in FORBIDDEN:
                bad.append(f"{path.relative_to(root.parent)}:{lineno} imports {name}")
    return bad


def test_no_module_under_gongkai_law_imports_django_or_wagtail():
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
