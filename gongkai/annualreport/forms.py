"""Forms of the annual report pages; they parse input, the actions decide what is allowed."""

from __future__ import annotations

from django import forms

from gongkai.law.reportformat import spec

from .figures import figure_specs
from .models import FIRST_YEAR

YEAR_ERRORS = {"invalid": "年度请填写 4 位数字，如 2025。", "required": "请填写年度。",
               "min_value": f"统一格式的年度报告从 {FIRST_YEAR} 年度开始。", "max_value": "年度不能晚于 2100 年。"}


class StartForm(forms.Form):
    agency = forms.ModelChoiceField(label="机关", queryset=None, empty_label=None,
                                    error_messages={"invalid_choice": "请选择本人所在的机关。"})
    year = forms.IntegerField(label="报告年度", min_value=FIRST_YEAR, max_value=2100, error_messages=YEAR_ERRORS)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ProseForm(forms.Form):
    section1 = forms.CharField(label="一、总体情况", required=False, widget=forms.Textarea(attrs={"rows": 16}))
    section5 = forms.CharField(label="五、存在的主要问题及改进情况", required=False,
                               widget=forms.Textarea(attrs={"rows": 8}))
    section6 = forms.CharField(label="六、其他需要报告的事项", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                               help_text="应写明信息处理费的收取情况（《政府信息公开信息处理费管理办法》）。")


class FigureForm(forms.Form):
    key = forms.ChoiceField(label="指标", error_messages={"invalid_choice": "请从列表中选择指标。",
                                                          "required": "请选择指标。"})
    value = forms.CharField(label="数值", max_length=30, required=False,
                            help_text="件数填整数；行政事业性收费金额以万元为单位，可有小数。")
    source = forms.CharField(label="数据来源", max_length=200, required=False,
                             help_text="来自哪个系统或台账，如：市政务服务网行政许可办件系统 2026-01-05 导出。")

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(s.key, f"{s.caption} · {s.label}")
                                      for s in figure_specs(spec.format_for_year(year))]


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV 或 XLSX 文件", error_messages={"required": "请选择要导入的文件。",
                                                                   "empty": "上传的文件是空的。"})


class PreviousForm(forms.Form):
    year = forms.IntegerField(label="报告年度", min_value=FIRST_YEAR, max_value=2100, error_messages=YEAR_ERRORS)
    file = forms.FileField(label="上年度已公开的报告文件（PDF、DOCX、HTML 或文本）",
                           error_messages={"required": "请选择报告文件。", "empty": "上传的文件是空的。"})


class ExplainForm(forms.Form):
    finding = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="说明理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label="更正原因", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="更正原因将随新版本一并公开。")
