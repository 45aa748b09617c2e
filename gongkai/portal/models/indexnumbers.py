"""索引号: issued when a catalogue item is first published, never changed, never reused.

索引号 = `{统一社会信用代码}/{yyyy}-{nnnnn}` by default (decisions.md §15; pattern in the
setting GONGKAI_INDEX_NUMBER_PATTERN): issued from a per-agency, per-year sequence that
only goes up; every issued number is also written to `IssuedIndexNumber` (unique), so a
number is never reused even after its page is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import AgencyScopedModel
from gongkai.audit.record import record

DEFAULT_PATTERN = "{credit_code}/{year}-{serial:05d}"


class IndexNumberSequence(AgencyScopedModel):
    year = models.PositiveSmallIntegerField(_("年度"))
    last_serial = models.PositiveIntegerField(_("已用最大序号"), default=0)

    class Meta:
        verbose_name = _("索引号序列")
        verbose_name_plural = _("索引号序列")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="portal_index_seq_unique")]


class IssuedIndexNumber(AgencyScopedModel):
    """Every 索引号 ever issued; kept when the page is withdrawn or deleted."""

    number = models.CharField(_("索引号"), max_length=60, unique=True)
    page_id_at_issue = models.PositiveIntegerField(_("页面编号"))
    title_at_issue = models.CharField(_("标题"), max_length=255)
    issued_at = models.DateTimeField(_("编号时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发索引号")
        verbose_name_plural = _("已发索引号")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number


def format_index_number(agency, year: int, serial: int) -> str:
    pattern = getattr(settings, "GONGKAI_INDEX_NUMBER_PATTERN", DEFAULT_PATTERN)
    return pattern.format(credit_code=agency.credit_code, year=year, serial=serial)


@transaction.atomic
def index_number_issue(page, *, actor=None) -> str:
    """Give a published item its 索引号 if it has none; return the number."""
    base = page._meta.get_field("index_number").model  # DisclosablePage, whatever the page type
    current = base.objects.filter(pk=page.pk).values_list("index_number", flat=True).first()
    if current:
        page.index_number = current
        return current
    published = base.objects.filter(pk=page.pk).values_list("first_published_at", flat=True).first()
    year = timezone.localdate(published).year if published else timezone.localdate().year
    seq, _created = IndexNumberSequence.objects.select_for_update().get_or_create(agency_id=page.agency_id, year=year)
    while True:  # skip numbers already taken (e.g. items imported with their 索引号)
        seq.last_serial += 1
        number = format_index_number(page.agency, year, seq.last_serial)
        if not (IssuedIndexNumber.objects.filter(number=number).exists()
                or base.objects.filter(index_number=number).exists()):
            break
    seq.save(update_fields=["last_serial"])
    base.objects.filter(pk=page.pk).update(index_number=number)
    IssuedIndexNumber.objects.create(agency_id=page.agency_id, number=number, page_id_at_issue=page.pk,
                                     title_at_issue=page.title[:255])
    page.index_number = number
    record("portal.index_issue", actor=actor, agency=page.agency, subject=page, new={"index_number": number})
    return number
