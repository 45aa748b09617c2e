"""收到申请之日: 《条例》第三十一条 — when an application counts as received, by channel.

《条例》第三十一条:

（一）当面提交的，以提交之日为收到申请之日；
（二）以邮寄方式提交的，以行政机关签收之日为收到申请之日；以平常信函等无需签收的邮寄方式
    提交的，政府信息公开工作机构应当于收到申请的当日与申请人确认，确认之日为收到申请之日；
（三）通过互联网渠道或者政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日。

The facts stored with an application are the dates a channel knows of (提交, 签收, 确认);
the receipt date is derived from them here. An error names the fact to correct, so a form
can show it at the right field.
"""

from __future__ import annotations

from datetime import date

ART31 = "《条例》第三十一条"

IN_PERSON = "in_person"
REGISTERED_MAIL = "registered_mail"
ORDINARY_MAIL = "ordinary_mail"
ONLINE = "online"
FAX = "fax"
OTHER = "other"

#: Channels of submission, with the names staff read.
CHANNELS = {
    IN_PERSON: "当面提交",
    REGISTERED_MAIL: "邮寄（挂号）",
    ORDINARY_MAIL: "邮寄（平信）",
    ONLINE: "网络",
    FAX: "传真",
    OTHER: "其他",
}

#: The fact each channel's receipt date is: 提交之日, 签收之日 or 确认之日 (the names of the facts).
RECEIPT_FACT = {
    IN_PERSON: "submitted_on",
    REGISTERED_MAIL: "signed_for_on",
    ORDINARY_MAIL: "confirmed_on",
    ONLINE: "confirmed_on",
    FAX: "confirmed_on",
}

_MISSING = {
    REGISTERED_MAIL: f"邮寄（挂号）的申请以本机关签收之日为收到申请之日，请填写签收日期（{ART31}第二项）。",
    ORDINARY_MAIL: f"邮寄（平信）的申请应于收到当日与申请人确认，请填写确认日期（{ART31}第二项）。",
    ONLINE: f"通过网络或传真提交的申请以双方确认之日为收到申请之日，请填写确认日期（{ART31}第三项）。",
    FAX: f"通过网络或传真提交的申请以双方确认之日为收到申请之日，请填写确认日期（{ART31}第三项）。",
}


class ReceiptError(ValueError):
    """Dates that give no receipt date; ``field`` names the fact to correct, the message is Chinese."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


def receipt_date(channel: str, submitted_on: date | None, signed_for_on: date | None,
                 confirmed_on: date | None, today: date) -> date:
    """收到申请之日 under 《条例》第三十一条, from the channel and the dates it knows of.

    A channel the article does not name (``other``) is received when confirmed, or else on
    submission. Raises :class:`ReceiptError` when a date the channel needs is missing, lies
    in the future (after ``today``) or before the submission.
    """
    if submitted_on is None:
        raise ReceiptError("请填写提交日期。", field="submitted_on")
    if submitted_on > today:
        raise ReceiptError(f"提交日期 {submitted_on} 晚于今天，请核对。", field="submitted_on")
    facts = {"submitted_on": submitted_on, "signed_for_on": signed_for_on, "confirmed_on": confirmed_on}
    field = RECEIPT_FACT.get(channel) or ("confirmed_on" if confirmed_on else "submitted_on")
    received = facts[field]
    if received is None:
        raise ReceiptError(_MISSING[channel], field=field)
    if received > today:
        raise ReceiptError(f"收到申请之日 {received} 晚于今天，不能登记未来的日期。", field=field)
    if received < submitted_on:
        raise ReceiptError(f"收到申请之日 {received} 早于提交日期 {submitted_on}，请核对。", field=field)
    return received
