"""`gongkai inspect SITE_OR_AGENCY [--date D] [--json]` and `gongkai inspect --all`.

Why: an agency wants to know, before the inspector comes, whether its site would pass
《政府网站与政务新媒体检查指标》 (国办秘函〔2019〕19号): the state (合格 / 存在单项否决风险 /
不合格), the score, and every finding with the page, column or message that causes it and
how to fix it. `--all` inspects every site (a supervising office's view). Nothing is stored:
the daily run (`manage.py inspection_daily`) keeps the history.

Exit codes: 0 every site inspected is 合格 or only at risk, 1 at least one is 不合格,
2 unusable arguments.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from ._django import setup
from ._errors import fail

LEVEL_LABELS = {"veto": "单项否决", "risk": "否决风险", "deduct": "扣分", "warn": "提醒", "unchecked": "未能检查"}


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "inspect", help="按国家检查指标自查网站（单项否决、扣分、得分）",
        description="按《政府网站与政务新媒体检查指标》检查机关网站：单项否决、扣分指标、得分和每个问题的位置与整改方法。"
                    "退出码：0 合格（含存在风险），1 不合格，2 参数错误。")
    p.add_argument("target", nargs="?", metavar="SITE_OR_AGENCY",
                   help="网站域名，或机关的统一社会信用代码、全称")
    p.add_argument("--all", action="store_true", help="检查所有网站")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="按该日期检查（默认今天）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_inspect)


def _sites(target: str | None, everything: bool):
    from gongkai.agencies.selectors import find_agency
    from gongkai.inspection.daily import sites_of
    from gongkai.portal.models.sites import PortalSite

    if everything:
        return list(PortalSite.objects.select_related("agency", "site").order_by("agency__name"))
    host = target.strip().lower().split("://")[-1].split("/")[0].split(":")[0]
    by_host = list(PortalSite.objects.filter(site__hostname=host).select_related("agency", "site"))
    if by_host:
        return by_host
    agency = find_agency(target)  # LookupError with a Chinese message
    sites = sites_of({agency.pk})
    if not sites:
        raise LookupError(f"机关“{agency.name}”还没有网站。")
    return sites


def cmd_inspect(args) -> int:
    if bool(args.target) == bool(args.all):
        return fail("请给出一个网站域名或机关（统一社会信用代码、全称），或者用 --all 检查所有网站，二者选一。")
    on = None
    if args.date:
        try:
            on = dt.date.fromisoformat(args.date.strip())
        except ValueError:
            return fail(f"日期“{args.date}”无效，请写成 YYYY-MM-DD，例如 2026-12-07。")
    setup()
    from gongkai.core import clock
    from gongkai.inspection.daily import inspect, rules_in_force

    try:
        ruleset = rules_in_force()
        sites = _sites(args.target, args.all)
    except (LookupError, ValueError) as exc:
        return fail(str(exc))
    on = on or clock.today()
    results = [inspect(site, on, ruleset) for site in sites]
    if args.json:
        json.dump([r.to_dict() for r in results], sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for site, result in zip(sites, results):
            _print(site, result)
    return 1 if any(r.state == "不合格" for r in results) else 0


def _print(site, result) -> None:
    score = "不计分（存在单项否决）" if result.score is None else f"{result.score:g} 分"
    print(f"{site.agency.name}（{site.site.hostname}）  {result.on}  {result.state}  {score}")
    if result.new_media_state:
        print(f"  政务新媒体：{result.new_media_state}")
    if not result.findings:
        print("  未发现问题。")
    for f in result.findings:
        points = f"  扣 {f.points:g} 分" if f.points else ""
        print(f"  [{LEVEL_LABELS.get(f.level, f.level)}] {f.title}：{f.detail}{points}")
        for item in f.items[:20]:
            when = f" {item.on}" if item.on else ""
            print(f"      - {item.title}{when} {item.note}".rstrip())
        if len(f.items) > 20:
            print(f"      … 另有 {len(f.items) - 20} 项")
        print(f"      整改：{f.fix}")
    print()
