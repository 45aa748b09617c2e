"""Which 文号 pattern a letter uses, and the next serial of a series (never given twice).

The pattern of a letter kind is the agency's own for that kind, else its pattern for all
kinds, else `gongkai.law.letternumbers.DEFAULT_PATTERN`. Serials are counted in
`LetterNumberSeries` rows (agency, prefix, year), taken under `SELECT … FOR UPDATE`; two
first numbers of a new series race on the row's unique constraint, and the loser re-reads
the winner's row under the lock. Called inside the `letter_number_issue` action.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from gongkai.law.letternumbers import DEFAULT_PATTERN

from .models import LetterNumberPattern, LetterNumberSeries

#: The short code of each letter kind ({类型}), as the letters have always been numbered.
KIND_CODES = {"receipt": "回", "correction": "补", "consult_third_party": "征", "consult_co_maker": "征",
              "extension": "延", "fee": "费", "special_deadline": "期", "reply": "答"}


def letter_kind(letter_key: str) -> str:
    """The kind of a letter key of `letters.py` (every ``reply.<outcome>`` is a ``reply``)."""
    kind = "reply" if letter_key.startswith("reply.") else letter_key
    if kind not in KIND_CODES:
        raise KeyError(letter_key)
    return kind


def pattern_for(agency_id: int, kind: str) -> str:
    rows = dict(LetterNumberPattern.objects.filter(agency_id=agency_id, letter_kind__in=[kind, ""])
                .values_list("letter_kind", "pattern"))
    return rows.get(kind) or rows.get("") or DEFAULT_PATTERN


def take_serial(agency_id: int, prefix: str, year: int) -> int:
    """The next serial of the series; the caller's transaction holds the series row until it ends."""
    rows = LetterNumberSeries.objects.select_for_update()
    series = rows.filter(agency_id=agency_id, prefix=prefix, year=year).first()
    if series is None:
        try:
            with transaction.atomic():
                LetterNumberSeries.objects.create(agency_id=agency_id, prefix=prefix, year=year, last=0)
        except IntegrityError:  # another transaction started this series a moment ago
            pass
        series = rows.get(agency_id=agency_id, prefix=prefix, year=year)
    series.last += 1
    series.save(update_fields=["last"])
    return series.last
