"""Printing a letter: its 文号 is issued (once) and its 核验码 recorded through the audited actions.

`letters.py` stays free of actions; every printed letter (staff's and the applicant's download)
comes from `letter_for`.
"""

from __future__ import annotations

from datetime import date

from gongkai.core import querycodes

from . import actions, letters
from .verification import VERIFY_PATH
from .models import Application


def number_issuer(actor) -> letters.NumberIssuer:
    """The `issue` argument of `letters.build_letter` for a case handler printing a letter."""

    def issue(app: Application, letter_key: str, ref: str, on: date) -> str:
        return actions.letter_number_issue(app, actor=actor, letter_key=letter_key, ref=ref, on=on).number

    return issue


def letter_for(app: Application, key: str, ref: str = "", *, actor, issue: bool) -> letters.Letter:
    """The letter as printed by `actor`: a handler (`issue`) gets the 文号 issued on the first print.

    A numbered letter carries its verification code (`actions.letter_seal`, recorded on first use
    of this content); a preview by someone who may not issue the number carries neither.
    """
    letter = letters.build_letter(app, key, ref, issue=number_issuer(actor) if issue else None)
    if letter.doc_number != letters.NOT_YET_NUMBERED:
        seal = actions.letter_seal(app, actor=None, letter=letter)
        letter.verify_code = querycodes.display(seal.code)
        letter.verify_url = VERIFY_PATH
    return letter
