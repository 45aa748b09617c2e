"""Section 二 figures (the active disclosure counts): one at a time, deleted, or imported from a file."""

from __future__ import annotations

from gongkai.audit.record import record
from gongkai.core.domain import DomainError, action
from gongkai.law.reportformat import spec

from ..figures import figure_label, figure_specs, parse_import, parse_value
from ..models import ActiveFigure, FigureVia
from ._common import _check_editor, _check_year, _dec, _require_period_open


def _figure_key(year: int, key: str) -> str:
    keys = {s.key for s in figure_specs(spec.format_for_year(year))}
    if key not in keys:
        raise DomainError(f"“{key}”不是{year}年度报告格式第二部分的指标。", field="key")
    return key


@action("annualreport.figure_set")
def figure_set(agency, year, key: str, value, source: str, *, actor) -> ActiveFigure:
    """Enter (or change) one section 二 figure with its source."""
    _check_editor(actor, agency)
    year = _check_year(year)
    key = _figure_key(year, key)
    _require_period_open(agency, year, "修改第二部分数据")
    number = parse_value(key, value)
    source = (source or "").strip()
    if not source:
        raise DomainError(f"请填写“{figure_label(key)}”的数据来源（来自哪个系统或台账）。", field="source")
    if len(source) > 200:
        raise DomainError("数据来源不超过 200 字。", field="source")
    figure = ActiveFigure.objects.select_for_update().filter(agency=agency, year=year, key=key).first()
    old = None
    if figure is not None:
        if figure.value == number and figure.source == source:
            raise DomainError(f"“{figure_label(key)}”没有变化。", field="value")
        old = {"value": _dec(figure.value), "source": figure.source}
        figure.value, figure.source, figure.via, figure.entered_by = number, source, FigureVia.FORM, actor
        figure.save()
    else:
        figure = ActiveFigure.objects.create(agency=agency, year=year, key=key, value=number, source=source,
                                             via=FigureVia.FORM, entered_by=actor)
    record("annualreport.figure_set", actor=actor, agency=agency, subject=figure, old=old,
           new={"year": year, "key": key, "value": _dec(number), "source": source})
    return figure


@action("annualreport.figure_delete")
def figure_delete(figure: ActiveFigure, *, actor) -> None:
    _check_editor(actor, figure.agency)
    _require_period_open(figure.agency, figure.year, "删除第二部分数据")
    old = {"year": figure.year, "key": figure.key, "value": _dec(figure.value), "source": figure.source}
    record("annualreport.figure_delete", actor=actor, agency=figure.agency, subject=figure, old=old)
    ActiveFigure.objects.filter(pk=figure.pk).delete()


@action("annualreport.figures_import")
def figures_import(agency, year, data: bytes, filename: str, *, actor) -> list[ActiveFigure]:
    """Import figures from CSV / XLSX: nothing is stored unless every row is right."""
    _check_editor(actor, agency)
    year = _check_year(year)
    _require_period_open(agency, year, "导入第二部分数据")
    result = parse_import(data, filename, year=year)
    if result.errors:
        raise DomainError(f"导入文件有 {len(result.errors)} 处错误，未导入任何数据。请改正后重新上传：",
                          field="file", items=result.errors)
    stored = []
    for row in result.rows:
        figure, _created = ActiveFigure.objects.update_or_create(
            agency=agency, year=year, key=row.key,
            defaults={"value": row.value, "source": row.source, "via": FigureVia.IMPORT, "entered_by": actor})
        stored.append(figure)
    record("annualreport.figures_import", actor=actor, agency=agency, subject=None,
           new={"year": year, "file": filename, "rows": {r.key: _dec(r.value) for r in result.rows}})
    return stored
