"""文书核验码: every letter PDF/DOCX carries a code that anyone can check at `/verify/`.

The code (12 characters of the unambiguous query-code alphabet, printed in groups of four
with the short address `/verify/`) is stored with a SHA-256 of the letter's content, the
agency, the letter type and its date — nothing personal. The same content of the same
letter keeps its code; a changed letter (an edited template, a new part) gets a new one.
The public page says whether a code is genuine and, if so, which agency issued which kind
of letter on which date.
"""

from __future__ import annotations

from gongkai.core import querycodes

from .actions import letter_seal
from .actions.seals import CODE_LENGTH
from .letters import Letter, build_letter, cn_date
from .models import Application, LetterSeal

VERIFY_PATH = "/verify/"


def sealed_letter(app: Application, key: str, ref: str = "") -> Letter:
    """The letter with its verification code (recorded on first use by `actions.letter_seal`)."""
    letter = build_letter(app, key, ref=ref)
    seal = letter_seal(app, actor=None, letter=letter)
    letter.verify_code = querycodes.display(seal.code)
    letter.verify_url = VERIFY_PATH
    return letter


def find(code: str) -> LetterSeal | None:
    code = querycodes.normalise(code)
    if len(code) != CODE_LENGTH:
        return None
    return LetterSeal.objects.select_related("agency").filter(code=code).first()


def describe(seal: LetterSeal) -> dict:
    """What the public page may say about a genuine letter (no personal data)."""
    return {"agency": seal.agency.name, "title": seal.title, "doc_number": seal.doc_number,
            "date": cn_date(seal.signed_on)}
