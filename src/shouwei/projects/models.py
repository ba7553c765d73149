"""Key projects (重点项目): the project, its annual plan, monthly progress and its problems.

Every figure the zone reports about key projects — counts, totals, plans, completion rates,
behind-plan projects — is computed from these records by ``selectors``; none is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shouwei.core.choices import Role
from shouwei.core.generic import url_for
from shouwei.core.models import Unit, code_validator
from shouwei.core.periods import Period, PeriodError, PeriodKind, is_period, refuse_future
from shouwei.core.permissions import (
    CHANGE,
    STAFF_READERS,
    VIEW,
    Contract,
    Grant,
    Placement,
    ScopedQuerySet,
    manage,
)
from shouwei.core.text import check_text_fields

from .choices import ProblemStatus, ProjectLevel, Stage

# GB/T 4754 国民经济行业分类: a section letter (A–T) or a division/group/class code of 2–4
# digits, optionally led by its section letter (C39, 3971).
industry_validator = RegexValidator(
    r"^(?:[A-T]|[A-T]?\d{2,4})$",
    _("行业代码应为 GB/T 4754 的门类字母（如 C）或 2—4 位大类/中类/小类代码（如 39、C3971）"),
)
MONEY = {"max_digits": 12, "decimal_places": 2}
non_negative = MinValueValidator(0, _("投资额不能为负数"))


def validate_month(value: str) -> None:
    try:
        period = Period.parse(value)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from exc
    if period.kind != PeriodKind.MONTH:
        raise ValidationError(_("应为月份，如 2022-06"))


def _batch_field():
    return models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def _by_field(verbose_name):
    """Who wrote the record: kept when the account goes, set by the service, not a form."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )


# A problem is worked by the project's department (handing it to any unit of the zone) or by
# the department it was handed to (for a project of the same zone).
PROBLEM_WORKERS = (
    Placement(own=("project__responsible_unit",), zone=("owner_unit",)),
    Placement(own=("owner_unit",), zone=("project__responsible_unit",)),
)


def project_contract(unit_field: str) -> Contract:
    """A project and what hangs on it: the responsible department keeps it; the zone's
    leaders, supervision office, statisticians and liaison cadres read it."""
    return Contract(
        unit_fields=(unit_field,), actions={VIEW: Grant(STAFF_READERS), **manage((Role.STAFF,))}
    )


class Project(models.Model):
    code = models.CharField(
        _("项目代码"),
        max_length=63,
        unique=True,
        validators=[code_validator],
        help_text=_("唯一代码，如 gxq-2022-001；导入文件用它指代项目"),
        error_messages={"unique": _("项目代码已存在，不能重复")},
    )
    name = models.CharField(_("项目名称"), max_length=200, help_text=_("项目全称"))
    level = models.CharField(
        _("级别"),
        max_length=20,
        choices=ProjectLevel.choices,
        help_text=_("省重点、市重点或区重点"),
    )
    industry = models.CharField(
        _("行业"),
        max_length=5,
        validators=[industry_validator],
        help_text=_("GB/T 4754 国民经济行业分类代码，如 C39"),
    )
    industry_chain = models.CharField(
        _("产业链"), max_length=100, blank=True, help_text=_("所属产业链，如 电子信息")
    )
    total_investment = models.DecimalField(
        _("总投资（亿元）"), **MONEY, validators=[non_negative], help_text=_("计划总投资，亿元")
    )
    owner_enterprise = models.CharField(
        _("业主单位"), max_length=200, blank=True, help_text=_("项目业主（建设单位）名称")
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        related_name="key_projects",
        help_text=_("负责调度该项目的部门"),
    )
    responsible_leader = models.CharField(
        _("责任领导"), max_length=50, blank=True, help_text=_("联系该项目的区领导")
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联络干部"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("驻项目联络干部"),
    )
    location = models.CharField(_("建设地点"), max_length=200, blank=True, help_text=_("地址"))
    start_date = models.DateField(_("开工日期"), help_text=_("实际或计划开工日期"))
    planned_completion_date = models.DateField(
        _("计划竣工日期"), null=True, blank=True, help_text=_("计划竣工日期")
    )
    stage = models.CharField(
        _("当前阶段"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.RESERVE,
        help_text=_("由最新一期月度进度更新"),
    )
    import_batch = _batch_field()

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = project_contract("responsible_unit")

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("重点项目")
        verbose_name_plural = pgettext_lazy("plural", "重点项目")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for(self)

    @property
    def start_month(self) -> str:
        return f"{self.start_date:%Y-%m}"

    def clean(self) -> None:
        if (
            self.start_date
            and self.planned_completion_date
            and self.planned_completion_date < self.start_date
        ):
            raise ValidationError({"planned_completion_date": _("计划竣工日期不能早于开工日期")})


class AnnualPlan(models.Model):
    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("计划所属项目"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"),
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text=_("计划年度，如 2022"),
    )
    planned_investment = models.DecimalField(
        _("年度计划投资（亿元）"),
        **MONEY,
        validators=[non_negative],
        help_text=_("当年计划完成投资，亿元"),
    )
    planned_milestones = models.TextField(
        _("年度形象进度目标"), blank=True, help_text=_("当年要达到的节点，如 主体封顶")
    )
    import_batch = _batch_field()

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = project_contract("project__responsible_unit")

    class Meta:
        ordering = ["-year", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="uniq_plan_project_year")
        ]
        verbose_name = _("年度计划")
        verbose_name_plural = pgettext_lazy("plural", "年度计划")

    def __str__(self) -> str:
        return f"{self.project} · {self.year}"

    def get_absolute_url(self) -> str:
        return url_for(self)


