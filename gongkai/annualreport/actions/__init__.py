"""State changes of the annual report: one action per step (`gongkai.core.domain.action`).

- `report_start(agency, year, *, actor)`: a draft with 一 / 五 / 六 pre-filled with the year's facts.
- `report_update_prose(report, *, actor, section1, section5, section6)`
- `figure_set(agency, year, key, value, source, *, actor)` / `figure_delete(figure, *, actor)`
- `figures_import(agency, year, data, filename, *, actor)`: all rows or none.
- `previous_upload(agency, year, data, filename, *, actor)`: last year's published report file.
- `warning_explain(report, finding_id, reason, *, actor)`
- `report_sign(report, *, actor)`: office head only; errors block, warnings need reasons;
  stores the signed snapshot (cells, prose, findings, reasons, drill-down refs).
- `report_reopen(report, reason, *, actor)`: a correction; the next signature is a new revision.
- `report_page_prepare` / `report_page_publish`: the signed revision goes to the portal in two
  actions (see `publication.py`), run in order by `gongkai.annualreport.release.report_publish`.
- `reminder_send(agency, year, *, on)`: from the reminders command.

Each refused step raises `DomainError` (Chinese message) and changes nothing.
"""

from .draft import report_start, report_update_prose
from .explanations import warning_explain
from .figures import figure_delete, figure_set, figures_import
from .previous import previous_upload
from .publication import report_page_prepare, report_page_publish
from .reminders import reminder_send
from .signing import report_reopen, report_sign

__all__ = [
    "figure_delete", "figure_set", "figures_import", "previous_upload", "reminder_send", "report_page_prepare",
    "report_page_publish", "report_reopen", "report_sign", "report_start", "report_update_prose",
    "warning_explain",
]
