"""What a printed document names as its fonts: Word styles (office fonts, no Noto) and PDF embedding.

`assert_office_fonts(docx_bytes, expected)` opens the Word file's XML: no part of it names a
Noto font, no run names a font of its own (the styles do), and each style named in
`expected` resolves (through basedOn and the document defaults) to that East Asian font with
Times New Roman for Latin text. `pdf_fonts(pdf_bytes)` lists the fonts of a PDF with whether
each is embedded, from poppler's `pdffonts`.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile

from lxml import etree

from gongkai.law import officefonts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FONT_ATTRS = ("eastAsia", "ascii", "hAnsi")
THEME_ATTRS = ("eastAsiaTheme", "asciiTheme", "hAnsiTheme")


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist() if name.endswith((".xml", ".rels"))}


def _rfonts(el) -> dict[str, str]:
    fonts = el.find(f"{W}rPr/{W}rFonts") if el is not None else None
    if fonts is None:
        return {}
    return {k: fonts.get(W + k) for k in FONT_ATTRS + THEME_ATTRS if fonts.get(W + k) is not None}


def style_fonts(data: bytes) -> dict[str, dict]:
    """{style name in lower case: {"eastAsia", "ascii", "hAnsi", "bold"}} resolved through basedOn and docDefaults."""
    root = etree.fromstring(_parts(data)["word/styles.xml"])
    defaults = _rfonts(root.find(f"{W}docDefaults/{W}rPrDefault"))
    by_id = {s.get(W + "styleId"): s for s in root.iter(W + "style")}

    def resolve(style) -> dict:
        based = style.find(W + "basedOn")
        out = dict(defaults) if based is None else resolve(by_id[based.get(W + "val")])
        own = _rfonts(style)
        if any(k in own for k in FONT_ATTRS):  # a named font replaces the theme font of that slot
            for k, theme in zip(FONT_ATTRS, THEME_ATTRS):
                if k in own:
                    out.pop(theme, None)
        out.update(own)
        bold = style.find(f"{W}rPr/{W}b")
        if bold is not None:
            out["bold"] = bold.get(W + "val", "true") not in ("0", "false")
        return out

    return {s.find(W + "name").get(W + "val").lower(): resolve(s) for s in by_id.values()}


def used_styles(data: bytes) -> set[str]:
    """Names (lower case) of the paragraph styles the document's paragraphs use ("normal" when none is set)."""
    parts = _parts(data)
    styles = etree.fromstring(parts["word/styles.xml"])
    names = {s.get(W + "styleId"): s.find(W + "name").get(W + "val").lower() for s in styles.iter(W + "style")}
    body = etree.fromstring(parts["word/document.xml"])
    used = set()
    for p in body.iter(W + "p"):
        ref = p.find(f"{W}pPr/{W}pStyle")
        used.add(names[ref.get(W + "val")] if ref is not None else "normal")
    return used


def assert_office_fonts(data: bytes, expected: dict[str, str], bold: set[str] = frozenset()) -> None:
    parts = _parts(data)
    assert "word/document.xml" in parts and "word/styles.xml" in parts
    for name, xml in parts.items():
        assert b"Noto" not in xml, f"{name} names a Noto font"
    body = etree.fromstring(parts["word/document.xml"])
    assert not list(body.iter(W + "rFonts")), "fonts are named by the styles, not run by run"
    resolved = style_fonts(data)
    used = used_styles(data)
    expected = {name.lower(): font for name, font in expected.items()}  # Word's built-in names: "heading 1"
    bold = {name.lower() for name in bold}
    assert set(expected) <= used | {"table grid"}, (set(expected), used)
    for name in used | set(expected):
        fonts = resolved[name]
        assert not any(k in fonts for k in THEME_ATTRS), (name, fonts)
        assert fonts.get("eastAsia") in (officefonts.BODY, officefonts.TITLE, officefonts.HEADING), (name, fonts)
        assert fonts.get("ascii") == fonts.get("hAnsi") == officefonts.LATIN, (name, fonts)
    for name, east_asian in expected.items():
        assert resolved[name]["eastAsia"] == east_asian, (name, resolved[name])
    for name in bold:
        assert resolved[name].get("bold") is True, (name, resolved[name])
    defaults = etree.fromstring(parts["word/styles.xml"]).find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert defaults.get(W + "eastAsia") == "zh-CN"


def pdf_fonts(data: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded?) for each font of the PDF, from `pdffonts`."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["pdffonts", f.name], check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    header = lines[0]
    emb = header.index(" emb ") + 1  # the column of the 'emb' flag
    return [(line.split()[0], line[emb:emb + 3].strip() == "yes") for line in lines[2:] if line.strip()]


def assert_pdf_embeds_its_fonts(data: bytes) -> list[str]:
    fonts = pdf_fonts(data)
    assert fonts, "the PDF names no font"
    assert all(embedded for _name, embedded in fonts), fonts
    return [name for name, _ in fonts]
