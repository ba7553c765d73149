"""A built report: what was asked (kind, unit, period), by whom, from which data, and the
document it printed (``core.reporting.Document`` as JSON), so that every download later shows
exactly what was built."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shouwei.core.choices import Role
from shouwei.core.generic import url_for
from shouwei.core.models import Unit
from shouwei.core.permissions import ADD, STAFF_READERS, VIEW, Contract, Grant, ScopedQuerySet
from shouwei.core.reporting import Document
from shouwei.indicators.models import validate_period

from .choices import ReportKind, ReportStatus

# Publish in one step (issue 18): a built half-year report becomes a portal draft article. The
# portal's editors and reviewers of the report's unit (or above) may, if they read the report.
PUBLISH_TO_PORTAL = "publish_to_portal"


class Report(models.Model):
    kind = models.CharField(
        _("报告类型"), max_length=20, choices=ReportKind.choices, help_text=_("要生成的报告")
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("报告所写的单位"),
    )
    period = models.CharField(
        _("期间"),
        max_length=10,
        validators=[validate_period],
        help_text=_("如 2022H1（上半年）、2022-06（1—6月）"),
    )
    title = models.CharField(_("标题"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    # The process building the report ("host pid start-time", as imports write it) and when it
    # last reported progress: a report whose process died is marked failed with the reason.
    worker = models.CharField(_("生成进程"), max_length=100, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True, editable=False)
    # A digest of the approved records the document was read from: two builds with the same
    # version printed the same figures.
    data_version = models.CharField(_("数据版本"), max_length=64, blank=True)
    document = models.JSONField(_("报告内容"), null=True, blank=True, editable=False)
    # The build this one repeated (same kind, unit and period), and the keys of the figures
    # whose printed text differs from it.
    previous = models.ForeignKey(
        "self",
        verbose_name=_("上一次生成"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_figures = models.JSONField(_("变化的数字"), default=list, blank=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    built_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    # A report reads only what its author may read; who may read the unit may read its reports.
    contract = Contract(
        unit_fields=("unit",),
        actions={
            VIEW: Grant(STAFF_READERS),
            ADD: Grant((Role.LEADER, Role.SUPERVISOR, Role.STAFF, Role.STATISTICIAN)),
            PUBLISH_TO_PORTAL: Grant((Role.EDITOR, Role.REVIEWER)),
        },
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("报告")
        verbose_name_plural = pgettext_lazy("plural", "报告")

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.unit} {self.period}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    def as_document(self) -> Document | None:
        return None if self.document is None else Document.from_data(self.document)
