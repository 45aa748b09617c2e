"""What the law asks next on a case, and which actions the case page offers."""

from __future__ import annotations

from wagtail import hooks

from gongkai.agencies.access import can_change, has_role
from gongkai.agencies.roles import Role
from gongkai.core import clock as system_clock

from .models import Application, EventKind, Fee, Status

# verb -> (button label, statuses where it is offered)
VERBS = {
    "request_correction": ("告知补正", (Status.PROCESSING,)),
    "record_correction": ("登记收到补正", (Status.AWAITING_CORRECTION,)),
    "correction_expired": ("逾期未补正，不再处理", (Status.AWAITING_CORRECTION,)),
    "consult": ("征求意见", (Status.PROCESSING, Status.AWAITING_CORRECTION)),
    "extend": ("批准延期", (Status.PROCESSING, Status.AWAITING_FEE)),
    "special_deadline": ("另行确定期限（第三十五条）", (Status.PROCESSING,)),
    "fee_notice": ("发出收费通知", (Status.PROCESSING,)),
    "fee_received": ("登记收到收费通知", (Status.AWAITING_FEE,)),
    "fee_paid": ("登记已缴费", (Status.AWAITING_FEE,)),
    "fee_expired": ("逾期未缴费，不再处理", (Status.AWAITING_FEE,)),
    "decide": ("作出答复", (Status.PROCESSING,)),
    "deliver": ("登记送达", (Status.DECIDED,)),
    "withdraw": ("申请人撤回", (Status.PROCESSING, Status.AWAITING_CORRECTION, Status.AWAITING_FEE)),
    "review": ("登记行政复议", (Status.DECIDED, Status.DELIVERED, Status.CLOSED)),
    "litigation": ("登记行政诉讼", (Status.DECIDED, Status.DELIVERED, Status.CLOSED)),
    "change_kind": ("更正申请人类型", tuple(Status)),
    "note": ("添加备注", tuple(Status)),
}

HANDLER_ROLES = (Role.APPLICATION_OFFICER, Role.OFFICE_HEAD)


def may_handle(user, app: Application) -> bool:
    return can_change(user, app.agency) and has_role(user, app.agency, *HANDLER_ROLES)


def allowed_verbs(app: Application, user) -> list[tuple[str, str]]:
    if not may_handle(user, app):
        return []
    kinds = set(app.events.values_list("kind", flat=True))
    has_fee = Fee.objects.filter(application=app).exists()
    out = []
    for verb, (label, statuses) in VERBS.items():
        if app.status not in statuses:
            continue
        if verb == "request_correction" and EventKind.CORRECTION_REQUESTED in kinds:
            continue
        if verb == "extend" and (EventKind.EXTENSION_APPROVED in kinds or not has_role(user, app.agency, Role.OFFICE_HEAD)):
            continue
        if verb == "fee_notice" and has_fee:
            continue
        if verb == "fee_received" and EventKind.FEE_NOTICE_RECEIVED in kinds:
            continue
        out.append((verb, label))
    return out


# Steps that other apps offer on a case page: each hook function takes (application, user)
# and returns [(button label, url)]. The applications app knows nothing of them; e.g. the
# interaction app offers 转为留言办理 (《条例》第三十九条) this way.
CASE_ACTIONS_HOOK = "applications_case_actions"


def more_actions(app: Application, user) -> list[tuple[str, str]]:
    return [item for fn in hooks.get_hooks(CASE_ACTIONS_HOOK) for item in fn(app, user)]


def next_steps(app: Application, clock, user=None) -> list[str]:
    """Plain sentences naming the next legal step and its date."""
    steps: list[str] = []
    if app.status == Status.AWAITING_CORRECTION:
        ev = app.events.filter(kind=EventKind.CORRECTION_REQUESTED).first()
        end = f"（补正期限至 {ev.end}）" if ev and ev.end else ""
        steps.append(f"等待申请人补正{end}。收到补正后点“登记收到补正”，答复期限自收到之日起重新计算20个工作日；"
                     "期满无正当理由未补正的，登记“逾期未补正”，视为放弃申请（《条例》第三十条）。")
        return steps
    if app.status == Status.AWAITING_FEE:
        due = f"，缴费期限至 {clock.fee_payment_due}" if clock.fee_payment_due else ""
        steps.append(f"等待申请人缴纳信息处理费{due}。到账后登记缴费，期限恢复计算；逾期未缴的不再处理"
                     "（《政府信息公开信息处理费管理办法》）。")
        return steps
    if app.status == Status.DECIDED:
        steps.append("答复已作出：请生成答复书并送达申请人，然后登记送达。")
        return steps
    if app.status in (Status.DELIVERED, Status.CLOSED):
        steps.append("已办结。如申请人申请行政复议或提起行政诉讼，请在此登记，年度报告第四部分据此统计。")
        return steps
    kinds = set(app.events.values_list("kind", flat=True))
    if EventKind.CORRECTION_REQUESTED not in kinds and clock.correction_notice_due:
        if system_clock.today() <= clock.correction_notice_due:
            steps.append(f"申请内容不明确的，应在 {clock.correction_notice_due} 前一次性告知申请人补正（《条例》第三十条）。")
        else:
            steps.append(f"补正告知期限（{clock.correction_notice_due}）已过；如仍需补正，告知将晚于法定期限并在期限说明中注明。")
    pending = app.consultations.filter(answered_on__isnull=True)
    for c in pending:
        steps.append(f"等待{c.party_name}对征求意见的答复（{c.sent_on} 发函，{c.window_days} 个工作日）；"
                     "逾期未答复的，第三方按《条例》第三十二条由本机关决定，共同制作机关视为同意（第三十四条）。")
    if clock.due:
        if clock.days_left is not None and clock.days_left < 0:
            steps.append(f"已超过答复期限 {clock.due}（逾期 {-clock.days_left} 个工作日），请立即作出答复。")
        else:
            left = f"，还有 {clock.days_left} 个工作日" if clock.days_left is not None else ""
            steps.append(f"在 {clock.due} 前作出答复{left}（《条例》第三十三条）。")
        if EventKind.EXTENSION_APPROVED not in kinds:
            steps.append("确需延长的，应在期限届满前经政府信息公开工作机构负责人同意，最长延长20个工作日，并告知申请人。")
    return steps
