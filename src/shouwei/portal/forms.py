"""Forms of the editing pages: the article, its uploads, and the reviewer's 退回 reason."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shouwei.core import uploads
from shouwei.core.generic import ScopedModelForm

from .models import Article
from .sanitize import has_markup, text_to_paragraphs

MINUTE = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ArticleForm(ScopedModelForm):
    class Meta:
        model = Article
        fields = [
            "channel",
            "title",
            "subtitle",
            "source_unit",
            "author",
            "tags",
            "published_at",
            "body",
        ]
        widgets = {
            "published_at": MINUTE,
            # The editor script puts the rich-text editor in place of this textarea; without
            # JavaScript the textarea itself is the editor.
            "body": forms.Textarea(attrs={"rows": 18, "data-rich-editor": ""}),
        }
        help_texts = {
            "title": _("纯文本，不能包含 HTML 标记，最多 200 字"),
            "published_at": _("留空则在审核发布时自动填写；可预先指定，如 2022-08-05 08:43"),
            "body": _(
                "可直接从 Word/WPS 粘贴，格式会被整理；脚本、样式等不安全内容保存时自动清除。"
                "图片请用下方“插入图片”上传（自动去除 EXIF 拍摄地点等信息）。"
                "不使用编辑器时，可直接输入纯文本：每行一段，以“▲”开头的行作为图片说明。"
            ),
        }

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        # Text typed or pasted into the plain textarea (no JavaScript) carries no markup:
        # one paragraph per line, as the seed article was written.
        return body if has_markup(body) else text_to_paragraphs(body)


class UploadForm(forms.Form):
    """The size is checked against what the upload declares, before its bytes are read."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            uploads.check_size(upload.size, settings.SHOUWEI_PORTAL_UPLOAD_MAX_BYTES)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["file"]) from exc
        return upload

    @staticmethod
    def limit_mb() -> int:
        return settings.SHOUWEI_PORTAL_UPLOAD_MAX_BYTES // 1048576


class ImageUploadForm(UploadForm):
    prefix = "image"  # two upload forms on one page: distinct field names and ids
    file = forms.FileField(
        label=_("图片"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    caption = forms.CharField(
        label=_("图片说明"),
        max_length=200,
        required=False,
        help_text=_("显示在图片下方，如“▲项目开工现场”；纯文本，可不填"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PNG、JPEG、GIF 或 WebP，不超过 %(mb)s MB；"
            "上传后重新编码，EXIF（拍摄地点、相机）信息被去除"
        ) % {"mb": self.limit_mb()}


class FileUploadForm(UploadForm):
    prefix = "attachment"
    file = forms.FileField(
        label=_("附件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF、Word（.doc/.docx）或 Excel（.xls/.xlsx），不超过 %(mb)s MB；列在正文下方供下载"
        ) % {"mb": self.limit_mb()}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=100,
        required=False,
        help_text=_("告诉撰稿人需要修改什么，如“第三段数据与统计局口径不一致”；可不填"),
    )
