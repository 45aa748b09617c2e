"""The reply types (答复类型) of 依申请公开: the one table of them, with labels, articles and letter texts.

The vocabulary is exactly the row keys of table 三 of the 2021 annual-report format
(annual-report-format.md §3.2), so every reply is counted in the row it is; the codes are
stored with each application and never change. Labels come from that format's
`gongkai/law/reportformat/spec.yaml`: the official row label as printed, and a short label
staff read (the group and the row without their numbering, "不予公开：属于国家秘密"; four
rows too long to read in a list have a shorter wording below). The mapping of reply type
to article follows regulation.md §1.5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .reportformat import spec


@dataclass(frozen=True)
class ReplyType:
    key: str
    label: str  # short label staff read
    row_label: str  # the official row label of table 三
    article: str  # the article the reply letter cites
    letter_title: str
    basis: str  # default legal basis offered to staff (they may edit it)
    closes_without_reply: bool = False  # a closing event rather than a reply decision


_ROWS = [
    ("result.granted", "《条例》第三十六条第（一）项、第（二）项", "政府信息公开申请答复书（予以公开）",
     "根据《中华人民共和国政府信息公开条例》第三十六条第（二）项，您申请的政府信息属于可以公开的信息，现予以提供。"),
    ("result.partial", "《条例》第三十七条", "政府信息公开申请答复书（部分公开）",
     "根据《中华人民共和国政府信息公开条例》第三十七条，您申请的信息中含有不应当公开的内容，但能够作区分处理，现提供可以公开的"
     "部分，并说明不予公开部分的理由。"),
    ("result.denied.state_secret", "《条例》第十四条、第三十六条第（三）项", "政府信息公开申请答复书（不予公开）",
     "根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项，您申请的信息属于国家秘密，不予公开。"),
    ("result.denied.law_prohibited", "《条例》第十四条、第三十六条第（三）项", "政府信息公开申请答复书（不予公开）",
     "根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项，您申请的信息属于法律、行政法规禁止公开的政府信息，"
     "不予公开。"),
    ("result.denied.security_stability", "《条例》第十四条、第三十六条第（三）项", "政府信息公开申请答复书（不予公开）",
     "根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项，您申请的信息公开后可能危及国家安全、公共安全、经济"
     "安全、社会稳定，不予公开。"),
    ("result.denied.third_party", "《条例》第十五条、第三十六条第（三）项", "政府信息公开申请答复书（不予公开）",
     "根据《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项，您申请的信息涉及商业秘密、个人隐私等，公开会对第三"
     "方合法权益造成损害，不予公开。"),
    ("result.denied.internal_affairs", "《条例》第十六条第一款、第三十六条第（三）项", "政府信息公开申请答复书（不予公开）",
     "根据《中华人民共和国政府信息公开条例》第十六条第一款，您申请的信息属于人事管理、后勤管理、内部工作流程等内部事务信息，可"
     "以不予公开。"),
    ("result.denied.process_info", "《条例》第十六条第二款、第三十六条第（三）项", "政府信息公开申请答复书（不予公开）",
     "根据《中华人民共和国政府信息公开条例》第十六条第二款，您申请的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过"
     "程稿、磋商信函、请示报告等过程性信息，可以不予公开。"),
    ("result.denied.enforcement_file", "《条例》第十六条第二款、第三十六条第（三）项", "政府信息公开申请答复书（不予公开）",
     "根据《中华人民共和国政府信息公开条例》第十六条第二款，您申请的信息属于行政执法案卷信息，可以不予公开。"),
    ("result.denied.admin_query", "《条例》第三十六条第（七）项", "政府信息公开申请告知书（行政查询事项）",
     "根据《中华人民共和国政府信息公开条例》第三十六条第（七）项，您申请的信息属于工商、不动产登记资料等有关法律、行政法规对信"
     "息的获取有特别规定的情形，请按照有关法律、行政法规的规定办理。"),
    ("result.unable.not_held", "《条例》第三十六条第（四）项、第（五）项", "政府信息公开申请告知书（信息不存在）",
     "根据《中华人民共和国政府信息公开条例》第三十六条第（四）项，经检索，本机关未制作或者获取您申请的政府信息。"),
    ("result.unable.needs_creation", "《条例》第三十八条", "政府信息公开申请告知书（需另行制作）",
     "根据《中华人民共和国政府信息公开条例》第三十八条，行政机关向申请人提供的信息应当是已制作或者获取的政府信息；您申请的信息"
     "需要本机关对现有政府信息进行加工、分析，本机关不予提供。"),
    ("result.unable.unclear_after_correction", "《条例》第三十条", "政府信息公开申请告知书（补正后仍不明确）",
     "根据《中华人民共和国政府信息公开条例》第三十条，您补正后的申请内容仍不明确，本机关无法确定您所需的政府信息。"),
    ("result.not_processed.petition", "《条例》第三十九条第一款", "政府信息公开申请告知书（不作为政府信息公开申请处理）",
     "根据《中华人民共和国政府信息公开条例》第三十九条第一款，您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作"
     "为政府信息公开申请处理，请通过相应渠道提出。"),
    ("result.not_processed.repeat", "《条例》第三十六条第（六）项", "政府信息公开申请告知书（重复申请）",
     "根据《中华人民共和国政府信息公开条例》第三十六条第（六）项，本机关已就您申请公开的政府信息作出答复，您重复申请公开相同政"
     "府信息，本机关不予重复处理。"),
    ("result.not_processed.publication", "《条例》第三十九条第二款", "政府信息公开申请告知书（公开出版物）",
     "根据《中华人民共和国政府信息公开条例》第三十九条第二款，您要求提供的是政府公报、报刊、书籍等公开出版物，请通过相应的获取"
     "途径获取。"),
    ("result.not_processed.mass_repeat", "《条例》第三十五条", "政府信息公开申请告知书（不予处理）",
     "根据《中华人民共和国政府信息公开条例》第三十五条，您申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理，本"
     "机关不予处理。"),
    ("result.not_processed.confirm_reissue", "《条例》第三十九条", "政府信息公开申请告知书（不予处理）",
     "您要求本机关确认或者重新出具已经获取的信息，不属于《中华人民共和国政府信息公开条例》规定的政府信息公开申请，本机关不作为"
     "政府信息公开申请处理。"),
    ("result.other.no_correction", "《条例》第三十条", "政府信息公开申请终止处理告知书（逾期未补正）",
     "根据《中华人民共和国政府信息公开条例》第三十条，您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。"),
    ("result.other.fee_unpaid", "《政府信息公开信息处理费管理办法》", "政府信息公开申请终止处理告知书（逾期未缴费）",
     "根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），您逾期未按收费通知要求缴纳信息处理费，视为放弃申请"
     "，本机关不再处理该政府信息公开申请。"),
    ("result.other.other", "《条例》", "政府信息公开申请终止处理告知书",
     "您已撤回政府信息公开申请，本机关终止处理。"),
]

#: Short labels where the official row is too long to read in a list (or names 撤回 explicitly).
SHORT_LABELS = {
    "result.not_processed.confirm_reissue": "不予处理：要求确认或重新出具已获取信息",
    "result.other.no_correction": "其他处理：逾期不补正",
    "result.other.fee_unpaid": "其他处理：逾期未缴费",
    "result.other.other": "其他处理：其他（含申请人撤回）",
}
_NUMBERING = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+\.)")
_CLOSING = {"result.other.no_correction", "result.other.fee_unpaid"}


def _short_label(row: spec.Section3Row) -> str:
    """"（三）不予公开" + "1.属于国家秘密" → "不予公开：属于国家秘密"; a trailing note in brackets is dropped."""
    if row.key in SHORT_LABELS:
        return SHORT_LABELS[row.key]
    body = re.sub(r"（[^）]*）$", "", _NUMBERING.sub("", row.label))
    return f"{_NUMBERING.sub('', row.group)}：{body}" if row.group else body


def _reply_types() -> dict[str, ReplyType]:
    rows = {r.key: r for r in spec.get_format(spec.GOV2021).rows}
    return {key: ReplyType(key, _short_label(rows[key]), rows[key].label, article, title, basis,
                             closes_without_reply=key in _CLOSING)
            for key, article, title, basis in _ROWS}


REPLY_TYPES: dict[str, ReplyType] = _reply_types()

#: Reasons a withheld part of a partial disclosure may give (the denied / unable rows).
PART_REASONS = [k for k in REPLY_TYPES if k.startswith(("result.denied.", "result.unable."))]

#: Reply types staff choose when deciding (the closing ones follow from their own events).
DECISION_REPLY_TYPES = [k for k, info in REPLY_TYPES.items() if not info.closes_without_reply]

#: 《条例》第三十六条第（一）项: the information is already published proactively. Counted under （一）予以公开
#: (`result.granted`; the 2021 format has no row of its own for it); the letter names where it is published.
ALREADY_PUBLISHED = "result.granted"
ALREADY_PUBLISHED_BASIS = ("根据《中华人民共和国政府信息公开条例》第三十六条第（一）项，您申请公开的政府信息已经主动公开，"
                           "现告知您获取该政府信息的方式和途径。")

#: 《条例》第三十九条第一款: a petition, complaint or report is not processed as an application (row （五）1).
PETITION = "result.not_processed.petition"

#: Columns of table 三 (applicant kinds), in the report's order (the last column is the total).
APPLICANT_KINDS = list(spec.get_format(spec.GOV2021).columns[:-1])
