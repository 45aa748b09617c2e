"""State changes of 依申请公开 cases: one action per legal step (`gongkai.core.domain.action`).

Each action locks the case, checks its status, lets the pure clock validate the new
event (《条例》第三十条至第三十五条 via `gongkai.law.clock.validate_event`), appends the
event to the case's log, rewrites the cached clock values and writes its audit event.
A refused step raises `DomainError` with a Chinese message and changes nothing.

One module per concept; every action is re-exported here, so callers write
`actions.application_decide(...)`. The Art. 39 conversion of an application into a
message lives with the messages (the interaction app, `actions/conversion.py`).
"""

from .applicant import application_change_applicant_kind, application_reveal_applicant
from .consultation import application_consult, application_record_consultation_answer
from .correction import application_correction_expired, application_record_correction, application_request_correction
from .deadlines import application_extend, application_set_special_deadline
from .decision import application_decide, application_deliver, application_withdraw
from .fees import application_fee_expired, application_fee_notice, application_fee_notice_received, application_fee_paid
from .lapses import application_apply_lapses, application_notice_seen
from .letter_numbers import letter_number_issue, letter_number_pattern_set
from .notes import application_add_note
from .recompute import applications_recompute_after_calendar_change
from .register import application_register
from .release import (release_add, release_confirm, release_record_download, release_redact, release_remove,
                      release_store_redaction)
from .sameinfo import same_info_group_dismiss
from .remedies import litigation_conclude, litigation_record, reconsideration_conclude, reconsideration_record
from .seals import letter_seal
from .templates import letter_template_update

__all__ = [
    "application_add_note", "application_apply_lapses", "application_change_applicant_kind", "application_consult",
    "application_correction_expired", "application_decide", "application_deliver", "application_extend",
    "application_fee_expired", "application_fee_notice", "application_fee_notice_received", "application_fee_paid",
    "application_record_consultation_answer", "application_record_correction", "application_register",
    "application_request_correction", "application_reveal_applicant", "application_set_special_deadline",
    "application_notice_seen", "application_withdraw", "applications_recompute_after_calendar_change",
    "letter_number_issue", "letter_number_pattern_set", "letter_seal", "letter_template_update",
    "litigation_conclude", "litigation_record", "reconsideration_conclude", "reconsideration_record",
    "release_add", "release_confirm", "release_record_download", "release_redact", "release_remove",
    "release_store_redaction",
    "same_info_group_dismiss",
]
