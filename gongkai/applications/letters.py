"""Letters of a case (登记回执, 补正告知书, 征求意见书, 延期答复告知书, 收费通知书, 第三十五条告知书, 答复书/告知书).

Text comes from `LetterTemplate` rows an administrator can edit (seeded from
`DEFAULTS` on first use), with {占位符} filled from the case. Output in 公文 style:
红头 (agency name in red over a red rule), 文号, title, recipient, body, 落款 and date,
and the article the letter rests on. The 文号 is issued once per letter, from the agency's
pattern, when a case handler first prints it (`actions.letter_number_issue`). PDF with WeasyPrint (the office fonts first, Noto CJK
embedded where they are missing), DOCX with python-docx naming the fonts of office PCs
(`gongkai.law.officefonts`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string

from gongkai.core.domain import DomainError
from gongkai.core.parsing import parse_id
from gongkai.law import officefonts as fonts
from gongkai.law.placeholders import placeholder_problem
from gongkai.law.replies import ALREADY_PUBLISHED, REPLY_TYPES

from . import caseclock
from .models import Application, EventKind, Fee, LetterTemplate


@dataclass
class Letter:
    key: str
    agency_name: str
    doc_number: str
    title: str
    recipient: str
    paragraphs: list[str]
    article: str
    signed_on: date
    file_stem: str
    items: list[str] = field(default_factory=list)
    # The release package listed under a reply (name, pages, disposition, basis) and the
    # verification code printed at the foot (`printing.letter_for`).
    files: list[tuple[str, str, str, str]] = field(default_factory=list)
    verify_code: str = ""
    verify_url: str = ""


P = "\n\n"  # paragraph separator in template bodies

DEFAULTS: dict[str, tuple[str, str, str]] = {
    "receipt": (
        "政府信息公开申请登记回执",
        "本机关于{收到日期}收到您通过{申请渠道}提交的政府信息公开申请（申请编号 {申请编号}），申请内容为：{申请内容}。" + P
        + "根据《中华人民共和国政府信息公开条例》第三十三条，本机关将自收到申请之日起20个工作日内予以答复，"
          "答复期限暂定为{答复期限}；如需补正、征求第三方或其他机关意见、延期或收取信息处理费，本机关将另行书面告知。" + P
        + "您可凭查询码 {查询码} 及登记的联系电话后4位在本机关网站“依申请公开—办理进度”查询办理情况。",
        "《中华人民共和国政府信息公开条例》第三十一条、第三十三条",
    ),
    "correction": (
        "政府信息公开申请补正告知书",
        "本机关于{收到日期}收到您提交的政府信息公开申请（申请编号 {申请编号}）。经审查，您的申请内容不够明确，"
        "根据《中华人民共和国政府信息公开条例》第三十条，现一次性告知您需要补正的事项如下：" + P + "{补正事项}" + P
        + "请于{补正期限}前向本机关提交补正后的申请。答复期限自本机关收到补正后的申请之日起计算。"
          "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        "《中华人民共和国政府信息公开条例》第三十条",
    ),
    "consult_third_party": (
        "政府信息公开征求意见书",
        "本机关收到政府信息公开申请（申请编号 {申请编号}），申请公开的政府信息可能涉及贵方的合法权益。"
        "根据《中华人民共和国政府信息公开条例》第三十二条，现书面征求贵方意见。拟公开的信息为：" + P + "{征求事项}" + P
        + "请于收到本征求意见书之日起{征求期限}个工作日内提出书面意见。贵方不同意公开的，请说明理由；"
          "逾期未提出意见的，本机关将依照《条例》的规定决定是否公开。第三方不同意公开且有合理理由的，"
          "本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的内容和理由书面告知贵方。",
        "《中华人民共和国政府信息公开条例》第三十二条",
    ),
    "consult_co_maker": (
        "政府信息公开征求意见函",
        "本机关收到政府信息公开申请（申请编号 {申请编号}），申请公开的政府信息由本机关与贵单位共同制作。"
        "根据《中华人民共和国政府信息公开条例》第三十四条，现征求贵单位意见。拟公开的信息为：" + P + "{征求事项}" + P
        + "请于收到本函之日起{征求期限}个工作日内提出意见，逾期未提出意见的视为同意公开。",
        "《中华人民共和国政府信息公开条例》第三十四条",
    ),
    "extension": (
        "政府信息公开申请延期答复告知书",
        "本机关于{收到日期}收到您提交的政府信息公开申请（申请编号 {申请编号}）。因{延期理由}，"
        "本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条，经本机关政府信息公开工作机构负责人同意，"
        "答复期限延长{延长天数}个工作日，本机关将于{答复期限}前作出答复。",
        "《中华人民共和国政府信息公开条例》第三十三条",
    ),
    "fee": (
        "政府信息公开信息处理费收费通知书",
        "本机关于{收到日期}收到您提交的政府信息公开申请（申请编号 {申请编号}）。根据《中华人民共和国政府信息公开条例》第四十二条和"
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），您的申请应缴纳信息处理费{收费金额}元（{计收方式}）。计算说明：" + P
        + "{计算说明}" + P
        + "请自收到本通知次日起20个工作日内缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"
          "缴费期间不计入答复期限。",
        "《中华人民共和国政府信息公开条例》第四十二条；《政府信息公开信息处理费管理办法》",
    ),
    "special_deadline": (
        "政府信息公开申请另行确定答复期限告知书",
        "本机关于{收到日期}收到您提交的政府信息公开申请（申请编号 {申请编号}）。"
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围，具体情况：{另定理由}。" + P
        + "本机关认为您说明的理由合理，但无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复。"
          "根据《中华人民共和国政府信息公开条例》第三十五条，本机关确定延迟答复的合理期限，"
          "将于{另定期限}前作出答复。",
        "《中华人民共和国政府信息公开条例》第三十五条",
    ),
}
for _key, _info in REPLY_TYPES.items():
    _body = "本机关于{收到日期}收到您提交的政府信息公开申请（申请编号 {申请编号}），申请内容为：{申请内容}。经审查，现答复如下：" + P + "{答复依据}"
    if _key == "result.partial":
        _body += P + "{分项说明}"
    if _key == ALREADY_PUBLISHED:
        _body += P + "{已公开信息}"
    if not _info.closes_without_reply and _key != "result.other.other":
        _body += P + ("如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，"
                      "或者自收到本答复之日起6个月内依法向人民法院提起行政诉讼。")
    DEFAULTS[f"reply.{_key}"] = (_info.letter_title, _body, _info.article.replace("《条例》", "《中华人民共和国政府信息公开条例》"))

PLACEHOLDERS = {
    "机关名称": "本机关全称", "申请人": "申请人姓名或名称", "申请编号": "如 2026-0003", "收到日期": "收到申请之日",
    "提交日期": "提交日期", "申请渠道": "如 当面提交", "申请内容": "申请内容摘要", "答复期限": "当前答复期限",
    "查询码": "10位查询码", "补正事项": "补正事项（逐项编号）", "补正期限": "补正期限", "征求对象": "征求意见对象",
    "征求事项": "征求意见事项", "征求期限": "征求意见期限（工作日）", "延期理由": "延期理由", "延长天数": "延长的工作日数",
    "收费金额": "应缴金额", "计收方式": "按件计收或按量计收", "计算说明": "金额的计算过程", "答复依据": "法律依据及理由",
    "分项说明": "部分公开的逐项说明", "日期": "文书日期",
    "另定期限": "第三十五条另行确定的答复期限", "另定理由": "另行确定期限的理由",
    "已公开信息": "已主动公开的页面标题、发布日期和网址（答复时选择了已公开页面的）",
}


def check_template(body: str) -> None:
    """Raise DomainError naming each unknown or malformed placeholder."""
    problem = placeholder_problem(body, PLACEHOLDERS, what="模板", example="{申请人}")
    if problem:
        raise DomainError(problem)


def template_for(key: str) -> LetterTemplate:
    if key not in DEFAULTS:
        raise DomainError(f"没有“{key}”类型的文书。")
    title, body, article = DEFAULTS[key]
    row, _ = LetterTemplate.objects.get_or_create(key=key, defaults={"title": title, "body": body, "article": article})
    return row


def ensure_default_templates() -> int:
    existing = set(LetterTemplate.objects.values_list("key", flat=True))
    new = [LetterTemplate(key=k, title=t, body=b, article=a) for k, (t, b, a) in DEFAULTS.items() if k not in existing]
    LetterTemplate.objects.bulk_create(new)
    return len(new)


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "____年__月__日"


NOT_YET_NUMBERED = "（文号于办理人员首次打印时编发）"


#: Issues the 文号 of a letter: (application, letter key, ref, letter date) -> number (`printing.number_issuer`).
NumberIssuer = Callable[[Application, str, str, date], str]


def _doc_number(app: Application, key: str, ref: str, signed_on: date, issue: NumberIssuer | None) -> str:
    """The letter's 文号: issued once (agency pattern, next serial), the same on every reprint."""
    if issue is not None:
        return issue(app, key, ref, signed_on)
    row = app.letter_numbers.filter(letter_key=key, ref=ref).first()
    return row.number if row else NOT_YET_NUMBERED


