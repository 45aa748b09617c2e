"""Reads of agencies that several apps and the command line share."""

from __future__ import annotations

from .models import Agency


def find_agency(text: str) -> Agency:
    """The agency with this credit code or full name; raises LookupError with a Chinese message."""
    text = (text or "").strip()
    if not text:
        raise LookupError("请填写机关的统一社会信用代码或全称。")
    agency = (Agency.objects.filter(credit_code=text.upper()).first()
              or Agency.objects.filter(name=text).first())
    if agency is not None:
        return agency
    similar = list(Agency.objects.filter(name__contains=text).values_list("name", flat=True)[:5])
    hint = f"名称相近的机关：{'、'.join(similar)}。" if similar else "请填写 18 位统一社会信用代码或机关全称。"
    raise LookupError(f"找不到机关“{text}”。{hint}")
