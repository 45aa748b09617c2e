"""`gongkai agency create`: a new agency with its site, groups and workflow, in one step.

Why: a province or city platform (集约化) hosts hundreds of agencies; its administrator adds
one with a single command — the agency record, its portal (home page, host name, 网站
settings), the per-agency groups and document collections, the 初审 → 保密审查 → 签发
workflow and, if named, its 公开工作机构负责人 with a one-time password.
Exit codes: 0 created, 2 bad arguments (nothing is created).
"""

from __future__ import annotations

from ._django import setup
from ._errors import fail

LEVELS = {"国务院部门": "state_council_dept", "省级": "province", "市级": "city", "县级": "county", "乡镇级": "township"}
KINDS = {"人民政府": "government", "政府部门": "department"}


def register(subparsers) -> None:
    parser = subparsers.add_parser("agency", help="机关：新建机关及其网站", description="管理机关")
    sub = parser.add_subparsers(dest="agency_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])
    p = sub.add_parser(
        "create", help="新建机关及其网站、用户组和审核流程",
        description="一步新建机关：机关信息、门户网站（首页、主机名）、各角色用户组、附件库、"
                    "“初审 → 保密审查 → 签发”审核流程，以及（可选）公开工作机构负责人账号。退出码：0 成功，2 参数有误（不新建任何内容）")
    p.add_argument("name", metavar="NAME", help="机构全称，如 洛阳市民政局")
    p.add_argument("--credit-code", required=True, help="18 位统一社会信用代码")
    p.add_argument("--host", required=True, metavar="ADDRESS",
                   help="网站地址：自有主机名，如 mzj.ly.gov.cn；或共享主机下的路径，如 www.ly.gov.cn/bm/mzj")
    p.add_argument("--port", type=int, default=80, help="端口（默认 80）")
    p.add_argument("--level", default="city", help="层级：国务院部门、省级、市级、县级、乡镇级（默认 市级）")
    p.add_argument("--kind", default="department", help="类型：人民政府、政府部门（默认 政府部门）")
    p.add_argument("--short-name", default="", help="简称，如 市民政局")
    p.add_argument("--site-code", default="", help="网站标识码")
    p.add_argument("--supervisor", default="", help="监督本机关的政务公开办所在机关（信用代码或全称）")
    p.add_argument("--head", default="", metavar="USERNAME", help="新建公开工作机构负责人账号（用户名）")
    p.add_argument("--head-email", default="", help="负责人电子邮箱")
    p.set_defaults(func=cmd_create)


def cmd_create(args) -> int:
    level = LEVELS.get(args.level, args.level)
    if level not in LEVELS.values():
        return fail(f"层级“{args.level}”无效，应为：{'、'.join(LEVELS)}。")
    kind = KINDS.get(args.kind, args.kind)
    if kind not in KINDS.values():
        return fail(f"类型“{args.kind}”无效，应为：{'、'.join(KINDS)}。")
    setup()
    # CLI before setup(): Django and the apps are imported only once it has run
    from gongkai.agencies.selectors import find_agency
    from gongkai.core.domain import DomainError
    from gongkai.portal.actions.sites import agency_with_site_create
    from gongkai.portal.mounts import public_address
    from gongkai.portal.setup import PAGE_PERMISSIONS, agency_group_name, agency_workflow_name

    supervisor = None
    if args.supervisor:
        try:
            supervisor = find_agency(args.supervisor)
        except LookupError as exc:
            return fail(str(exc))
    try:
        agency, site, head, password = agency_with_site_create(
            actor=None, hostname=args.host, port=args.port, head_username=args.head, head_email=args.head_email,
            name=args.name.strip(), short_name=args.short_name.strip(), credit_code=args.credit_code.strip().upper(),
            site_code=args.site_code.strip(), level=level, kind=kind, supervisor=supervisor)
    except DomainError as exc:
        return fail(f"{exc}（未新建任何内容）")
    print(f"已新建机关：{agency.name}（统一社会信用代码 {agency.credit_code}）")
    print(f"网站：http://{public_address(site.hostname, site.port)}/  首页已发布；栏目请在管理后台“页面”中建设。")
    print(f"用户组：{'、'.join(agency_group_name(agency, role) for role in PAGE_PERMISSIONS)}")
    print(f"审核流程：{agency_workflow_name(agency)}（初审 → 保密审查 → 签发）")
    if supervisor is not None:
        print(f"监督机关：{supervisor.name}")
    if head is not None:
        print(f"公开工作机构负责人：{head.get_username()}，初始密码 {password}（只显示这一次，请首次登录后修改）")
    return 0