def _numbered(lines: list[str]) -> str:
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def _context(app: Application) -> dict[str, str]:
    clock = caseclock.clock_for(app)
    return {
        "机关名称": app.agency.name, "申请人": app.applicant.name, "申请编号": app.number,
        "收到日期": cn_date(app.received_on), "提交日期": cn_date(app.submitted_on), "申请渠道": app.get_channel_display(),
        "申请内容": app.subject, "答复期限": cn_date(clock.due) + ("（暂定）" if clock.provisional else ""),
        "查询码": app.query_code, "补正事项": "", "补正期限": "", "征求对象": "", "征求事项": "", "征求期限": "",
        "延期理由": "", "延长天数": "", "收费金额": "", "计收方式": "", "计算说明": "", "答复依据": app.outcome_basis,
        "分项说明": "", "日期": "", "另定期限": "", "另定理由": "", "已公开信息": "",
    }


def published_link(app: Application) -> dict | None:
    """The already-published page the reply pointed to (已主动公开), as stored on the reply event."""
    event = app.events.filter(kind=EventKind.DECIDED).order_by("-id").first()
    return (event.data or {}).get("published") if event else None


def published_sentence(app: Application) -> str:
    item = published_link(app)
    if not item:
        return ""
    when = ""
    if item.get("published_on"):
        when = f"已于{cn_date(date.fromisoformat(item['published_on']))}"
    return (f"您申请的政府信息{when or '已'}在{app.agency.name}门户网站主动公开，标题为《{item['title']}》，"
            f"网址：{item['url']}。您可以通过该网址查阅和下载。")


