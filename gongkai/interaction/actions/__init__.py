"""State changes of messages, replies, departments and settings: one action per verb.

Each action (`gongkai.core.domain.action`) is atomic, locks what it changes, checks the
current status, raises `DomainError` (Chinese message, optional form field) when the
step is not allowed and writes its audit event. Mail to writers and staff is sent after
commit. Staff actions check the actor's role when an actor is given; `actor=None` is the
system itself (the public form, the command line, the demo loader).

One module per concept; every action is re-exported here, so callers write
`actions.message_triage(...)`. Both directions of the Art. 39 conversion live in
`conversion.py`.
"""

from .agency_settings import message_settings_update
from .batch import reminders_send, tickets_import
from .conversion import ART39_DEFAULT_REASON, message_convert_to_application, message_create_from_application
from .departments import department_create, department_update
from .messages import (
    message_mark_invalid, message_publish, message_register, message_reveal_writer, message_route, message_triage,
    message_unpublish,
)
from .replies import reply_approve, reply_draft, reply_return, reply_submit

__all__ = [
    "ART39_DEFAULT_REASON", "department_create", "department_update", "message_convert_to_application",
    "message_create_from_application", "message_mark_invalid", "message_publish", "message_register",
    "message_reveal_writer", "message_route", "message_settings_update", "message_triage", "message_unpublish",
    "reminders_send", "reply_approve", "reply_draft", "reply_return", "reply_submit", "tickets_import",
]
