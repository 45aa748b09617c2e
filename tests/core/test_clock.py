"""One seam for today/now: `gongkai.core.clock`, looked up at call time by every app."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

import gongkai

ROOT = Path(gongkai.__file__).resolve().parent
SEAM = ROOT / "core" / "clock.py"


def _violations() -> list[str]:
    bad = []
    for path in sorted(ROOT.rglob("*.py")):
        if path == SEAM or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("today", "now") and node.col_offset == 0:
                bad.append(f"{where}:{node.lineno} defines its own {node.name}()")
            if isinstance(node, ast.ImportFrom) and node.module == "gongkai.core.clock":
                bad.append(f"{where}:{node.lineno} binds clock functions at import time")
    return bad


def test_no_module_keeps_its_own_today_or_binds_the_seam_at_import():
    assert _violations() == []


@pytest.mark.django_db
def test_one_freeze_moves_every_app(fixed_today, agency, staff_factory):
    from gongkai.agencies.roles import Role
    from gongkai.annualreport import selectors as report_selectors
    from gongkai.applications.caseclock import clock_for
    from gongkai.core import clock
    from gongkai.interaction.deadlines import message_deadline
    from tests.applications.helpers import register
    from tests.factories import make_agency
    from tests.interaction.conftest import make_message

    officer = staff_factory(agency, Role.APPLICATION_OFFICER, "clock_officer")
    supervising = make_agency("测试市政府办公室")
    agency.supervisor = supervising
    agency.save()
    supervisor = staff_factory(supervising, Role.SUPERVISOR, "clock_supervisor")

    fixed_today(date(2026, 1, 20))
    assert clock.today() == date(2026, 1, 20) and clock.now().date() == date(2026, 1, 20)
    app = register(agency, officer, received=date(2026, 1, 19))
    message = make_message(agency, received_on=date(2026, 1, 19))
    (row,), _totals = report_selectors.supervision_overview(supervisor, 2025)
    assert not row.late  # the 2025 report is due on 31 January 2026

    fixed_today(date(2026, 3, 2))
    assert clock_for(app) == clock_for(app, on=date(2026, 3, 2)) != clock_for(app, on=date(2026, 1, 20))
    assert message_deadline(message).today == date(2026, 3, 2)
    (row,), _totals = report_selectors.supervision_overview(supervisor, 2025)
    assert row.late
