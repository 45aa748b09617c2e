"""Forms of the staff case pages; they parse input, the actions decide."""

from __future__ import annotations

import json

from django import forms

from gongkai.core import querycodes
from gongkai.core.captcha import CaptchaField
from gongkai.core.parsing import bounded_date_field
from gongkai.law.receipt import RECEIPT_FACT
from gongkai.law.replies import DECISION_REPLY_TYPES, PART_REASONS, REPLY_TYPES

from .models import (
    ApplicantKind, Channel, ConsultationAnswer, ConsultedParty, DeliveryWanted, FeeMethod, FormWanted, IdType,
    LitigationRoute, ReviewResult,
)

DESCRIPTION_MAX = 2000
TEXT_MAX = 2000


def date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    """A date between 1900 and 2100 (`gongkai.core.parsing`): year 1 or 9999 is a typing error."""
    return bounded_date_field(label, required=required, help_text=help_text)


def text_area(label: str, rows: int, *, required: bool = True, max_length: int = TEXT_MAX, **kwargs) -> forms.CharField:
    """A textarea with its limit in the HTML (`maxlength`) and a Chinese message beyond it."""
    messages = {"max_length": f"{label}最多{max_length}字，请精简。"}
    messages.update(kwargs.pop("error_messages", None) or {})
    return forms.CharField(label=label, required=required, max_length=max_length, error_messages=messages,
                           widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class ApplicantFields(forms.Form):
    kind = forms.ChoiceField(label="申请人类型", choices=ApplicantKind.choices)
    name = forms.CharField(label="姓名或名称", max_length=100)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices)
    id_number = forms.CharField(label="证件号码", max_length=40)
    contact_person = forms.CharField(label="联系人（法人或其他组织填写）", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20)
    email = forms.EmailField(label="电子邮箱", required=False,
                             error_messages={"invalid": "电子邮箱格式不正确，例如 name@example.com。"})
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postal_code = forms.RegexField(label="邮政编码", regex=r"^\d{6}$", required=False,
                                   error_messages={"invalid": "邮政编码应为6位数字。"})

    APPLICANT_FIELDS = ("kind", "name", "id_type", "id_number", "contact_person", "phone", "email", "address",
                        "postal_code")

    def applicant_data(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in self.APPLICANT_FIELDS}


class RegisterForm(ApplicantFields):
    # register.js shows the date field that decides the receipt date for the chosen channel (《条例》第三十一条).
    channel = forms.ChoiceField(label="申请渠道", choices=Channel.choices,
                                widget=forms.Select(attrs={"data-receipt-fact": json.dumps(RECEIPT_FACT)}))
    submitted_on = date_field("提交日期", help_text="当面提交之日、寄出之日或网上/传真提交之日。")
    signed_for_on = date_field("签收日期", required=False, help_text="邮寄（挂号）：本机关签收之日。")
    confirmed_on = date_field("确认日期", required=False,
                              help_text="邮寄（平信）：收到当日与申请人确认之日；网络、传真：双方确认之日。")
    subject = forms.CharField(label="申请内容摘要", max_length=200, required=False)
    description = text_area("所需信息的名称、文号或描述", 4, max_length=DESCRIPTION_MAX)
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    form_wanted = forms.ChoiceField(label="获取信息的形式", choices=FormWanted.choices, initial=FormWanted.EITHER)
    delivery_wanted = forms.ChoiceField(label="获取信息的方式", choices=DeliveryWanted.choices, initial=DeliveryWanted.POST)

    def action_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"applicant": self.applicant_data(), **{k: d.get(k) for k in (
            "channel", "submitted_on", "signed_for_on", "confirmed_on", "subject", "description", "document_number",
            "form_wanted", "delivery_wanted")}}


class PublicApplyForm(ApplicantFields):
    """The online form: submitted and confirmed on the day it is sent (《条例》第三十一条第三项)."""

    subject = forms.CharField(label="申请内容摘要", max_length=200, required=False,
                              help_text="一句话概括，例如“2025年优抚资金发放情况”。")
    description = text_area("所需政府信息的名称、文号或描述", 5, max_length=DESCRIPTION_MAX,
                            help_text=f"请尽量写明文件名称、文号、形成时间等便于查找的特征（最多{DESCRIPTION_MAX}字）。")
    document_number = forms.CharField(label="文号（如知道）", max_length=100, required=False)
    form_wanted = forms.ChoiceField(label="获取信息的形式", choices=FormWanted.choices, initial=FormWanted.EITHER)
    delivery_wanted = forms.ChoiceField(label="获取信息的方式", choices=DeliveryWanted.choices, initial=DeliveryWanted.POST)
    consent = forms.BooleanField(label="我确认以上信息真实，并同意本机关为办理申请使用这些个人信息。",
                                 error_messages={"required": "请勾选确认后再提交。"})
    captcha = CaptchaField()


class StatusQueryForm(forms.Form):
    query_code = forms.CharField(label="查询码", max_length=12, min_length=10,
                                 error_messages={"min_length": "查询码为10位字母和数字，见申请回执。",
                                                 "required": "请填写查询码。"})
    phone_last4 = forms.RegexField(label="联系电话后4位", regex=r"^\d{4}$",
                                   error_messages={"invalid": "请填写登记的联系电话的最后4位数字。",
                                                   "required": "请填写联系电话后4位。"})
    captcha = CaptchaField()

    def clean_query_code(self):
        return querycodes.normalise(self.cleaned_data["query_code"])


# --------------------------------------------------------------------------------------
# case actions


class OnForm(forms.Form):
    on = date_field("日期")


