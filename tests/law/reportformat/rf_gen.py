"""Test helpers: sample documents and text renderings of them in the shapes found in the wild."""

from __future__ import annotations

import random
import re

from hypothesis import strategies as st

from gongkai.law import reportformat as rf
from gongkai.law.reportformat.htmlparse import html_to_text
from gongkai.law.reportformat.sample import sample_document

FORMATS = [rf.GOV2021, rf.GOV2019]


def documents(fmt: str | None = None):
    """A strategy of consistent report documents (a seed drives the generator)."""
    return st.builds(lambda seed, f: sample_document(random.Random(seed), f),
                     st.integers(0, 2**32 - 1),
                     st.just(fmt) if fmt else st.sampled_from(FORMATS))


def tsv_text(doc) -> str:
    """The document as tab-separated text (one line per table row), like a crawler dump."""
    return html_to_text(rf.render_html(doc))


_NUMS = re.compile(r"^-?\d+(?:\.\d+)?$")


def to_markdown(text: str) -> str:
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            out.append("| " + " | ".join(cells) + " |")
            out.append("|" + "---|" * len(cells))
        else:
            out.append(line)
    return "\n".join(out)


def to_pdf_text(text: str, rng: random.Random) -> str:
    """Space-separated rows, labels broken over lines (sometimes one character per line),
    numbers sometimes on their own lines, and page footers dropped between rows."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if "\t" not in line:
            out.append(line)
            continue
        cells = [c for c in line.split("\t") if c]
        labels = [c for c in cells if not _NUMS.match(c)]
        nums = [c for c in cells if _NUMS.match(c)]
        label = "".join(labels)
        style = rng.randrange(4)
        if style == 0 and len(label) > 6:
            cut = rng.randrange(2, len(label) - 2)
            out.append(label[:cut])
            out.append(label[cut:] + " " + " ".join(nums))
        elif style == 1 and label:
            out.extend(label)
            out.extend(nums)
        else:
            out.append((label + " " + " ".join(nums)).strip())
        if rng.random() < 0.08:
            out.append(rng.choice(["— 2 —", "第 3 页 共 5 页", "- 4 -", "2/5"]))
    return "\n".join(out)


def run_together(text: str, rng: random.Random) -> str:
    """Glue the numbers of some table rows together without any separator."""
    out = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) > 2 and rng.random() < 0.5:
            labels = "".join(c for c in cells if not _NUMS.match(c))
            nums = "".join(c for c in cells if _NUMS.match(c))
            out.append(labels + nums)
        else:
            out.append(line.replace("\t", " "))
    return "".join(out) if rng.random() < 0.5 else "\n".join(out)
