"""The 网站自查 menu, its admin URLs and the start page's panel (today's state and what to fix)."""

from __future__ import annotations

from django.urls import include, path, reverse
from wagtail import hooks

from gongkai.core.admin_menu import PermMenuItem


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("inspection/", include("gongkai.inspection.urls_admin", namespace="inspection_admin"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PermMenuItem("网站自查", reverse("inspection_admin:index"), icon_name="tasks", order=370,
                        perm="inspection.view_siteinspection")


@hooks.register("construct_homepage_panels")
def inspection_todo(request, panels):
    """今日待办 · 网站自查: the state of each own site and every veto, risk and reminder to act on."""
    from gongkai.core.todo import TodoItem, TodoPanel

    from . import selectors

    if not request.user.has_perm("inspection.view_siteinspection"):
        return
    rows = selectors.site_rows(selectors.own_site_ids(request.user), days=1)
    if not rows:
        return
    several = len(rows) > 1
    items = []
    for row in rows:
        url = reverse("inspection_admin:site", args=[row.site.pk])
        who = (row.site.agency.short_name or row.site.agency.name) if several else ""
        if row.latest is None:
            items.append(TodoItem("网站尚未自查：打开后点“立即检查”", url, agency=who))
            continue
        for f in row.findings:
            if f["level"] in ("veto", "risk", "warn"):
                items.append(TodoItem(f"{selectors.LEVEL_LABELS[f['level']]}：{f['title']}——{f['detail']}", url,
                                      urgent=f["level"] in ("veto", "risk"), agency=who))
    heading = "网站自查"
    if len(rows) == 1 and rows[0].latest:
        latest = rows[0].latest
        heading = f"网站自查（{latest.on:%m月%d日}：{latest.state}）"
    panels.append(TodoPanel(name="inspection", heading=heading, items=items, order=35,
                            empty="网站自查未发现单项否决风险。", more_url=reverse("inspection_admin:index"),
                            more_text="网站自查详情"))