class CorrectionRequestForm(OnForm):
    items = forms.CharField(label="需要补正的事项（一次性告知，每行一项）", widget=forms.Textarea(attrs={"rows": 4}))
    period_end = date_field("补正期限", help_text="给申请人的合理补正期限的最后一天。")

    def action_kwargs(self):
        d = self.cleaned_data
        return {"on": d["on"], "items": d["items"].splitlines(), "period_end": d["period_end"]}


class NoteOnForm(OnForm):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ConsultForm(OnForm):
    party_kind = forms.ChoiceField(label="征求对象类型", choices=ConsultedParty.choices)
    party_name = forms.CharField(label="征求对象名称", max_length=100)
    party_address = forms.CharField(label="征求对象地址", max_length=200, required=False)
    matter = forms.CharField(label="征求意见事项（拟公开的信息）", widget=forms.Textarea(attrs={"rows": 3}))
    window_days = forms.IntegerField(label="答复期限（工作日）", initial=15, min_value=1, max_value=60)


class ConsultAnswerForm(OnForm):
    answer = forms.ChoiceField(label="答复意见", choices=ConsultationAnswer.choices)
    note = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ExtendForm(OnForm):
    days = forms.IntegerField(label="延长工作日数", initial=20, min_value=1, max_value=20,
                              error_messages={"max_value": "延长的期限最长不得超过20个工作日（《条例》第三十三条）。"})
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))


class SpecialDeadlineForm(OnForm):
    new_due = date_field("另行确定的答复期限")
    reason = forms.CharField(label="理由（《条例》第三十五条）", widget=forms.Textarea(attrs={"rows": 3}))


class FeeNoticeForm(OnForm):
    method = forms.ChoiceField(label="计收方式", choices=FeeMethod.choices)
    pages = forms.IntegerField(label="页数（按量计收时填写）", min_value=1, required=False)


class FeePaidForm(OnForm):
    amount_paid = forms.DecimalField(label="实缴金额（元）", max_digits=10, decimal_places=2, required=False)
    receipt_no = forms.CharField(label="票据号", max_length=50, required=False)


class DecideForm(OnForm):
    outcome = forms.ChoiceField(label="答复类型", choices=[("", "请选择")] + [(k, REPLY_TYPES[k].label) for k in DECISION_REPLY_TYPES])
    basis = forms.CharField(label="法律依据及理由（写入答复书）", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    # 已主动公开: a page found by title above the form (the action checks it is a live page of the agency).
    published_page = forms.IntegerField(label="已主动公开的页面", required=False, min_value=1,
                                        widget=forms.HiddenInput)


class PartForm(forms.Form):
    description = forms.CharField(label="信息内容", max_length=300, required=False)
    disclosed = forms.TypedChoiceField(label="处理", choices=[("1", "予以公开"), ("0", "不予公开")], coerce=lambda v: v == "1",
                                       required=False)
    reason = forms.ChoiceField(label="不予公开的理由类型", choices=[("", "—")] + [(k, REPLY_TYPES[k].label) for k in PART_REASONS],
                               required=False)
    basis = forms.CharField(label="法律依据及理由", max_length=500, required=False)


PartFormSet = forms.formset_factory(PartForm, extra=3, max_num=20)


class DeliverForm(OnForm):
    method = forms.CharField(label="送达方式", max_length=50, initial="邮寄",
                             help_text="如 邮寄、当面领取、电子邮件、传真；网上查看的申请在申请人首次下载答复书时自动登记。")
    tracking_number = forms.CharField(label="邮件号（邮寄）", max_length=40, required=False,
                                      help_text="邮寄送达须填写挂号信或特快专递的邮件号。")
    signed_on = date_field("申请人签收日期（当面领取）", required=False)

    def clean(self):
        data = super().clean()
        method = (data.get("method") or "").strip()
        if "邮寄" in method and not (data.get("tracking_number") or "").strip():
            self.add_error("tracking_number", "邮寄送达请填写邮件号，便于查询投递情况。")
        if "当面" in method and not data.get("signed_on") and "signed_on" not in self.errors:
            self.add_error("signed_on", "当面领取请填写申请人签收的日期。")
        return data


class WithdrawForm(OnForm):
    note = forms.CharField(label="撤回方式及说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ChangeKindForm(forms.Form):
    kind = forms.ChoiceField(label="申请人类型（统计口径）", choices=ApplicantKind.choices)
    reason = forms.CharField(label="更正理由", widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    body = forms.CharField(label="复议机关", max_length=100)
    case_number = forms.CharField(label="复议案号", max_length=100, required=False)
    filed_on = date_field("申请复议日期")
    result = forms.ChoiceField(label="复议结果", choices=ReviewResult.choices, initial=ReviewResult.PENDING)
    concluded_on = date_field("审结日期", required=False)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class LitigationForm(forms.Form):
    route = forms.ChoiceField(label="起诉情形", choices=LitigationRoute.choices)
    court = forms.CharField(label="受理法院", max_length=100)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    filed_on = date_field("起诉日期")
    result = forms.ChoiceField(label="诉讼结果", choices=ReviewResult.choices, initial=ReviewResult.PENDING)
    concluded_on = date_field("审结日期", required=False)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ConcludeForm(forms.Form):
    result = forms.ChoiceField(label="结果", choices=[c for c in ReviewResult.choices if c[0] != "pending"])
    concluded_on = date_field("审结日期")


class SameInfoDismissForm(forms.Form):
    reason = forms.CharField(label="不转为主动公开的理由", max_length=500,
                             error_messages={"required": "请写明不转为主动公开的理由。",
                                             "max_length": "理由最多500字，请精简。"})
