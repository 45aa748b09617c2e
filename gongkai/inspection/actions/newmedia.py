"""The agency's 政务新媒体 accounts: register, change, and record when each was last updated.

The 2-week rule (《政府网站与政务新媒体检查指标》) needs each account's last update: staff
record it by hand after each update (登记更新), or the account's RSS/Atom feed is read
every day (`newmedia_read_feed`, run by `manage.py inspection_read_feeds`).
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from gongkai.agencies.access import has_role
from gongkai.agencies.roles import Role
from gongkai.audit.record import record
from gongkai.core import clock
from gongkai.core.domain import DomainError, action, lock, unchanged

from ..feeds import FeedError, newest_entry_date
from ..models import NewMediaAccount, Platform

MANAGING_ROLES = (Role.OFFICE_HEAD, Role.EDITOR)
EDITABLE = ("platform", "name", "url", "feed_url", "has_interaction", "is_active")
_URL = URLValidator(schemes=["http", "https"])


def _require_manager(actor, agency) -> None:
    if actor is not None and not has_role(actor, agency, *MANAGING_ROLES):
        raise DomainError("您不是本机关的公开工作机构负责人或编辑，不能管理政务新媒体账号。")


def _clean(agency, values: dict, account: NewMediaAccount | None = None) -> dict:
    """The account's fields checked and normalised; a DomainError names the wrong field."""
    out = dict(values)
    if "platform" in out and out["platform"] not in Platform.values:
        raise DomainError("请选择平台。", field="platform")
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            raise DomainError("请填写账号名称。", field="name")
        if len(out["name"]) > 100:
            raise DomainError("账号名称不能超过100个字。", field="name")
    for key, what in (("url", "账号地址"), ("feed_url", "内容订阅地址")):
        if key in out:
            out[key] = (out[key] or "").strip()
            if out[key]:
                try:
                    _URL(out[key])
                except ValidationError:
                    raise DomainError(f"{what}不是有效的网址，请填写以 http:// 或 https:// 开头的完整地址。",
                                      field=key) from None
    if "has_interaction" in out and out["has_interaction"] not in (None, True, False):
        raise DomainError("请选择是否提供互动功能。", field="has_interaction")
    platform = out.get("platform", account.platform if account else None)
    name = out.get("name", account.name if account else None)
    clash = NewMediaAccount.objects.filter(agency=agency, platform=platform, name=name)
    if account is not None:
        clash = clash.exclude(pk=account.pk)
    if clash.exists():
        raise DomainError(f"本机关已登记{Platform(platform).label}账号“{name}”。", field="name")
    return out


def _dated(account) -> dict:
    """The last update as the audit record keeps it (JSON: the date as YYYY-MM-DD)."""
    last = account.last_update
    return {"last_update": last.isoformat() if last else None, "last_update_source": account.last_update_source}


@action("inspection.newmedia_create")
def newmedia_create(agency, *, actor, platform: str, name: str, url: str = "", feed_url: str = "",
                    has_interaction: bool | None = None) -> NewMediaAccount:
    _require_manager(actor, agency)
    values = _clean(agency, {"platform": platform, "name": name, "url": url, "feed_url": feed_url,
                             "has_interaction": has_interaction})
    account = NewMediaAccount.objects.create(agency=agency, **values)
    record("inspection.newmedia_create", actor=actor, agency=agency, subject=account, new=values)
    return account


@action("inspection.newmedia_update")
def newmedia_update(account: NewMediaAccount, *, actor, **fields) -> NewMediaAccount:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"newmedia_update: not editable here: {sorted(unknown)}")
    account = lock(account)
    _require_manager(actor, account.agency)
    if "is_active" in fields:
        fields["is_active"] = bool(fields["is_active"])
    values = _clean(account.agency, fields, account)
    old = {k: getattr(account, k) for k in values}
    changed = {k: v for k, v in values.items() if old[k] != v}
    if not changed:
        unchanged()
        return account
    for key, value in changed.items():
        setattr(account, key, value)
    account.save(update_fields=list(changed))
    record("inspection.newmedia_update", actor=actor, agency=account.agency, subject=account,
           old={k: old[k] for k in changed}, new=changed)
    return account


@action("inspection.newmedia_record_update")
def newmedia_record_update(account: NewMediaAccount, *, actor, on: date) -> NewMediaAccount:
    """登记更新: the account was updated on `on` (not in the future, not before the date already known)."""
    account = lock(account)
    _require_manager(actor, account.agency)
    if not isinstance(on, date) or isinstance(on, datetime):
        raise DomainError("请填写更新日期（格式 YYYY-MM-DD）。", field="on")
    if on > clock.today():
        raise DomainError("更新日期不能晚于今天。", field="on")
    if account.last_update is not None and on < account.last_update:
        raise DomainError(f"更新日期不能早于已登记的最近更新日期 {account.last_update:%Y-%m-%d}。", field="on")
    if account.last_update == on and account.last_update_source == "manual":
        unchanged()
        return account
    old = _dated(account)
    account.last_update, account.last_update_source = on, "manual"
    account.save(update_fields=["last_update", "last_update_source"])
    record("inspection.newmedia_record_update", actor=actor, agency=account.agency, subject=account,
           old=old, new=_dated(account))
    return account


@action("inspection.newmedia_read_feed")
def newmedia_read_feed(account: NewMediaAccount, *, actor=None) -> NewMediaAccount:
    """Read the account's RSS/Atom feed and keep its newest entry's date as the last update.

    A feed that cannot be read (unreachable, an HTTP error, not a feed, no dated entry)
    changes nothing and raises DomainError. A date older than the one already known (a
    manual record after the feed's last entry) is not a change.
    """
    _require_manager(actor, account.agency)
    if not account.feed_url:
        raise DomainError("该账号没有填写内容订阅地址。", field="feed_url")
    try:
        newest = newest_entry_date(account.feed_url)  # before the lock: the network may take 10 s
    except FeedError as exc:
        raise DomainError(f"无法读取订阅地址：{exc}", field="feed_url") from None
    account = lock(account)
    newest = min(newest, clock.today())  # an entry dated ahead (a clock off, a time zone) counts as today
    if account.last_update is not None and newest <= account.last_update:
        unchanged()
        return account
    old = _dated(account)
    account.last_update, account.last_update_source = newest, "feed"
    account.save(update_fields=["last_update", "last_update_source"])
    record("inspection.newmedia_read_feed", actor=actor, agency=account.agency, subject=account,
           old=old, new=_dated(account))
    return account
