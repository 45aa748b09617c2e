"""文书核验码: every numbered letter PDF/DOCX carries a code (`printing.letter_for`) that anyone can check at `/verify/`.

The code (12 characters of the unambiguous query-code alphabet, printed in groups of four
with the short address `/verify/`) is stored with a SHA-256 of the letter's content, the
agency, the letter type and its date — nothing personal. The same content of the same
letter keeps its code; a changed letter (an edited template, a new part) gets a new one.
The public page says whether a code is genuine and, if so, which agency issued which kind
of letter on which date.
"""

from __future__ import annotations

from gongkai.core import querycodes

from .actions.seals import CODE_LENGTH
from .letters import cn_date
from .models import LetterSeal

VERIFY_PATH = "/verify/"


def find(code: str) -> LetterSeal | None:
    code = querycodes.normalise(code)
    if len(code) != CODE_LENGTH:
        return None
    return LetterSeal.objects.select_related("agency").filter(code=code).first()


def describe(seal: LetterSeal) -> dict:
    """What the public page may say about a genuine letter (no personal data)."""
    return {"agency": seal.agency.name, "title": seal.title, "doc_number": seal.doc_number,
            "date": cn_date(seal.signed_on)}
