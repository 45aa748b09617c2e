"""The release package of a case: checking uploads, the redaction engine, electronic delivery.

Helpers of the actions in `actions/release.py` and of the pages: what an upload may be
(size, type, and whatever the redaction engine `gongkai.core.redaction` refuses), turning
the marks staff chose into the engine's marks, the period during which the applicant may
download online (`RELEASE_ONLINE_DAYS`, from the decision), and the signed short-lived
links of the status page: a link names the case and the file, is bound to the status
session that found the case (a random nonce kept in that session), and expires after
`RELEASE_LINK_SECONDS`. The query code never appears in a URL.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.http import FileResponse, Http404

from gongkai.core import clock as system_clock
from gongkai.core.domain import DomainError
from gongkai.law import pii

if TYPE_CHECKING:
    from .models import ReleaseFile

ALLOWED_SUFFIXES = {".pdf": "PDF", ".docx": "Word（DOCX）", ".xlsx": "Excel（XLSX）", ".png": "PNG 图片",
                    ".jpg": "JPEG 图片", ".jpeg": "JPEG 图片"}
ONLINE_METHODS = ("online", "email")  # 网上查看 / 电子邮件: the status page offers the letter and the files
SESSION_KEY = "applications_release"
LINK_SALT = "gongkai.applications.release-link"


def max_upload_bytes() -> int:
    return int(getattr(settings, "RELEASE_MAX_UPLOAD_MB", 50)) * 1024 * 1024


def online_days() -> int:
    return int(getattr(settings, "RELEASE_ONLINE_DAYS", 30))


def link_seconds() -> int:
    return int(getattr(settings, "RELEASE_LINK_SECONDS", 600))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clean_filename(name: str) -> str:
    """The last part of the name the browser sent, without control characters, at most 120 characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/|?*').strip() or "文件"
    stem, dot, suffix = base.rpartition(".")
    if dot and len(base) > 120:
        base = stem[: 119 - len(suffix)] + "." + suffix
    return base[:120]


