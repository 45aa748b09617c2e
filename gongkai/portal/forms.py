"""Forms of the portal's staff pages."""

from __future__ import annotations

from django import forms

from gongkai.agencies.models import Agency, Kind, Level


class AgencyWithSiteForm(forms.Form):
    """新建机关: what `gongkai agency create` asks for, as a form for administrators."""

    name = forms.CharField(label="机构全称", max_length=100, help_text="如 洛阳市民政局")
    short_name = forms.CharField(label="简称", max_length=40, required=False, help_text="用于用户组和审核流程名称，如 市民政局")
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18,
                                  error_messages={"min_length": "统一社会信用代码应为18位，请核对。"})
    level = forms.ChoiceField(label="层级", choices=Level.choices, initial=Level.CITY)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices, initial=Kind.DEPARTMENT)
    supervisor = forms.ModelChoiceField(label="监督机关（政务公开办所在机关）", queryset=Agency.objects.order_by("name"),
                                        required=False, empty_label="（无）")
    site_code = forms.CharField(label="网站标识码", max_length=20, required=False)
    host = forms.CharField(label="网站地址", max_length=253,
                           help_text="自有主机名，如 mzj.ly.gov.cn；或共享主机下的路径，如 www.ly.gov.cn/bm/mzj")
    port = forms.IntegerField(label="端口", initial=80, min_value=1, max_value=65535)
    head_username = forms.CharField(label="公开工作机构负责人用户名", max_length=150, required=False,
                                    help_text="填写则新建该账号并显示一次初始密码")
    head_email = forms.EmailField(label="负责人电子邮箱", required=False)

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()
