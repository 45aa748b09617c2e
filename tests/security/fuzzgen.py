"""Hostile form and query values, request bodies in several encodings, and the response checks.

Shared by tests/security/test_fuzz_public.py, test_fuzz_staff.py and fuzz/fuzz_forms.py (which
runs the same generators for a time budget). A field gets either a plausible value (so the
request gets past the first checks and reaches the actions) or a hostile one: huge integers,
NUL and control characters, invalid UTF-8 bytes, GBK bytes, dates from year 1 to 9999 and
malformed dates, 100,000-character strings, repeated or missing keys, unicode oddities.
A request goes out as UTF-8 (urlencoded or multipart), as GBK with or without a charset
header, or with an unknown charset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

CJK = re.compile(r"[\u4e00-\u9fff]")
ALERT = re.compile(r'(?:role="alert"|class="[^"]*(?:errorlist|error|critical)[^"]*")[^>]*>(.*?)</', re.S)

SPECIALS = [
    "", " ", "\x00", "a\x00b", "\x01\x1f\x7f", "0", "-1", "-0", "+1", "1.5", "1e309", "NaN", "inf", "0x1f",
    "9" * 19, "9" * 20, "9" * 40, "-" + "9" * 30, "9" * 5000, "²", "١٢٣", "１２３", "〇", "Ⅻ",
    "\u202e\u202d", "\ufeff", "\u200b", "\u0301" * 10, "𠀀𪚥", "😀" * 5, "ＡＢＣ", "\r\n\r\n", "\t",
    "<script>alert(1)</script>", "' OR '1'='1' --", "../../etc/passwd", "%00", "%FF", "{{ 7*7 }}", "${jndi:x}",
    "null", "None", "undefined", "[]", "{}", "true", "on",
]
BYTES = [b"\xff\xfe", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80", "中文留言".encode("gbk"), "查询".encode("gb18030"),
         b"\x00", "€".encode("cp1252"), b"\xe4\xb8"]
DATE_FORMS = ["{y:04d}-{m:02d}-{d:02d}", "{y}-{m}-{d}", "{y}/{m}/{d}", "{y}年{m}月{d}日", "{y:04d}{m:02d}{d:02d}",
              "{d:02d}.{m:02d}.{y:04d}", "{y:04d}-{m:02d}-{d:02d}T25:61:00"]
MALFORMED_DATES = ["2026-02-30", "2026-13-01", "0000-00-00", "2026-00-10", "２０２６-０３-０２", "2026-3-",
                   "-2026-03-02", "20260302000", "2026-03-02" + "0" * 50, "99999-01-01", "1-1-1", "昨天"]
LONG = [("a", 100_000), ("中", 100_000), ("9", 100_000), ("\x00", 1000), ("𠀀", 20_000)]


def _date_text(d: date, form: str) -> str:
    return form.format(y=d.year, m=d.month, d=d.day)


any_date = st.builds(_date_text, st.dates(), st.sampled_from(DATE_FORMS))  # years 1..9999
edge_dates = st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2100-12-31", "2101-01-01",
                              "1970-01-01", "2038-01-19"])
hostile_text = st.one_of(
    st.sampled_from(SPECIALS),
    st.integers(-(10**40), 10**40).map(str),
    st.text(max_size=40),
    st.builds(lambda c_n: c_n[0] * c_n[1], st.sampled_from(LONG)),
    any_date, edge_dates, st.sampled_from(MALFORMED_DATES),
)
hostile_bytes = st.one_of(st.sampled_from(BYTES), st.binary(min_size=1, max_size=16))
# A value is one string or bytes; a list sends the key repeated (an empty list leaves it out).
hostile_value = st.one_of(hostile_text, hostile_text, hostile_bytes,
                          st.lists(st.one_of(hostile_text, hostile_bytes), max_size=3))

ENCODINGS = ["utf-8", "utf-8", "utf-8", "multipart", "gbk-declared", "gbk-undeclared", "bogus-charset"]


@dataclass
class Form:
    """Plausible values per field; the fuzzer mixes them with hostile ones."""

    fields: dict[str, list]
    extra: dict[str, Callable[[], dict]] = field(default_factory=dict)  # fresh values per request (captcha)


def form_data(form: Form) -> st.SearchStrategy[dict]:
    def one(name):
        plausible = form.fields[name]
        choices = [st.sampled_from(plausible)] * 3 if plausible else []
        return st.one_of(*choices, hostile_value)

    return st.fixed_dictionaries({name: one(name) for name in form.fields},
                                 optional={"_stray": hostile_value, "\x00": hostile_value})


def _encode(value, codec: str) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode(codec, errors="replace")


def _pairs(data: dict) -> list[tuple[str, object]]:
    out = []
    for key, value in data.items():
        for v in (value if isinstance(value, list) else [value]):
            out.append((key, v))
    return out


def urlencoded(data: dict, codec: str = "utf-8") -> bytes:
    return b"&".join(quote_from_bytes(_encode(k, codec), safe=b"").encode() + b"="
                     + quote_from_bytes(_encode(v, codec), safe=b"").encode() for k, v in _pairs(data))


BOUNDARY = "----gongkaiFuzzBoundary7MA4YWxkTrZu0gW"


def multipart(data: dict, files: dict | None = None) -> bytes:
    parts = []
    for key, value in _pairs(data):
        parts.append(b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-data; name=\""
                     + _encode(key, "utf-8").replace(b'"', b"") + b"\"\r\n\r\n" + _encode(value, "utf-8") + b"\r\n")
    for key, (name, content) in (files or {}).items():
        parts.append(b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-data; name=\"" + key.encode()
                     + b"\"; filename=\"" + _encode(name, "utf-8").replace(b'"', b"").replace(b"\r", b"").replace(b"\n", b"")
                     + b"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + b"\r\n")
    return b"".join(parts) + b"--" + BOUNDARY.encode() + b"--\r\n"


def body_for(data: dict, encoding: str, files: dict | None = None) -> tuple[bytes, str]:
    """(body, Content-Type) for one of ENCODINGS; files force multipart."""
    if files or encoding == "multipart":
        return multipart(data, files), f"multipart/form-data; boundary={BOUNDARY}"
    form_type = "application/x-www-form-urlencoded"
    if encoding == "gbk-declared":
        return urlencoded(data, "gbk"), form_type + "; charset=gbk"
    if encoding == "gbk-undeclared":
        return urlencoded(data, "gbk"), form_type
    if encoding == "bogus-charset":
        return urlencoded(data), form_type + "; charset=x-no-such-charset"
    return urlencoded(data), form_type


def post(client, path: str, data: dict, encoding: str = "utf-8", files: dict | None = None):
    body, content_type = body_for(data, encoding, files)
    return client.generic("POST", path, body, content_type=content_type)


def get(client, path: str, data: dict):
    query = urlencoded(data).decode("ascii")
    return client.generic("GET", f"{path}?{query}" if query else path)


# ---------------------------------------------------------------------------------------
# checks


@dataclass
class Tally:
    """How many inputs each endpoint was sent (reported by the tests and the fuzz script)."""

    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)

    def add(self, name: str, status: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1
        self.statuses[status] = self.statuses.get(status, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return f"{self.total} inputs to {len(self.counts)} endpoints (responses {statuses})"


def alert_texts(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in ALERT.findall(html)]


def _has_error_page(status: int) -> bool:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template(f"{status}.html")
    except TemplateDoesNotExist:
        return False
    return True


def check_response(response, *, label: str, rejected: bool, counts_before: dict | None = None,
                   counts_after: dict | None = None) -> None:
    """No 5xx; a refusal says in Chinese what is wrong; a refused form stored nothing."""
    status = response.status_code
    assert status < 500, f"{label}: HTTP {status}"
    if 300 <= status < 400:
        return
    content_type = response.get("Content-Type", "")
    if "json" in content_type and rejected:  # a script's refusal: its `error` says in Chinese what is wrong
        import json

        error = json.loads(response.content).get("error", "")
        assert CJK.search(error), f"{label}: HTTP {status} JSON refusal without a Chinese error: {response.content[:200]!r}"
        return
    if "html" not in content_type:
        assert not rejected, f"{label}: refused without a page ({content_type})"
        return
    html = response.content.decode("utf-8")
    if status not in (403, 404) or _has_error_page(status):  # Django's own 403/404 until the site ships its page
        assert CJK.search(html), f"{label}: HTTP {status} page without Chinese text"
    if rejected:
        error_page = f"{status}.html" in {t.name for t in getattr(response, "templates", None) or []}
        if status not in (403, 404) and not error_page:  # the site's 400 page (body too large) is one message
            assert any(CJK.search(t) for t in alert_texts(html)), f"{label}: HTTP {status} without a Chinese error message"
        if counts_before is not None:
            assert counts_after == counts_before, f"{label}: refused form changed stored rows {counts_before} -> {counts_after}"