class ProgressReportQuerySet(ScopedQuerySet):
    def relink(self, *, since: str | None = None) -> int:
        """Set ``next_period`` of these reports to their project's next report month (NULL for
        the latest), in one UPDATE; the rest of each project's reports are read, not changed.

        ``since``: the earliest month added or removed. A report whose next month comes
        before it cannot have changed, so only the others are rewritten (importing one more
        month touches two rows per project, not all of them)."""
        reports = self
        if since is not None:
            reports = reports.filter(Q(next_period__isnull=True) | Q(next_period__gte=since))
        following = (
            ProgressReport.objects.filter(
                project_id=OuterRef("project_id"), period__gt=OuterRef("period")
            )
            .order_by("period")
            .values("period")[:1]
        )
        return reports.update(next_period=Subquery(following))


class ProgressReport(models.Model):
    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
        help_text=_("填报的项目"),
    )
    period = models.CharField(
        _("月份"), max_length=7, validators=[validate_month], help_text=_("如 2022-06")
    )
    invested_this_month = models.DecimalField(
        _("当月完成投资（亿元）"), **MONEY, validators=[non_negative], help_text=_("亿元")
    )
    invested_ytd = models.DecimalField(
        _("年初至今完成投资（亿元）"),
        **MONEY,
        validators=[non_negative],
        help_text=_("1 月至本月累计，亿元；不得低于上月累计（确需更正须说明原因）"),
    )
    stage = models.CharField(
        _("阶段"), max_length=20, choices=Stage.choices, help_text=_("本月末所处阶段")
    )
    entered_statistics_on = models.DateField(
        _("入库日期"),
        null=True,
        blank=True,
        help_text=_("纳入统计局固定资产投资库的日期；未入库留空"),
    )
    narrative = models.TextField(_("进展情况"), blank=True, help_text=_("本月形象进度"))
    stage_change_reason = models.TextField(
        _("阶段回退原因"), blank=True, help_text=_("阶段比上月后退时必填")
    )
    is_correction = models.BooleanField(
        _("更正"), default=False, help_text=_("累计投资低于上月时勾选，并说明更正原因")
    )
    correction_reason = models.TextField(
        _("更正原因"), blank=True, help_text=_("累计投资低于上月的原因，如 统计口径调整")
    )
    entered_by = _by_field(_("填报人"))
    # The project's next report month (NULL: this is its latest). A report holds from its own
    # month until the next one, so "the year-to-date at month M" is one join on
    # period <= M < next_period instead of a "latest report up to M" subquery per project.
    # Derived, so not in the history: kept by save() and delete() below for one report, and
    # by services.progress_written after bulk writes (imports and their rollback).
    next_period = models.CharField(
        _("下一期月份"), max_length=7, null=True, blank=True, editable=False
    )
    import_batch = _batch_field()

    history = HistoricalRecords(excluded_fields=["next_period"])
    objects = ProgressReportQuerySet.as_manager()
    contract = project_contract("project__responsible_unit")

    class Meta:
        ordering = ["-period", "project__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period"], name="uniq_progress_project_period"
            )
        ]
        indexes = [
            # The report that holds at a month, for every project at once (the behind-plan
            # filter, the cockpit panel): a range on period, answered by PostgreSQL from this
            # index alone. (The unique constraint already indexes project, period.)
            models.Index(
                fields=["period", "next_period", "project", "invested_ytd"],
                name="progress_holds_idx",
            ),
            # 未入库 asks, per project, whether any report carries a 入库 date: few do, so a
            # partial index of those answers it without reading every month of every project.
            models.Index(
                fields=["project"],
                condition=Q(entered_statistics_on__isnull=False),
                name="progress_entered_idx",
            ),
        ]
        verbose_name = _("月度进度")
        verbose_name_plural = pgettext_lazy("plural", "月度进度")

    def __str__(self) -> str:
        return f"{self.project} · {self.period}"

    def clean(self) -> None:
        try:
            refuse_future(self.period)
        except PeriodError as exc:
            if is_period(self.period):  # an unreadable one is the field validator's to report
                raise ValidationError({"period": str(exc)}) from exc
        check_text_fields(self)

    def get_absolute_url(self) -> str:
        return url_for(self)

    def save(self, *args, **kwargs) -> None:
        # An existing report may have changed its month too: then relink all of the project's.
        since = self.period if self._state.adding else None
        super().save(*args, **kwargs)
        # A report written any way at all (a service, a fixture, the shell) leaves the chain
        # right: a stale link would count a project twice in every list and total.
        ProgressReport.objects.filter(project_id=self.project_id).relink(since=since)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        ProgressReport.objects.filter(project_id=self.project_id).relink(since=self.period)
        return result

    @property
    def entered_statistics(self) -> bool:
        """入库: entered into the statistics bureau's fixed-asset investment database."""
        return self.entered_statistics_on is not None