def check_upload(data: bytes, filename: str) -> tuple[bytes, int]:
    """Refuse what cannot be released (DomainError in Chinese); return the upload as a PDF and its pages.

    The engine's `prepare` sniffs the content, checks it against the name, enforces its
    limits and converts DOCX/XLSX (LibreOffice) and images to PDF. A DOCX takes a few
    seconds here; the refusal must come before anything is stored, so it runs in the request.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise DomainError(f"不支持“{suffix or '无扩展名'}”类型的文件。请上传 PDF、Word（DOCX）、Excel（XLSX）"
                          "或 PNG/JPEG 图片（扫描件请转为 PDF 或图片）。", field="file")
    if not data:
        raise DomainError("上传的文件是空的，请重新选择文件。", field="file")
    limit = max_upload_bytes()
    if len(data) > limit:
        raise DomainError(f"文件大小 {len(data) / 1048576:.1f} MB，超过上限 {limit // 1048576} MB。"
                          "请拆分或压缩后再上传。", field="file")
    import pymupdf  # heavy; only needed for uploads

    from gongkai.core.redaction import RedactionInputError, prepare

    try:
        pdf = prepare(data, filename)
    except RedactionInputError as exc:
        raise DomainError(str(exc), field="file") from None
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return pdf, doc.page_count


# --------------------------------------------------------------------------------------
# marks


def pattern_choices() -> list[tuple[str, str]]:
    """The personal-data patterns staff may tick (the engine's `PATTERN_KINDS`: code → the detector's kind)."""
    from gongkai.law.redaction import PATTERN_KINDS

    return [(code, pii.KIND_LABELS.get(code, kind)) for code, kind in PATTERN_KINDS.items()]


def basis_choices() -> list[tuple[str, str]]:
    """The bases a redaction may rest on (the engine's `BASES`: code → label printed in the box)."""
    from gongkai.law.redaction import BASES

    return [(code, _label(info)) for code, info in BASES.items()]


def _label(info) -> str:
    return info if isinstance(info, str) else getattr(info, "label", str(info))


def clean_marks(texts: str | list[str], patterns: list[str], text_basis: str, pattern_basis: str) -> list[dict]:
    """Marks as stored on the file: text strings (one per line) and patterns, each with its basis."""
    bases = dict(basis_choices())
    lines = texts.splitlines() if isinstance(texts, str) else list(texts or [])
    strings = list(dict.fromkeys(s.strip() for s in lines if s and s.strip()))
    kinds = [p for p in dict.fromkeys(patterns or [])]
    unknown = [p for p in kinds if p not in dict(pattern_choices())]
    if unknown:
        raise DomainError("没有这种个人信息类型：" + "、".join(unknown) + "。", field="patterns")
    if not strings and not kinds:
        raise DomainError("请至少填写一处要遮盖的文字（每行一处），或勾选一种个人信息。", field="texts")
    if strings and text_basis not in bases:
        raise DomainError("请为要遮盖的文字选择遮盖依据。", field="text_basis")
    if kinds and pattern_basis not in bases:
        raise DomainError("请为勾选的个人信息选择遮盖依据。", field="pattern_basis")
    short = [s for s in strings if len(s) < 2]
    if short:
        raise DomainError("要遮盖的文字至少2个字（单个字会遮掉全文中所有同样的字）：" + "、".join(short) + "。",
                          field="texts")
    return ([{"kind": "text", "value": s, "basis": text_basis} for s in strings]
            + [{"kind": "pattern", "value": k, "basis": pattern_basis} for k in kinds])


def engine_marks(marks: list[dict]) -> list:
    from gongkai.law.redaction import PatternMark, TextMark

    return [TextMark(m["value"], m["basis"]) if m["kind"] == "text" else PatternMark(m["value"], m["basis"])
            for m in marks]


def describe_mark(mark: dict) -> str:
    bases = dict(basis_choices())
    what = f"“{mark['value']}”" if mark["kind"] == "text" else dict(pattern_choices()).get(mark["value"], mark["value"])
    return f"{what}（{bases.get(mark['basis'], mark['basis'])}）"


def mask_text(value: str) -> str:
    """A survivor as shown on the case page: enough to find it, not the whole string."""
    value = str(value)
    if len(value) <= 2:
        return value[0] + "*" if len(value) == 2 else "*"
    keep = 1 if len(value) <= 6 else 3
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


# --------------------------------------------------------------------------------------
# electronic delivery


def online_until(decided_on: date | None) -> date | None:
    return decided_on + timedelta(days=online_days()) if decided_on else None


def online_open(app) -> bool:
    until = online_until(app.decided_on)
    return until is not None and system_clock.today() <= until


def offers_online(app) -> bool:
    return app.delivery_wanted in ONLINE_METHODS and app.decided_on is not None and bool(app.outcome)


def start_session(session, app) -> None:
    """The status page found `app`: remember it with a fresh nonce that the download links carry."""
    session[SESSION_KEY] = {"app": app.pk, "nonce": secrets.token_urlsafe(16)}


def make_link_token(session, app, file_id: int | None) -> str:
    state = session.get(SESSION_KEY) or {}
    return signing.dumps({"a": app.pk, "f": file_id or 0, "n": state.get("nonce", "")}, salt=LINK_SALT, compress=True)


class LinkRefused(Exception):
    """A download link that does not open (the message is for the applicant)."""


def read_link_token(session, token: str) -> tuple[int, int | None]:
    """(application id, release file id or None for the letter) of a valid link of this session."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=link_seconds())
    except signing.SignatureExpired:
        raise LinkRefused("下载链接已过期，请重新查询办理进度后再下载。") from None
    except signing.BadSignature:
        raise LinkRefused("下载链接无效，请重新查询办理进度后再下载。") from None
    state = session.get(SESSION_KEY) or {}
    if not isinstance(payload, dict) or not state.get("nonce") or payload.get("n") != state.get("nonce") \
            or payload.get("a") != state.get("app"):
        raise LinkRefused("下载链接只能在查询办理进度的同一浏览器中使用，请重新查询后再下载。")
    return int(payload["a"]), int(payload["f"]) or None


def ip_hash(ip: str) -> str:
    """A keyed hash of the client address (the address itself is never stored)."""
    return hmac.new(settings.SECRET_KEY.encode(), f"release-download:{ip}".encode(), hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------------------
# the case page


def case_context(app, user) -> dict:
    """What the case page shows of the package."""
    files = list(app.release_files.select_related("redacted_by", "confirmed_by").prefetch_related("jobs"))
    for f in files:
        jobs = list(f.jobs.all())
        f.latest_job = jobs[0] if jobs else None
        f.marks_text = "；".join(describe_mark(m) for m in f.marks) if f.marks else ""
        f.may_confirm = (f.verification == "unverified" and f.confirmed_at is None and f.redacted_by_id != user.pk)
    return {"release_files": files, "release_online": app.delivery_wanted in ONLINE_METHODS,
            "release_until": online_until(app.decided_on),
            "release_downloads": list(app.downloads.select_related("release_file")),
            "release_editable": app.status in ("processing", "decided")}


# --------------------------------------------------------------------------------------
# serving a stored file (staff pages and the applicant's download)


def download_name(f: ReleaseFile, which: str) -> str:
    stem = f.name.rpartition(".")[0] or f.name
    if which == "original":
        return f"原件-{f.name}"
    return f"{stem}（公开文本）.pdf" if f.disposition == "partial" else f.name


def file_response(f: ReleaseFile, which: str, *, inline: bool = False) -> FileResponse:
    field = f.original if which == "original" else f.released
    if not field:
        raise Http404
    name = download_name(f, which)
    try:
        handle = field.open("rb")
    except FileNotFoundError:  # the row outlived its file (a restore without the private folder)
        raise Http404("文件已不在服务器上，请联系系统管理员从备份恢复。") from None
    response = FileResponse(handle, content_type="application/pdf" if name.lower().endswith(".pdf")
                            else "application/octet-stream")
    response["Content-Disposition"] = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