def available_letters(app: Application) -> list[tuple[str, str, str]]:
    """(key, label, ref) of the letters this case can produce now."""
    out = [("receipt", "登记回执", "")]
    kinds = set(app.events.values_list("kind", flat=True))
    if EventKind.CORRECTION_REQUESTED in kinds:
        out.append(("correction", "补正告知书", ""))
    for c in app.consultations.all():
        key = "consult_third_party" if c.party_kind == "third_party" else "consult_co_maker"
        out.append((key, f"征求意见书（{c.party_name}）", str(c.pk)))
    if EventKind.EXTENSION_APPROVED in kinds:
        out.append(("extension", "延期答复告知书", ""))
    if Fee.objects.filter(application=app).exists():
        out.append(("fee", "收费通知书", ""))
    if EventKind.SPECIAL_DEADLINE_SET in kinds:
        out.append(("special_deadline", "另行确定答复期限告知书", ""))
    if app.outcome:
        out.append((f"reply.{app.outcome}", REPLY_TYPES[app.outcome].letter_title, ""))
    return out


def build_letter(app: Application, key: str, ref: str = "", *, issue: NumberIssuer | None = None) -> Letter:
    """The letter `key` of the case; its 文号 from `issue` (first print by a handler), else the one issued before."""
    ctx = _context(app)
    files: list = []
    recipient = app.applicant.name
    signed_on = app.received_on
    number_ref = ""
    if key == "correction":
        ev = app.events.filter(kind=EventKind.CORRECTION_REQUESTED).first()
        if ev is None:
            raise DomainError("本申请尚未告知补正。")
        ctx.update({"补正事项": _numbered(ev.data.get("items") or ev.note.splitlines()), "补正期限": cn_date(ev.end)})
        signed_on = ev.on
    elif key in ("consult_third_party", "consult_co_maker"):
        c = app.consultations.filter(pk=parse_id(ref)).first() if parse_id(ref) else app.consultations.first()
        if c is None:
            raise DomainError("本申请尚未征求意见。")
        key = "consult_third_party" if c.party_kind == "third_party" else "consult_co_maker"
        ctx.update({"征求对象": c.party_name, "征求事项": c.matter, "征求期限": str(c.window_days)})
        recipient, signed_on, number_ref = c.party_name, c.sent_on, str(c.pk)
    elif key == "extension":
        ev = app.events.filter(kind=EventKind.EXTENSION_APPROVED).first()
        if ev is None:
            raise DomainError("本申请没有延期。")
        ctx.update({"延期理由": ev.note, "延长天数": str(ev.days or 20)})
        signed_on = ev.on
    elif key == "fee":
        fee = Fee.objects.filter(application=app).first()
        if fee is None:
            raise DomainError("本申请没有收费。")
        ctx.update({"收费金额": f"{fee.amount:,.2f}", "计收方式": fee.get_method_display(), "计算说明": fee.explanation})
        signed_on = fee.notice_sent_on
    elif key == "special_deadline":
        ev = app.events.filter(kind=EventKind.SPECIAL_DEADLINE_SET).order_by("on", "id").last()
        if ev is None:
            raise DomainError("本申请没有另行确定答复期限（《条例》第三十五条）。")
        ctx.update({"另定期限": cn_date(ev.end), "另定理由": ev.note.strip().rstrip("。")})
        signed_on, number_ref = ev.on, str(ev.pk)
    elif key.startswith("reply."):
        if not app.outcome or key != f"reply.{app.outcome}":
            raise DomainError("本申请尚未作出该类答复。")
        parts = list(app.parts.all())
        if parts:
            ctx["分项说明"] = "\n".join(
                f"{p.position}. {p.description}：" + ("予以公开。" if p.disclosed else f"不予公开。{p.basis}")
                for p in parts)
        signed_on = app.decided_on
        files = release_rows(app)
        ctx["已公开信息"] = published_sentence(app)
    elif key != "receipt":
        raise DomainError(f"没有“{key}”类型的文书。")
    template = template_for(key)
    ctx["日期"] = cn_date(signed_on)
    try:
        check_template(template.body)
        text = template.body.format_map(ctx)
    except (KeyError, ValueError, IndexError) as exc:
        raise DomainError(f"文书模板“{template.title}”有误：{exc}。请在“文书模板”中修改。") from None
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if ctx["已公开信息"] and "{已公开信息}" not in template.body:  # a template edited before the placeholder existed
        after = next((i + 1 for i, p in enumerate(paragraphs) if app.outcome_basis and app.outcome_basis[:20] in p),
                     max(len(paragraphs) - 1, 0))
        paragraphs.insert(after, ctx["已公开信息"])
    doc_number = _doc_number(app, key, number_ref, signed_on, issue)
    return Letter(key=key, agency_name=app.agency.name, doc_number=doc_number, title=template.title,
                  recipient=recipient, paragraphs=paragraphs, article=template.article, signed_on=signed_on,
                  file_stem=template.title, files=files)


