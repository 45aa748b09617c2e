"""文书核验码: recording the code a letter carries (`gongkai.applications.verification`)."""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction

from gongkai.audit.record import record
from gongkai.core import querycodes
from gongkai.core.domain import action, unchanged

from ..models import Application, LetterSeal

CODE_LENGTH = 12


def _content_hash(letter) -> str:
    """SHA-256 of what the letter says (not of the PDF bytes, which change with every rendering)."""
    body = {"agency": letter.agency_name, "number": letter.doc_number, "title": letter.title,
            "recipient": letter.recipient, "paragraphs": letter.paragraphs, "article": letter.article,
            "signed_on": letter.signed_on.isoformat(), "files": [list(r) for r in letter.files]}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@action("applications.letter_seal")
def letter_seal(application: Application, *, actor, letter) -> LetterSeal:
    """The seal of this content of this letter; made (and audited) the first time it is produced."""
    digest = _content_hash(letter)
    existing = LetterSeal.objects.filter(application=application, kind=letter.key, content_sha256=digest).first()
    if existing is not None:
        unchanged()
        return existing
    for _ in range(5):
        try:
            with transaction.atomic():
                seal = LetterSeal.objects.create(
                    agency_id=application.agency_id, application=application, kind=letter.key, title=letter.title,
                    doc_number=letter.doc_number, signed_on=letter.signed_on, content_sha256=digest,
                    code=querycodes.new_code(CODE_LENGTH))
            break
        except IntegrityError:  # the same letter sealed at the same moment, or (rarely) a code taken
            existing = LetterSeal.objects.filter(application=application, kind=letter.key,
                                                 content_sha256=digest).first()
            if existing is not None:
                unchanged()
                return existing
    else:
        raise RuntimeError("could not draw a free letter verification code")
    record("applications.letter_seal", actor=actor, agency=application.agency, subject=application, old=None,
           new={"kind": letter.key, "title": letter.title, "signed_on": letter.signed_on.isoformat(),
                "content_sha256": digest})
    return seal
