"""Forms: the public message form and the staff action forms (they only parse and check input)."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.applications.models import ApplicantKind, IdType
from gongkai.core import querycodes
from gongkai.core.captcha import CaptchaField
from gongkai.core.domain import DomainError
from gongkai.core.parsing import bounded_date_field
from gongkai.law.identifiers import IdentifierError, validate_mobile

from . import spam, uploads
from .models import Category, Channel, Department

PUBLIC_CATEGORIES = [(c.value, c.label) for c in Category]
LANDLINE_RE = re.compile(r"^(?:0\d{2,3}-?)?[2-9]\d{6,7}(?:-\d{1,5})?$")


def clean_phone(value: str, *, required: bool) -> str:
    value = re.sub(r"[\s（）()]", "", value or "")
    if not value:
        if required:
            raise forms.ValidationError("请填写联系电话，便于办理部门与您联系。")
        return ""
    try:
        return validate_mobile(value)
    except IdentifierError:
        pass
    if LANDLINE_RE.match(value):
        return value
    raise forms.ValidationError("联系电话格式不对：请填写11位手机号码，或带区号的固定电话（如 0379-63912345）。")


class PublicMessageForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="留言对象（机关）", queryset=Agency.objects.none(), empty_label="请选择机关",
        error_messages={"required": "请选择要留言的机关。", "invalid_choice": "请从列表中选择机关。"},
    )
    category = forms.ChoiceField(
        label="留言类别", choices=PUBLIC_CATEGORIES, widget=forms.RadioSelect,
        error_messages={"required": "请选择留言类别（咨询、建议、投诉或局长信箱）。"},
    )
    title = forms.CharField(
        label="标题", max_length=60, error_messages={"required": "请填写标题，用一句话概括您的问题。",
                                                    "max_length": "标题不能超过60个字。"},
    )
    content = forms.CharField(
        label="留言内容", widget=forms.Textarea(attrs={"rows": 8}), max_length=spam.MAX_CONTENT_LENGTH,
        error_messages={"required": "请填写留言内容。", "max_length": "留言内容不能超过2000字，请精简；详细材料可作为附件上传。"},
        help_text=f"请具体说明事项、时间和地点（最多{spam.MAX_CONTENT_LENGTH}字）。不要在内容中填写身份证号、银行卡号等个人信息。",
    )
    writer_name = forms.CharField(
        label="姓名", max_length=30, error_messages={"required": "请填写姓名。"},
    )
    writer_phone = forms.CharField(label="联系电话", max_length=30, error_messages={"required": "请填写联系电话。"})
    writer_email = forms.EmailField(
        label="电子邮箱（选填）", required=False, error_messages={"invalid": "电子邮箱格式不对，例如 name@example.com。"},
        help_text="填写后，受理回执和答复通知会发到此邮箱。",
    )
    wants_public = forms.BooleanField(
        label="同意公开我的留言和答复", required=False,
        help_text="公开时只显示标题、内容和答复；姓名、电话、邮箱不会公开，内容中的身份证号、手机号等个人信息会被遮盖。",
    )
    attachment = forms.FileField(
        label="附件（选填）", required=False,
        help_text=f"可上传1个{uploads.ACCEPTED_TEXT}文件，不超过5MB。",
        error_messages={"empty": "附件是空文件，请重新选择。", "invalid": "附件无法读取，请重新选择。",
                        "missing": "没有收到附件，请重新选择。"},
    )
    captcha = CaptchaField()

    def __init__(self, *args, agencies=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.all()

    def clean_writer_name(self):
        name = self.cleaned_data["writer_name"].strip()
        if len(name) < 2:
            raise forms.ValidationError("请填写真实姓名（至少2个字）。")
        return name

    def clean_writer_phone(self):
        return clean_phone(self.cleaned_data.get("writer_phone", ""), required=True)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        try:
            uploads.check_attachment(upload)
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload

    def clean(self):
        data = super().clean()
        for field, message in spam.content_problems(data.get("title", ""), data.get("content", "")).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        if self.errors.get("attachment") is None and self.errors and self.files.get("attachment"):
            # Browsers cannot keep a chosen file across a reload: say so.
            self.add_error(None, "表单有需要修改的地方，修改后请重新选择附件。")
        return data


class QueryForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    code = forms.CharField(
        label="查询码", max_length=30, error_messages={"required": "请填写提交留言时得到的查询码。"},
        help_text="12位字母和数字，例如 ABCD-EFGH-JKMN，不区分大小写。",
    )

    def clean_code(self):

        code = querycodes.normalise(self.cleaned_data["code"])
        if len(code) != querycodes.MESSAGE_LENGTH:
            raise forms.ValidationError(f"查询码应为{querycodes.MESSAGE_LENGTH}位字母和数字，请核对。")
        return code


# ---------------------------------------------------------------------------------------
# staff


class DepartmentChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Department.objects.none())
        kwargs.setdefault("empty_label", "请选择部门")
        kwargs.setdefault("error_messages", {"required": "请选择部门。", "invalid_choice": "请从列表中选择本机关的部门。"})
        super().__init__(**kwargs)


class StaffForm(forms.Form):
    def __init__(self, *args, message=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.message = message
        agency = agency or (message.agency if message is not None else None)
        for f in self.fields.values():
            if isinstance(f, DepartmentChoiceField) and agency is not None:
                f.queryset = Department.objects.filter(agency=agency, is_active=True)


class TriageForm(StaffForm):
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    department = DepartmentChoiceField(label="办理部门")
    note = forms.CharField(label="分办意见（选填）", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RouteForm(StaffForm):
    department = DepartmentChoiceField(label="转至部门")
    note = forms.CharField(label="转办理由", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "请写明转办理由。"})


class ReplyForm(StaffForm):
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": "请填写答复内容。"})


class EmptyForm(StaffForm):
    pass


class ApproveForm(StaffForm):
    note = forms.CharField(label="审批意见（选填）", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(StaffForm):
    note = forms.CharField(label="退回修改意见", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "请写明退回修改的意见。"})


class ReasonForm(StaffForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请写明理由。"})


class PublishForm(StaffForm):
    public_title = forms.CharField(label="公开标题", max_length=100)
    public_content = forms.CharField(label="公开的留言内容", widget=forms.Textarea(attrs={"rows": 6}))
    public_reply = forms.CharField(label="公开的答复内容", widget=forms.Textarea(attrs={"rows": 6}))


class ConvertForm(StaffForm):
    """Message -> information application: the applicant's identity (《条例》第二十九条) and the reason."""

    kind = forms.ChoiceField(label="申请人类型", choices=())
    id_type = forms.ChoiceField(label="证件类型", choices=())
    id_number = forms.CharField(label="证件号码", max_length=40, error_messages={"required": "请填写申请人的证件号码（可联系写信人补充）。"})
    address = forms.CharField(label="通讯地址（选填）", max_length=200, required=False)
    confirmed_on = bounded_date_field(
        "与申请人确认之日",
        help_text="网上提交的申请以双方确认之日为收到申请之日（《条例》第三十一条第三项）。",
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD。", "required": "请填写与申请人确认之日。"},
    )
    reason = forms.CharField(
        label="转换理由（法律依据）", widget=forms.Textarea(attrs={"rows": 3}),
        initial="该留言实为申请获取政府信息，依《中华人民共和国政府信息公开条例》第二十七条、第二十九条，转为政府信息公开申请办理。",
        error_messages={"required": "请写明转换的理由和法律依据。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ApplicantKind.choices
        self.fields["id_type"].choices = IdType.choices
        self.fields["confirmed_on"].initial = timezone.localdate()

    def action_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "reason": d["reason"], "confirmed_on": d["confirmed_on"],
            "applicant": {"kind": d["kind"], "id_type": d["id_type"], "id_number": d["id_number"],
                          "address": d.get("address", "")},
        }


class StaffRegisterForm(StaffForm):
    agency = forms.ModelChoiceField(label="机关", queryset=Agency.objects.none(), empty_label=None)
    channel = forms.ChoiceField(label="渠道", choices=Channel.choices, initial=Channel.OTHER)
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    ticket_number = forms.CharField(label="工单编号（110联动、12345工单填写）", max_length=64, required=False)
    received_on = bounded_date_field("受理日期", error_messages={"invalid": "受理日期格式应为 YYYY-MM-DD。"})
    title = forms.CharField(label="标题", max_length=100, required=False,
                            help_text="不填则取留言内容的前30个字。")
    content = forms.CharField(label="留言内容", widget=forms.Textarea(attrs={"rows": 6}))
    writer_name = forms.CharField(label="姓名", max_length=50, required=False)
    writer_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    writer_email = forms.EmailField(label="电子邮箱", required=False)
    wants_public = forms.BooleanField(label="写信人同意公开", required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["received_on"].initial = timezone.localdate()

    def clean_writer_phone(self):
        return clean_phone(self.cleaned_data.get("writer_phone", ""), required=False)

    def clean(self):
        data = super().clean()
        if data.get("ticket_number") and data.get("channel") not in (Channel.POLICE_110, Channel.HOTLINE_12345):
            self.add_error("ticket_number", "只有110联动和12345工单才有工单编号；请选择相应渠道或清空工单编号。")
        return data


class ImportForm(forms.Form):
    agency = forms.ModelChoiceField(label="机关", queryset=Agency.objects.none(), empty_label=None)
    file = forms.FileField(
        label="工单文件", help_text="CSV（UTF-8 或 GBK）或 XLSX；首行为表头：工单编号、来源、受理时间、诉求人、联系电话、诉求内容、办理部门。",
        error_messages={"required": "请选择工单文件。"},
    )
    dry_run = forms.BooleanField(label="只检查，不导入", required=False, initial=True)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()


class StatsForm(forms.Form):
    agency = forms.ModelChoiceField(label="机关", queryset=Agency.objects.none(), empty_label=None)
    start = bounded_date_field("起始日期", error_messages={"invalid": "起始日期格式应为 YYYY-MM-DD。"})
    end = bounded_date_field("截止日期", error_messages={"invalid": "截止日期格式应为 YYYY-MM-DD。"})

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "截止日期不能早于起始日期。")
        return data


class FromApplicationForm(forms.Form):
    """《条例》第三十九条第一款: an application closed as a petition or complaint goes on as a message."""

    reason = forms.CharField(
        label="转为留言办理的理由和法律依据", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明理由和法律依据（《条例》第三十九条）。"},
    )
