"""What the portal has published, as the applications app may know it: through Wagtail hooks.

The applications app sits below the portal (layers: applications < portal), so it never
imports it. The portal registers functions under these hook names (`portal/wagtail_hooks.py`):

- `applications_published_lookup(agency, text, limit, by_title)` → items already published on the
  agency's site (live pages only) that match `text` (full text; `by_title`: titles containing the
  words): the intake suggestions on `/apply/` (“这些信息已经公开”), the board of 依申请转主动, and
  the staff's page picker when replying 已主动公开;
- `applications_published_page(agency, page_id)` → one live page of the agency's site, or None;
- `applications_same_info_actions(group, user)` → [(label, url)] of POST steps offered on a group
  of the 依申请转主动 board (the portal offers 转为主动公开).

Each item is a dict: page_id, title, url (absolute), published_on (a date or None).
Without the portal installed the lookups find nothing and the board offers no conversion.
"""

from __future__ import annotations

from wagtail import hooks

LOOKUP_HOOK = "applications_published_lookup"
PAGE_HOOK = "applications_published_page"
GROUP_ACTIONS_HOOK = "applications_same_info_actions"


def find_published(agency, text: str, limit: int = 5, *, by_title: bool = False) -> list[dict]:
    for fn in hooks.get_hooks(LOOKUP_HOOK):
        return fn(agency, text, limit, by_title)
    return []


def published_page(agency, page_id) -> dict | None:
    for fn in hooks.get_hooks(PAGE_HOOK):
        return fn(agency, page_id)
    return None


def group_actions(group, user) -> list[tuple[str, str]]:
    return [item for fn in hooks.get_hooks(GROUP_ACTIONS_HOOK) for item in fn(group, user)]
