"""Printing a letter issues its 文号 (once) through the audited action; `letters.py` stays free of actions."""

from __future__ import annotations

from datetime import date

from . import actions, letters
from .models import Application


def number_issuer(actor) -> letters.NumberIssuer:
    """The `issue` argument of `letters.build_letter` for a case handler printing a letter."""

    def issue(app: Application, letter_key: str, ref: str, on: date) -> str:
        return actions.letter_number_issue(app, actor=actor, letter_key=letter_key, ref=ref, on=on).number

    return issue


def letter_for(app: Application, key: str, ref: str = "", *, actor, issue: bool) -> letters.Letter:
    """The letter as printed by `actor`: a handler (`issue`) gets the 文号 issued on the first print."""
    return letters.build_letter(app, key, ref, issue=number_issuer(actor) if issue else None)