class ProgressPhoto(models.Model):
    """A photo of the site for a month's report (形象进度照片). The file is the upload decoded
    and encoded again (``core.uploads.check_image``: no EXIF, no GPS) under a random name, and
    is served only through ``views.photo``, to users who may see the project."""

    report = models.ForeignKey(
        ProgressReport,
        related_name="photos",
        verbose_name=_("月度进度"),
        help_text=_("照片所属的月份进度"),
        # A report with photos is not deleted (nor rolled back by an import) under them.
        on_delete=models.PROTECT,
    )
    image = models.FileField(
        _("照片"), upload_to="projects/photos/%Y/%m/", help_text=_("PNG、JPEG、GIF 或 WebP")
    )
    thumbnail = models.FileField(
        _("缩略图"), upload_to="projects/photos/%Y/%m/", editable=False, help_text=_("自动生成")
    )
    content_type = models.CharField(_("图片类型"), max_length=20, editable=False)
    original_name = models.CharField(
        _("原文件名"), max_length=150, editable=False, help_text=_("仅用于显示")
    )
    caption = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("拍摄位置和内容，如 1号厂房主体封顶")
    )
    taken_on = models.DateField(
        _("拍摄日期"), null=True, blank=True, help_text=_("照片拍摄的日期，不清楚可留空")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = _by_field(_("上传人"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = project_contract("report__project__responsible_unit")

    class Meta:
        ordering = ["-report__period", "pk"]
        verbose_name = _("进度照片")
        verbose_name_plural = pgettext_lazy("plural", "进度照片")

    def __str__(self) -> str:
        return self.caption or self.original_name

    def get_absolute_url(self) -> str:
        return reverse("projects:photo", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("projects:photo_thumbnail", args=[self.pk])


class Problem(models.Model):
    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="problems",
        help_text=_("问题所在项目"),
    )
    description = models.TextField(_("问题描述"), help_text=_("需要协调解决的问题"))
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="project_problems",
        help_text=_("负责解决问题的部门"),
    )
    deadline = models.DateField(_("办结时限"), help_text=_("应在此日期前解决"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ProblemStatus.choices,
        default=ProblemStatus.OPEN,
        help_text=_("解决后改为已解决并填写办理结果"),
    )
    escalated_at = models.DateTimeField(
        _("提级时间"), null=True, blank=True, editable=False, help_text=_("逾期后提交领导的时间")
    )
    resolution = models.TextField(_("办理结果"), blank=True, help_text=_("解决情况"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    # The project's department and the department that owns the problem both see and work it.
    # The project's department files and keeps its problems; the department a problem is
    # handed to (any unit of the same zone) reads it.
    contract = Contract(
        unit_fields=("project__responsible_unit", "owner_unit"),
        zone_fields=("owner_unit",),
        actions={
            VIEW: Grant(STAFF_READERS),
            **manage((Role.STAFF,)),
            CHANGE: Grant((Role.STAFF,), placements=PROBLEM_WORKERS),
        },
    )

    class Meta:
        ordering = ["status", "deadline", "pk"]
        verbose_name = _("项目问题")
        verbose_name_plural = pgettext_lazy("plural", "项目问题")

    def __str__(self) -> str:
        return f"{self.project} · {self.description[:30]}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    def is_overdue(self, today) -> bool:
        return self.status == ProblemStatus.OPEN and self.deadline < today

    def clean(self) -> None:
        if self.status == ProblemStatus.RESOLVED and not self.resolution.strip():
            raise ValidationError({"resolution": _("标记为已解决时须填写办理结果")})
