"""Every state change is an action by construction: atomic, audited, with one error type.

Every module under `gongkai` whose dotted path contains `.actions` is imported; each
public function defined there must be a `gongkai.core.domain.action` (it carries
`audit_code`, a code of `gongkai.audit.codes.ACTIONS`). The source is searched for
hand-written copies of what `gongkai.core.domain` provides, and for the layering rules.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import gongkai
from gongkai.audit.codes import ACTIONS

ROOT = Path(gongkai.__file__).parent
DOMAIN = ROOT / "core" / "domain.py"


def action_modules() -> list:
    names = sorted(info.name for info in pkgutil.walk_packages(gongkai.__path__, "gongkai.")
                   if ".actions" in info.name)
    return [importlib.import_module(name) for name in names]


def public_functions(module) -> list:
    return [(name, obj) for name, obj in vars(module).items()
            if inspect.isfunction(obj) and not name.startswith("_") and obj.__module__ == module.__name__]


def test_the_walk_finds_every_app_s_actions():
    names = {m.__name__ for m in action_modules()}
    for expected in ("gongkai.agencies.actions", "gongkai.calendars.actions", "gongkai.portal.actions",
                     "gongkai.applications.actions.decision", "gongkai.applications.actions.templates",
                     "gongkai.interaction.actions.conversion", "gongkai.interaction.actions.batch",
                     "gongkai.annualreport.actions.signing", "gongkai.annualreport.actions.publication"):
        assert expected in names
    assert sum(len(public_functions(m)) for m in action_modules()) >= 60


def test_every_public_function_of_an_actions_module_is_an_audited_action():
    problems = []
    for module in action_modules():
        for name, fn in public_functions(module):
            code = getattr(fn, "audit_code", None)
            if code is None:
                problems.append(f"{module.__name__}.{name}: not an @action (move a non-state-changing "
                                "function to selectors.py or a helper module)")
            elif code not in ACTIONS:
                problems.append(f"{module.__name__}.{name}: audit code {code!r} is not in gongkai/audit/codes.py")
    assert not problems, "\n".join(problems)


def _sources(*, skip_law: bool = True):
    for path in sorted(ROOT.rglob("*.py")):
        if skip_law and path.is_relative_to(ROOT / "law"):
            continue
        if "migrations" in path.parts:
            continue
        yield path, path.read_text(encoding="utf-8")


COPIES = re.compile(r"^\s*(def _lock\b|def _require_status\b|class \w*Error\((?:[\w.]+\.)?ValueError\))", re.M)


def test_no_app_reimplements_lock_require_status_or_the_error():
    """gongkai.law keeps its own errors (ClockError, ReportError …): the pure core imports no Django."""
    found = [f"{path.relative_to(ROOT.parent)}: {m.group(1)}"
             for path, text in _sources() if path != DOMAIN for m in COPIES.finditer(text)]
    assert not found, "use gongkai.core.domain (DomainError, lock, require_status):\n" + "\n".join(found)


def test_actions_modules_carry_no_hand_written_transaction():
    found = [str(path.relative_to(ROOT.parent)) for path, text in _sources()
             if ".actions" in ".".join(path.with_suffix("").relative_to(ROOT.parent).parts)
             and "@transaction.atomic" in text]
    assert not found, f"@action is the transaction: {found}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            out.add(("." * node.level) + (node.module or ""))
    return out


def test_domain_imports_django_and_the_audit_codes_only():
    imports = _imports(DOMAIN) - {"__future__"}
    ours = {name for name in imports if name.startswith(("gongkai", "."))}
    assert ours == {"gongkai.audit.codes"}, imports
    assert not {name for name in _imports(ROOT / "audit" / "codes.py") if name.startswith(("gongkai", "."))}
    assert "gongkai.core.domain" in _imports(ROOT / "audit" / "record.py")


def test_applications_do_not_depend_on_interaction():
    """The Art. 39 conversion lives on one side: interaction imports applications, never the reverse."""
    pattern = re.compile(r"gongkai\.interaction|from \.\.interaction")
    found = [f"{path.relative_to(ROOT.parent)}:{n}" for path, text in _sources()
             if path.is_relative_to(ROOT / "applications")
             for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)]
    assert not found, found
