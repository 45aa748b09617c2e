"""查询码 — the code a citizen keeps to look up an application or a message.

One alphabet for both (no 0/O, 1/I/L, so a code read aloud or copied by hand survives);
an application's code has 10 characters, a message's 12, shown in groups of four.
Citizens type codes with spaces, dashes and lower case: `normalise` removes them.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
APPLICATION_LENGTH = 10
MESSAGE_LENGTH = 12


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_application_code() -> str:
    return new_code(APPLICATION_LENGTH)


def new_message_code() -> str:
    return new_code(MESSAGE_LENGTH)


def normalise(code: str | None) -> str:
    return "".join(c for c in (code or "").upper() if c.isalnum())


def display(code: str) -> str:
    """'ABCDEFGHJKMN' -> 'ABCD-EFGH-JKMN'."""
    return "-".join(code[i: i + 4] for i in range(0, len(code), 4))
