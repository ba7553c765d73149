"""Import history: the original file, who, when, counts, errors; a batch can be rolled back."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwei.core.choices import Role
from shouwei.core.models import Unit
from shouwei.core.permissions import ADD, CHANGE, ROLLBACK, VIEW, Contract, Grant, ScopedQuerySet


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("待校验")
    VALIDATING = "validating", _("校验中")
    INVALID = "invalid", _("校验未通过")
    VALID = "valid", _("校验通过，待确认")
    COMMITTING = "committing", _("写入中")
    COMMITTED = "committed", _("已导入")
    FAILED = "failed", _("导入失败")
    ROLLED_BACK = "rolled_back", _("已撤销")


IMPORT_ROLES = (Role.STAFF, Role.STATISTICIAN, Role.SUPERVISOR)


class ImportBatch(models.Model):
    importer = models.CharField(_("导入类型"), max_length=50)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("导入单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    file = models.FileField(_("原始文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    status = models.CharField(
        _("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    dry_run = models.BooleanField(_("仅校验"), default=True)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    preview = models.JSONField(_("预览"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(
        _("说明"), blank=True, help_text=_("写入失败或撤销时的原因，给导入人看")
    )
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rolled_back_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    # The process validating or writing the batch ("host pid start-time") and its last sign of
    # life: a batch whose process died (kill -9, a crash, a reboot) is found and marked failed
    # (services.recover_stale) instead of staying 校验中/写入中 for ever.
    worker = models.CharField(_("处理进程"), max_length=200, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    # Who imports: the departments' clerks, the statisticians and the supervision office.
    # Rolling a batch back also needs, record by record, the right to undo what it wrote
    # (Importer.rollback asks each record's own contract).
    contract = Contract(
        unit_fields=("unit",),
        actions={
            # Leaders follow a figure back to the batch it came in (lineage).
            VIEW: Grant((*IMPORT_ROLES, Role.LEADER)),
            ADD: Grant(IMPORT_ROLES),
            CHANGE: Grant(IMPORT_ROLES),
            ROLLBACK: Grant(IMPORT_ROLES),
        },
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入批次")
        verbose_name_plural = pgettext_lazy("plural", "导入批次")

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:batch_detail", args=[self.pk])

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
