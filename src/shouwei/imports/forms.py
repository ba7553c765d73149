from django import forms
from django.utils.translation import gettext_lazy as _

from .readers import FileRejected, check_name_and_size, max_bytes, size_label


class UploadForm(forms.Form):
    file = forms.FileField(label=_("数据文件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The size limit is a setting (tests override it), so the hint is built per form.
        self.fields["file"].help_text = _(
            "按模板填写的 .xlsx、.xls 或 .csv（UTF-8 或 GB18030 编码），不超过 %(size)s；"
            "上传后先校验预览，确认后才写入"
        ) % {"size": size_label(max_bytes())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_name_and_size(upload.name, upload.size)
        except FileRejected as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
