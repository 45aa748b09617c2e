"""The release package: files added to a case, redacted, confirmed, removed, and downloaded online."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.agencies.access import has_role
from gongkai.audit.record import record
from gongkai.core import clock as system_clock
from gongkai.core.domain import DomainError, action, lock, require_status, unchanged
from gongkai.law.replies import PART_REASONS

from .. import release
from ..models import Application, Disposition, RedactionJob, ReleaseDownload, ReleaseFile, Status, Verification
from ..nextstep import HANDLER_ROLES
from ._common import _check_actor
from .decision import application_deliver

EDITABLE = (Status.PROCESSING, Status.DECIDED)


def _check_handler(app: Application, actor) -> None:
    _check_actor(app, actor)
    if actor is not None and not has_role(actor, app.agency, *HANDLER_ROLES):
        raise DomainError("只有依申请公开经办人或公开工作机构负责人可以办理公开文件。")


def _file_summary(f: ReleaseFile) -> dict:
    return {"file": f.name, "disposition": f.disposition, "verification": f.verification, "pages": f.pages,
            "sha256": f.sha256 or None}


@action("applications.release_add")
def release_add(application: Application, *, actor, name: str, data: bytes, disposition: str,
                reason: str = "", basis: str = "") -> ReleaseFile:
    """Attach one file to the case's release package (stored privately; the original is kept as uploaded)."""
    _check_handler(application, actor)
    app = lock(application)
    require_status(app, EDITABLE, "添加公开文件")
    name = release.clean_filename(name)
    if disposition not in Disposition.values:
        raise DomainError("请选择该文件的处理方式（公开、部分公开或不予公开）。", field="disposition")
    reason, basis = (reason or "").strip(), (basis or "").strip()
    if disposition == Disposition.FULL:
        reason = basis = ""
    else:
        if reason not in PART_REASONS:
            raise DomainError("部分公开或不予公开的文件，请选择不予公开的理由类型。", field="reason")
        if not basis:
            raise DomainError("部分公开或不予公开的文件，请写明法律依据和理由（将写入答复书）。", field="basis")
    _pdf, pages = release.check_upload(data, name)
    digest = release.sha256(data)
    f = ReleaseFile(agency_id=app.agency_id, application=app, name=name, original_sha256=digest,
                    disposition=disposition, reason=reason, basis=basis, pages=pages, added_by=actor,
                    verification=Verification.NOT_NEEDED if disposition == Disposition.WITHHELD else Verification.PENDING)
    f.original.save(f"original-{digest[:16]}{_suffix(name)}", ContentFile(data), save=False)
    _saved_or_removed(f, [f.original.name, f.released.name], lambda: (f.save(), record(
        "applications.release_add", actor=actor, agency=app.agency, subject=app, old=None,
        new={**_file_summary(f), "original_sha256": digest, "reason": reason or None})))
    return f


def _suffix(name: str) -> str:
    return "." + name.rpartition(".")[2].lower() if "." in name else ""


def _saved_or_removed(f: ReleaseFile, names: list[str], write) -> None:
    """Run `write` (row and audit); if it fails, the files just stored are removed again."""
    from gongkai.core.storage import private_storage

    try:
        write()
    except Exception:
        for n in names:
            if n:
                private_storage.delete(n)
        raise


@action("applications.release_redact")
def release_redact(release_file: ReleaseFile, *, actor, marks: list[dict]) -> RedactionJob:
    """Record the marks and a queued `RedactionJob` (`tasks.submit_redaction` enqueues it).

    A 部分公开 file needs marks. A 公开 file goes through the engine with none: the released copy
    is the engine's PDF (properties, comments, attachments and hidden layers stripped), and the
    check refuses it while personal data nobody marked or confirmed can be read in it.
    """
    app = release_file.application
    _check_handler(app, actor)
    lock(app)
    f = lock(release_file)
    require_status(app, EDITABLE, "遮盖公开文件")
    if f.disposition == Disposition.WITHHELD:
        raise DomainError("不予公开的文件不提供给申请人，无需遮盖。")
    if f.jobs.filter(status__in=(RedactionJob.Status.QUEUED, RedactionJob.Status.RUNNING)).exists():
        raise DomainError("该文件正在遮盖，请等待完成后再修改遮盖标记。")
    if not marks and f.disposition == Disposition.PARTIAL:
        raise DomainError("请至少填写一处要遮盖的文字，或勾选一种个人信息。", field="texts")
    if marks and f.disposition == Disposition.FULL:
        raise DomainError("“公开”的文件按原文提供，不能遮盖；如需遮盖，请删除后以“部分公开”重新添加。")
    old = {"marks": f.marks, "verification": f.verification}
    f.marks = marks
    f.verification = Verification.PENDING
    f.released, f.sha256, f.survivors, f.unverified_pages = "", "", [], []
    f.confirmed_by = f.confirmed_at = None
    f.save()
    job = RedactionJob.objects.create(agency_id=f.agency_id, release_file=f, marks=marks, requested_by=actor)
    record("applications.release_redact", actor=actor, agency=app.agency, subject=app, old=old,
           new={"file": f.name, "marks": marks, "job": job.pk})
    return job


