"""The fonts of the documents the platform prints: Word files name the fonts of Chinese office PCs.

Why: a letter or report opened in Word on an agency's PC must show the 公文 fonts of GB/T
9704-2012 (body 仿宋_GB2312, headings 黑体), not a font the PC lacks. 方正小标宋简体, the
standard's title font, is not on a typical PC, so titles use 宋体 bold; tables use 宋体. Latin
letters and digits use Times New Roman. The Noto CJK fonts of Debian's fonts-noto-cjk stand
in for them only when printing to PDF (embedded in the PDF), never in a Word file: the PDF
stacks below name the office fonts first and Noto after them.

Both Word writers (the annual report, `reportformat.docxfile`; the letters of a case,
`gongkai.applications.letters`) set these fonts on their styles with `style_fonts`.
"""

from __future__ import annotations

# -- Word (DOCX): the fonts a Chinese office PC has -----------------------------------------
BODY = "仿宋_GB2312"  # 正文
TITLE = "宋体"  # 标题 (bold; in place of 方正小标宋简体)
HEADING = "黑体"  # 一级标题
TABLE = "宋体"  # 表格
LATIN = "Times New Roman"  # Latin letters and digits
OFFICE_FONTS = (BODY, TITLE, HEADING, TABLE, LATIN)

# -- 字号 in points ----------------------------------------------------------------------------
ERHAO, SANHAO, SIHAO, XIAOSI, WUHAO = 22, 16, 14, 12, 10.5

# -- PDF (CSS font-family): the office font first, Noto CJK as the fallback that gets embedded --
NOTO_SERIF = "Noto Serif CJK SC"
NOTO_SANS = "Noto Sans CJK SC"


def _stack(*families: str, generic: str) -> str:
    return ", ".join(f'"{f}"' for f in families) + f", {generic}"


CSS_BODY = _stack(BODY, "FangSong_GB2312", "仿宋", "FangSong", NOTO_SERIF, generic="serif")
CSS_TITLE = _stack(TITLE, "SimSun", NOTO_SERIF, generic="serif")
CSS_HEADING = _stack(HEADING, "SimHei", NOTO_SANS, generic="sans-serif")
CSS_TABLE = _stack(TABLE, "SimSun", NOTO_SERIF, generic="serif")


def style_fonts(style, east_asian: str, *, size: float | None = None, bold: bool | None = None,
                latin: str = LATIN) -> None:
    """Name a python-docx style's fonts: `east_asian` for Chinese (w:eastAsia), `latin` for ascii/hAnsi.

    Theme fonts are dropped (they would override the names), and so are the colour and
    weight a built-in style (Title, Heading 1) brings, so the style prints black.
    """
    _rfonts(style.element.get_or_add_rPr(), east_asian, latin)
    rpr = style.element.rPr
    for tag in ("w:color", "w:b", "w:bCs", "w:i", "w:iCs", "w:kern", "w:spacing"):
        for el in rpr.findall(_qn(tag)):
            rpr.remove(el)
    if size is not None:
        style.font.size = _pt(size)
    if bold is not None:
        style.font.bold = bold


def title_style(style, size: float) -> None:
    """The built-in Title style as a 公文 title: 宋体 bold, centred, black, without its rule below."""
    # heavy; python-docx only needed to write a Word file
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    style_fonts(style, TITLE, size=size, bold=True)
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(_qn("w:pBdr")):
        ppr.remove(border)
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style.paragraph_format.first_line_indent = _pt(0)


def document_defaults(document, east_asian: str = BODY, latin: str = LATIN) -> None:
    """The document's default fonts (w:docDefaults) named, not themed, and its East Asian language zh-CN."""
    styles = document.styles.element
    defaults = styles.find(_qn("w:docDefaults"))
    rpr = defaults.find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
    _rfonts(rpr, east_asian, latin)
    lang = rpr.find(_qn("w:lang"))
    if lang is not None:
        lang.set(_qn("w:eastAsia"), "zh-CN")


def _rfonts(rpr, east_asian: str, latin: str) -> None:
    fonts = rpr.get_or_add_rFonts()  # python-docx keeps the schema's order of rPr children
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(_qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asian)):
        fonts.set(_qn(attr), name)


def _qn(tag: str) -> str:
    # heavy; python-docx only needed to write a Word file
    from docx.oxml.ns import qn

    return qn(tag)


def _pt(size: float):
    # heavy; python-docx only needed to write a Word file
    from docx.shared import Pt

    return Pt(size)


__all__ = ["BODY", "TITLE", "HEADING", "TABLE", "LATIN", "OFFICE_FONTS", "NOTO_SERIF", "NOTO_SANS",
           "CSS_BODY", "CSS_TITLE", "CSS_HEADING", "CSS_TABLE", "ERHAO", "SANHAO", "SIHAO", "XIAOSI", "WUHAO",
           "style_fonts", "title_style", "document_defaults"]