def release_rows(app: Application) -> list[tuple[str, str, str, str]]:
    """The release package as the reply lists it: file name, pages, disposition, basis of what is withheld."""
    return [(f.name, str(f.pages) if f.pages else "—", f.get_disposition_display(), f.basis_label or "—")
            for f in app.release_files.all()]


# --------------------------------------------------------------------------------------
# output


def to_html(letter: Letter) -> str:
    blocks = [(p.splitlines()) for p in letter.paragraphs]
    css_fonts = {"body": fonts.CSS_BODY, "title": fonts.CSS_TITLE}  # office fonts first, Noto as the fallback
    return render_to_string("applications/letters/letter.html", {"letter": letter, "blocks": blocks, "fonts": css_fonts,
                                                                   "signed": cn_date(letter.signed_on),
                                                                   "verify": _verify_line(letter) if letter.verify_code else ""})


def to_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML  # heavy; only needed for a PDF download of a letter

    return HTML(string=to_html(letter)).write_pdf()


def _docx_styles(doc) -> None:
    """The letter's fonts on its styles (GB/T 9704 as on office PCs, `gongkai.law.officefonts`).

    Normal: 仿宋_GB2312 三号 at a 28-point line pitch; Title: 宋体 bold 二号; 发文机关标志
    (the red head): 宋体 bold in red; 依据 (the article): 仿宋_GB2312 小四.
    """
    # heavy; only needed for a Word download of a letter
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    fonts.document_defaults(doc)
    normal = styles["Normal"]
    fonts.style_fonts(normal, fonts.BODY, size=fonts.SANHAO)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(28)
    title = styles["Title"]
    fonts.title_style(title, fonts.ERHAO)
    title.paragraph_format.space_after = Pt(12)
    title.paragraph_format.line_spacing = Pt(32)
    head = styles.add_style(REDHEAD_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    head.base_style = normal
    fonts.style_fonts(head, fonts.TITLE, size=26, bold=True)
    head.font.color.rgb = RGBColor(0xC0, 0, 0)
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.paragraph_format.line_spacing = Pt(36)
    head.paragraph_format.space_after = Pt(6)
    basis = styles.add_style(BASIS_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    basis.base_style = normal
    fonts.style_fonts(basis, fonts.BODY, size=fonts.XIAOSI)


REDHEAD_STYLE, BASIS_STYLE = "发文机关标志", "依据"


def to_docx(letter: Letter) -> bytes:
    # heavy; only needed for a Word download of a letter
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    _docx_styles(doc)
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    def para(text="", align=None, indent=False, space_after=0, style=None):
        p = doc.add_paragraph(text, style=style)
        if align is not None:
            p.alignment = align
        if space_after:
            p.paragraph_format.space_after = Pt(space_after)
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        return p

    para(letter.agency_name, style=REDHEAD_STYLE)
    para(letter.doc_number, WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    rule = para(space_after=12)
    p_pr = rule._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    p_pr.append(border)
    para(letter.title, style="Title")
    para(f"{letter.recipient}：")
    for block in letter.paragraphs:
        for line in block.splitlines():
            para(line, indent=True)
    if letter.files:
        _docx_files(doc, letter)
    para()
    para(letter.agency_name, WD_ALIGN_PARAGRAPH.RIGHT)
    para(cn_date(letter.signed_on), WD_ALIGN_PARAGRAPH.RIGHT)
    para()
    para(f"（依据：{letter.article}）", style=BASIS_STYLE)
    if letter.verify_code:
        para(_verify_line(letter), style=BASIS_STYLE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _verify_line(letter: Letter) -> str:
    return f"核验码：{letter.verify_code}（可在本机关网站 {letter.verify_url} 核验本文书真伪）"


def _docx_files(doc, letter: Letter) -> None:
    """The release package under the reply: one row per file."""
    doc.add_paragraph("附：提供的政府信息清单")
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("文件", "页数", "处理", "依据")):
        cell.text = text
    for row in letter.files:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
