"""Editing a letter template (audited)."""

from __future__ import annotations

from gongkai.audit.record import record
from gongkai.core.domain import action, lock, unchanged

from ..letters import check_template
from ..models import LetterTemplate


@action("applications.template_update")
def letter_template_update(template: LetterTemplate, *, actor, title: str, body: str, article: str) -> LetterTemplate:
    check_template(body)
    row = lock(template)
    old = {"title": row.title, "body": row.body, "article": row.article}
    new = {"title": title.strip(), "body": body.strip(), "article": article.strip()}
    if old == new:
        unchanged()
        return row
    for k, v in new.items():
        setattr(row, k, v)
    row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    changed = [k for k in new if new[k] != old[k]]
    record("applications.template_update", actor=actor, subject=row, old={k: old[k] for k in changed},
           new={k: new[k] for k in changed})
    return row
