"""The report tables as HTML for the admin pages: the official grid, each value a link to its records."""

from __future__ import annotations

from html import escape

from django.utils.safestring import mark_safe

from gongkai.law.reportformat.layout import grids


def tables_html(doc, link=None, *, changed: set[str] | None = None) -> dict[str, str]:
    """Section name → the table as safe HTML; ``link(key)`` gives the drill-down URL of a cell."""
    out = {}
    for name, grid in grids(doc).items():
        rows = []
        for row in grid.rows:
            tds = []
            for c in row:
                attrs = [f'class="gk-{c.kind}{" gk-changed" if changed and c.key in changed else ""}"']
                if c.rowspan > 1:
                    attrs.append(f'rowspan="{c.rowspan}"')
                if c.colspan > 1:
                    attrs.append(f'colspan="{c.colspan}"')
                text = escape(c.text)
                if c.key:
                    attrs.append(f'data-key="{escape(c.key)}"')
                    shown = text or "（空）"
                    if link is not None:
                        text = f'<a href="{escape(link(c.key))}" title="查看构成该数字的记录">{shown}</a>'
                    else:
                        text = shown
                tds.append(f"<td {' '.join(attrs)}>{text}</td>")
            rows.append("<tr>" + "".join(tds) + "</tr>")
        out[name] = mark_safe(f'<table class="gk-report-table gk-{name}">' + "".join(rows) + "</table>")
    return out

