"""The public portal: channels, articles (every version kept), attachments, daily view marks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shouwei.core.choices import Role
from shouwei.core.permissions import (
    PUBLISH,
    SUBMIT,
    VIEW,
    WITHDRAW,
    Contract,
    Grant,
    ScopedQuerySet,
    manage,
)

from .choices import ArticleStatus, AttachmentKind
from .sanitize import body_text, clean_body

PORTAL_ROLES = (Role.EDITOR, Role.REVIEWER)
EDITABLE_STATUSES = (ArticleStatus.DRAFT, ArticleStatus.WITHDRAWN)
RETURN = "return"  # 退回修改: an article in review goes back to draft


class Channel(models.Model):
    """A section of the site (信息公开 > 动态信息 > 部门动态); the tree gives the breadcrumb."""

    slug = models.SlugField(_("代码"), unique=True, help_text=_("网址中的栏目代码，如 bmdt"))
    name = models.CharField(_("名称"), max_length=50, help_text=_("如 部门动态"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级栏目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("留空表示一级栏目"),
    )
    sort_order = models.IntegerField(_("排序"), default=0, help_text=_("同级栏目中的显示顺序"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("栏目")
        verbose_name_plural = pgettext_lazy("plural", "栏目")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:channel", args=[self.slug])

    def ancestors(self) -> list[Channel]:
        """Root first, this channel last (the breadcrumb after 首页)."""
        chain: list[Channel] = []
        node: Channel | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def descendant_ids(self) -> list[int]:
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Channel.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids


class ArticleQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__isnull=False)


class Article(models.Model):
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("栏目"),
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("文章所在栏目"),
    )
    title = models.CharField(_("标题"), max_length=200, help_text=_("纯文本，不能包含 HTML 标记"))
    subtitle = models.CharField(_("副标题"), max_length=200, blank=True, help_text=_("可不填"))
    source_unit = models.CharField(
        _("来源"), max_length=100, default="衡阳高新区", help_text=_("发布单位，如 衡阳高新区")
    )
    author = models.CharField(_("作者"), max_length=100, blank=True, help_text=_("署名，可不填"))
    published_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, help_text=_("发布时自动填写，也可预先指定")
    )
    body = models.TextField(_("正文"), help_text=_("富文本；保存时按白名单清洗"))
    body_text = models.TextField(_("正文纯文本"), blank=True, editable=False)
    tags = models.CharField(
        _("标签"), max_length=200, blank=True, help_text=_("以逗号分隔，如 经济运行,首位")
    )
    view_count = models.PositiveIntegerField(_("浏览量"), default=0, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰稿人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Publish in one step (issue 18): the built report this article was drafted from, and the
    # data version it was built from, so a published page can be traced to its figures. A
    # reference only (the portal imports no other app); empty for a typed article.
    source_report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("来源报告"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("由哪份已生成的报告发布而来"),
    )
    source_data_version = models.CharField(
        _("来源数据版本"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("来源报告生成时所依据的数据版本"),
    )
    # Sealed at publication: SHA-256 of the rendered article and of each part, and of every
    # static asset the page loads. `shouwei portal verify` recomputes and compares them.
    content_sha256 = models.CharField(_("内容摘要"), max_length=64, blank=True, editable=False)
    part_hashes = models.JSONField(_("分项摘要"), default=dict, blank=True, editable=False)
    asset_hashes = models.JSONField(_("静态文件摘要"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["view_count"])
    objects = ArticleQuerySet.as_manager()
    # Rich text, as long as an article is (core.text.check_text_fields leaves them alone).
    long_text_fields = ("body", "body_text")
    # The portal is the zone's one site, placed at no unit: its editors and reviewers, wherever
    # their role sits, manage every article (the public reads published ones without a scope).
    # Only drafts and withdrawn articles change; a published one is withdrawn first.
    contract = Contract(
        unit_fields=(),
        actions={
            VIEW: Grant(PORTAL_ROLES),
            **manage(PORTAL_ROLES, when=models.Q(status__in=EDITABLE_STATUSES)),
            SUBMIT: Grant(PORTAL_ROLES, when=models.Q(status=ArticleStatus.DRAFT)),
            RETURN: Grant(PORTAL_ROLES, when=models.Q(status=ArticleStatus.IN_REVIEW)),
            PUBLISH: Grant((Role.REVIEWER,), when=models.Q(status=ArticleStatus.IN_REVIEW)),
            WITHDRAW: Grant((Role.REVIEWER,), when=models.Q(status=ArticleStatus.PUBLISHED)),
        },
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            # The editors' list shows the latest changed first.
            models.Index(fields=["-updated_at"], name="portal_article_updated_idx"),
        ]
        verbose_name = _("文章")
        verbose_name_plural = pgettext_lazy("plural", "文章")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article", args=[self.pk])

    def save(self, *args, **kwargs):
        # Whatever path a save takes (service, admin, shell), the stored body is the allow-list.
        self.body = clean_body(self.body)
        self.body_text = body_text(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_text"}
        super().save(*args, **kwargs)

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace("，", ",").split(",") if t.strip()]


class ArticleVersion(models.Model):
    """Every save of an article, as it was: who changed what is never lost."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    subtitle = models.CharField(_("副标题"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    tags = models.CharField(_("标签"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ArticleStatus.choices)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保存人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="uniq_article_version")
        ]
        verbose_name = _("文章版本")
        verbose_name_plural = pgettext_lazy("plural", "文章版本")

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class Attachment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=10, choices=AttachmentKind.choices)
    # Stored under a random name; the visitor's name is kept only for display and download.
    file = models.FileField(_("文件"), upload_to="portal/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("内容类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "pk"]
        verbose_name = _("附件")
        verbose_name_plural = pgettext_lazy("plural", "附件")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("portal:attachment", args=[self.pk])


class ArticleView(models.Model):
    """One row per visitor (hashed address + browser) per article per day: refreshing adds none."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visitor = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day", "visitor"], name="uniq_article_view_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}"
