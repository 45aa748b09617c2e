"""Forms of the release package (staff: add a file, mark redactions) and of the public verification page."""

from __future__ import annotations

from django import forms

from gongkai.core import querycodes
from gongkai.law.replies import PART_REASONS, REPLY_TYPES

from . import release
from .models import Disposition


class ReleaseAddForm(forms.Form):
    file = forms.FileField(label="文件", help_text="PDF、Word（DOCX）、Excel（XLSX）、PNG/JPEG 图片或扫描件 PDF。",
                           error_messages={"required": "请选择要上传的文件。"})
    disposition = forms.ChoiceField(label="处理方式", choices=Disposition.choices, initial=Disposition.FULL)
    reason = forms.ChoiceField(label="不予公开的理由类型", required=False,
                               choices=[("", "（公开的文件不填）")] + [(k, REPLY_TYPES[k].label) for k in PART_REASONS])
    basis = forms.CharField(label="法律依据及理由", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="部分公开、不予公开的文件必填，将写入答复书。")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = release.max_upload_bytes()
        if upload.size > limit:  # refused before it is read
            raise forms.ValidationError(f"文件大小 {upload.size / 1048576:.1f} MB，超过上限 {limit // 1048576} MB。"
                                        "请拆分或压缩后再上传。")
        return upload


class RedactForm(forms.Form):
    texts = forms.CharField(label="要遮盖的文字（每行一处）", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="如第三方的姓名、单位名称；文件中每一处相同的文字都会被遮盖。")
    text_basis = forms.ChoiceField(label="文字的遮盖依据", required=False)
    patterns = forms.MultipleChoiceField(label="遮盖个人信息", required=False, widget=forms.CheckboxSelectMultiple)
    pattern_basis = forms.ChoiceField(label="个人信息的遮盖依据", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bases = release.basis_choices()
        self.fields["text_basis"].choices = bases
        self.fields["pattern_basis"].choices = bases
        self.fields["patterns"].choices = release.pattern_choices()

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                data["marks"] = release.clean_marks(data.get("texts") or "", data.get("patterns") or [],
                                                    data.get("text_basis") or "", data.get("pattern_basis") or "")
            except ValueError as exc:
                self.add_error(getattr(exc, "field", None) if getattr(exc, "field", None) in self.fields else None,
                               str(exc))
        return data


class VerifyForm(forms.Form):
    code = forms.CharField(label="核验码", max_length=24,
                           error_messages={"required": "请填写文书上印的12位核验码。"})

    def clean_code(self):
        code = querycodes.normalise(self.cleaned_data["code"])
        if len(code) != 12:
            raise forms.ValidationError("核验码为12位字母和数字（可带短横线），请对照文书底部核对。")
        return code
