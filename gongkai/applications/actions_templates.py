"""Editing a letter template (audited)."""

from __future__ import annotations

from django.db import transaction

from gongkai.audit.record import record

from .letters import check_template
from .models import LetterTemplate


@transaction.atomic
def letter_template_update(template: LetterTemplate, *, actor, title: str, body: str, article: str) -> LetterTemplate:
    check_template(body)
    row = LetterTemplate.objects.select_for_update().get(pk=template.pk)
    old = {"title": row.title, "body": row.body, "article": row.article}
    new = {"title": title.strip(), "body": body.strip(), "article": article.strip()}
    if old == new:
        return row
    for k, v in new.items():
        setattr(row, k, v)
    row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    changed = [k for k in new if new[k] != old[k]]
    record("applications.template_update", actor=actor, subject=row, old={k: old[k] for k in changed},
           new={k: new[k] for k in changed})
    return row
