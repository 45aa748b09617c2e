"""A small horizontal stacked bar chart as inline SVG (no scripts, no outside requests)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

SEGMENTS = (
    ("on_time", "按期答复", "#2e7d32"),
    ("late", "超期答复", "#c62828"),
    ("open", "未办结", "#f9a825"),
    ("converted", "转为申请", "#78909c"),
)


def stacked_bars(title: str, rows: list[tuple[str, object]]) -> str:
    """rows: (label, Bucket). One bar per row, segments per SEGMENTS, with a legend."""
    label_w, bar_w, row_h, top = 90, 420, 28, 30
    height = top + row_h * len(rows) + 40
    biggest = max([b.received for _, b in rows] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + bar_w + 60} {height}" '
        f'width="100%" style="max-width:{label_w + bar_w + 60}px" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, bucket) in enumerate(rows):
        y = top + i * row_h
        parts.append(f'<text x="0" y="{y + 17}" font-size="13">{escape(label)}</text>')
        x = float(label_w)
        for key, name, color in SEGMENTS:
            value = getattr(bucket, key)
            if not value:
                continue
            w = bar_w * value / biggest
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" fill="{color}">'
                f"<title>{escape(label)} {name}：{value}件</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 17}" font-size="12">{bucket.received}</text>')
    y = top + row_h * len(rows) + 14
    x = label_w
    for _key, name, color in SEGMENTS:
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{color}"/>'
                     f'<text x="{x + 16}" y="{y + 11}" font-size="12">{name}</text>')
        x += 95
    parts.append("</svg>")
    return mark_safe("".join(parts))
