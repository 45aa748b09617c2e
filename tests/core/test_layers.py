"""The house's layers and its import graph, checked on every run.

`.importlinter` states the layers (law < core/agencies/audit/calendars/accounts <
applications < interaction < portal/annualreport < cli) and that the legal core imports
no Django; import-linter checks every import of every module, so a new module is covered
without a line here. The cycle check covers what layers cannot: modules of one layer (or
one app) importing each other in a circle.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Cycles still open, each with why. Keep empty; the test fails when one is added.
KNOWN_CYCLES = {
    frozenset({"gongkai.law.reportformat.model", "gongkai.law.reportformat.rules"}):
        "ParsedReport.to_json_dict computes findings with rules.check when none are given",
}


def test_layers_contract_is_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache", str(ROOT / ".importlinter")], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_new_import_cycle():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from import_report import cycles
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    found = {frozenset(group) for group in cycles()}
    new = [sorted(group) for group in found if group not in KNOWN_CYCLES]
    assert not new, f"import cycles: {new} (scripts/import_report.py lists them)"