@action("applications.release_redacted")
def release_store_redaction(job: RedactionJob, *, pdf: bytes, survivors: list[str], unverified_pages: list[int],
                            pages: int | None) -> ReleaseFile:
    """Keep the engine's redacted PDF and its verdict (called by the background job)."""
    f = lock(job.release_file)
    if f.marks != job.marks or f.verification != Verification.PENDING:
        unchanged()  # the marks changed since this job started: a newer job decides
        return f
    digest = release.sha256(pdf)
    f.released.save(f"released-{digest[:16]}.pdf", ContentFile(pdf), save=False)
    f.sha256, f.pages = digest, pages or f.pages
    f.survivors, f.unverified_pages = survivors, unverified_pages
    f.verification = (Verification.FAILED if survivors else Verification.UNVERIFIED if unverified_pages
                      else Verification.VERIFIED)
    f.redacted_by, f.redacted_at = job.requested_by, system_clock.now()
    _saved_or_removed(f, [f.released.name], lambda: (f.save(), record(
        "applications.release_redacted", actor=job.requested_by, agency=f.agency, subject=f.application,
        old={"verification": Verification.PENDING},
        new={**_file_summary(f), "survivors": survivors, "unverified_pages": unverified_pages})))
    return f


@action("applications.release_confirm")
def release_confirm(release_file: ReleaseFile, *, actor) -> ReleaseFile:
    """A second staff member confirms, having looked, the pages the engine could not check."""
    app = release_file.application
    _check_handler(app, actor)
    f = lock(release_file)
    if f.verification != Verification.UNVERIFIED or f.confirmed_at is not None:
        raise DomainError("只有“未能核验”且尚未复核的文件需要复核确认。")
    if actor is None or f.redacted_by_id == actor.pk:
        raise DomainError("未能核验的遮盖须由遮盖人以外的另一名工作人员查看后复核确认。")
    f.confirmed_by, f.confirmed_at = actor, system_clock.now()
    f.save(update_fields=["confirmed_by", "confirmed_at"])
    record("applications.release_confirm", actor=actor, agency=app.agency, subject=app,
           old={"verification": f.verification, "confirmed_by": None},
           new={"file": f.name, "confirmed_by": actor.get_username(), "unverified_pages": f.unverified_pages,
                "confirmed_at": f.confirmed_at.isoformat()})
    return f


@action("applications.release_remove")
def release_remove(release_file: ReleaseFile, *, actor) -> None:
    """Remove a file from the package before the case is delivered (and before anyone downloaded it)."""
    from gongkai.core.storage import private_storage

    app = release_file.application
    _check_handler(app, actor)
    lock(app)
    f = lock(release_file)
    require_status(app, EDITABLE, "删除公开文件")
    if f.downloads.exists():
        raise DomainError("申请人已下载过该文件，不能删除；如需更正，请添加更正后的文件并在备注中说明。")
    names = [f.original.name, f.released.name]
    summary = _file_summary(f)
    f.jobs.all().delete()
    f.delete()
    transaction.on_commit(lambda: [private_storage.delete(n) for n in names if n])
    record("applications.release_remove", actor=actor, agency=app.agency, subject=app, old=summary, new=None)


@action("applications.release_download")
def release_record_download(application: Application, *, release_file: ReleaseFile | None, ip: str) -> ReleaseDownload:
    """Log one download from the status page; the first download of the letter is the 网上送达."""
    app = lock(application)
    now = system_clock.now()
    download = ReleaseDownload.objects.create(agency_id=app.agency_id, application=app, release_file=release_file,
                                              at=now, ip_hash=release.ip_hash(ip))
    record("applications.release_download", actor=None, agency=app.agency, subject=app, old=None,
           new={"file": release_file.name if release_file else "答复书", "at": now.isoformat()})
    if release_file is None and app.status == Status.DECIDED:
        application_deliver(app, actor=None, on=system_clock.today(), method="网上送达")
    return download
