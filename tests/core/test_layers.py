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
    found = [sorted(group) for group in cycles()]
    assert not found, f"import cycles: {found} (scripts/import_report.py lists them)"
