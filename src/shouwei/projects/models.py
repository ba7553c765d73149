"""Key projects (重点项目): the project, its annual plan, monthly progress and its problems.

Every figure the zone reports about key projects — counts, totals, plans, completion rates,
behind-plan projects — is computed from these records by ``selectors``; none is stored.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

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

from .choices import (
    CallPeriodKind,
    FundingKind,
    LandStatus,
    ProblemStatus,
    ProcedureKind,
    ProjectLevel,
    Stage,
)

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
    land_area_mu = models.DecimalField(
        _("用地面积（亩）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("用地面积不能为负数"))],
        help_text=_("项目用地，亩；不需新增用地留空"),
    )
    land_status = models.CharField(
        _("供地情况"),
        max_length=20,
        choices=LandStatus.choices,
        blank=True,
        help_text=_("未供地、部分供地、已供地或不需新增用地"),
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
    # Set when the problem was typed in a scheduling call's answer (services.call_answer):
    # one problem per answer, kept in step with it. Provenance, not placement: the reporting
    # unit is the row's unit, which the author answered for.
    source_row = models.OneToOneField(
        "CallRow",
        verbose_name=_("来源调度填报"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="raised_problem",
        help_text=_("该问题来自哪次调度的填报"),
    )
    reporting_unit = models.ForeignKey(
        Unit,
        verbose_name=_("提出单位"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("在调度填报中提出该问题的单位"),
    )

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


# --- 调度任务: the scheduling call ---------------------------------------------------------------
WEEK_CODE = re.compile(r"^(\d{4})-W(\d{2})$")


def week_bounds(code: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week code (2022-W30); ValueError when it is none."""
    m = WEEK_CODE.match(code)
    if not m:
        raise ValueError(code)
    monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    return monday, monday + timedelta(days=6)


def call_report_month(kind: str, period: str) -> str:
    """The month whose progress report a call's answer is. A month call: that month. A week
    call: the month holding the week's Thursday (ISO 8601 counts a week in the month, as in
    the year, that holds its Thursday), so a week never straddles two answers."""
    if kind == CallPeriodKind.MONTH:
        return period
    monday, _sunday = week_bounds(period)
    return f"{monday + timedelta(days=3):%Y-%m}"


CALL_ISSUERS = (Role.STAFF, Role.SUPERVISOR)
OPEN_CALL = Q(closed_at__isnull=True)


class SchedulingCall(models.Model):
    """A data call (调度任务): the office asks the responsible units of the projects a filter
    selects for this period's figures by a deadline. Its rows (``CallRow``) are fixed when it
    is issued; each is answered by a progress report of its project, so nothing is typed
    twice."""

    title = models.CharField(
        _("调度名称"), max_length=200, help_text=_("如 第30周重点项目调度；不填则按期间生成")
    )
    issuing_unit = models.ForeignKey(
        Unit,
        verbose_name=_("下发单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("下发调度的单位；调度范围是其下各单位负责的项目"),
    )
    period_kind = models.CharField(
        _("调度周期"),
        max_length=10,
        choices=CallPeriodKind.choices,
        default=CallPeriodKind.WEEK,
        help_text=_("按周或按月调度"),
    )
    period = models.CharField(
        _("调度期间"), max_length=8, help_text=_("周如 2022-W30，月如 2022-07")
    )
    level = models.CharField(
        _("项目级别"),
        max_length=20,
        choices=ProjectLevel.choices,
        blank=True,
        help_text=_("只调度该级别的项目；留空为全部级别"),
    )
    stage = models.CharField(
        _("项目阶段"),
        max_length=20,
        choices=Stage.choices,
        blank=True,
        help_text=_("只调度当前处于该阶段的项目；留空为全部阶段"),
    )
    department = models.ForeignKey(
        Unit,
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("只调度该部门（含下级）负责的项目；留空为下发单位下全部部门"),
    )
    ask_stage = models.BooleanField(
        _("填报阶段"),
        default=True,
        help_text=_("要求填报本期末阶段（本期完成投资和累计投资总是要填）"),
    )
    ask_entered = models.BooleanField(
        _("填报入库"), default=True, help_text=_("要求填报纳入统计局投资库的日期")
    )
    ask_problems = models.BooleanField(
        _("填报问题"), default=True, help_text=_("要求填报需要协调解决的问题")
    )
    question = models.CharField(
        _("调度问题"),
        max_length=300,
        blank=True,
        help_text=_("另需各单位回答的问题，如 本周是否具备开工条件；留空则不问"),
    )
    deadline = models.DateField(_("填报截止日期"), help_text=_("各单位应在此日期（含）前填报"))
    remind_days_before = models.PositiveSmallIntegerField(
        _("提前催报天数"),
        default=1,
        validators=[MaxValueValidator(30)],
        help_text=_("截止前几天提醒尚未填报的单位；0 为截止当天"),
    )
    escalate_days_after = models.PositiveSmallIntegerField(
        _("逾期提级天数"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("逾期几天仍未填报的，提交该单位的分管领导"),
    )
    issued_by = _by_field(_("下发人"))
    issued_at = models.DateTimeField(_("下发时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True, editable=False)
    closed_by = _by_field(_("关闭人"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    # Placed at the issuing unit; a department issues for the zone it serves, and every
    # department of the zone reads the zone's calls (its 待办 comes from them).
    contract = Contract(
        unit_fields=("issuing_unit",),
        served_fields=("issuing_unit",),
        read_ancestors=True,
        actions={
            VIEW: Grant(STAFF_READERS),
            "add": Grant(CALL_ISSUERS),
            CHANGE: Grant(CALL_ISSUERS, OPEN_CALL),
            "close": Grant(CALL_ISSUERS, OPEN_CALL),
            "remind": Grant((*CALL_ISSUERS, Role.LEADER), OPEN_CALL),
        },
    )

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("调度任务")
        verbose_name_plural = pgettext_lazy("plural", "调度任务")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for(self)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def report_month(self) -> str:
        return call_report_month(self.period_kind, self.period)

    def clean(self) -> None:
        if self.period_kind == CallPeriodKind.WEEK:
            try:
                week_bounds(self.period)
            except ValueError:
                raise ValidationError(
                    {"period": _("周调度的期间应为 ISO 周，如 2022-W30")}
                ) from None
        elif self.period_kind == CallPeriodKind.MONTH:
            try:
                validate_month(self.period)
            except ValidationError as exc:
                raise ValidationError({"period": exc.messages}) from None
        if (
            self.department_id
            and self.issuing_unit_id
            and not self.department.path.startswith(self.issuing_unit.path)
        ):
            raise ValidationError({"department": _("责任部门须在下发单位之下")})


class CallRow(models.Model):
    """One project asked in a call, answered by its responsible unit. ``unit`` is that unit
    as the call was issued (the board counts per unit; a project moved later stays where it
    was asked)."""

    call = models.ForeignKey(
        SchedulingCall,
        verbose_name=_("调度任务"),
        on_delete=models.CASCADE,
        related_name="rows",
        help_text=_("所属调度"),
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="call_rows",
        help_text=_("被调度的项目"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("填报单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("下发时项目的责任部门"),
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("填报的月度进度"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="call_rows",
        help_text=_("本行的回答就是这份月度进度"),
    )
    answer = models.TextField(_("问题回复"), blank=True, help_text=_("对调度问题的回答"))
    problems = models.TextField(_("存在问题"), blank=True, help_text=_("需要协调解决的问题"))
    answered_on = models.DateField(_("填报日期"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("填报时间"), null=True, blank=True, editable=False)
    answered_by = _by_field(_("填报人"))
    late = models.BooleanField(_("逾期填报"), default=False, editable=False)
    after_close = models.BooleanField(_("关闭后填报"), default=False, editable=False)
    reminded_before_at = models.DateTimeField(_("截止前催报时间"), null=True, editable=False)
    reminded_after_at = models.DateTimeField(_("逾期催报时间"), null=True, editable=False)
    escalated_at = models.DateTimeField(_("提级时间"), null=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    # The unit answers its own rows only; the zone that issued the call reads them all.
    contract = Contract(
        unit_fields=("unit", "call__issuing_unit"),
        served_fields=("call__issuing_unit",),
        read_ancestors=True,
        actions={VIEW: Grant(STAFF_READERS), CHANGE: Grant((Role.STAFF,))},
    )

    class Meta:
        ordering = ["call", "unit__path", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["call", "project"], name="uniq_callrow_call_project")
        ]
        indexes = [models.Index(fields=["call", "unit"], name="callrow_call_unit_idx")]
        verbose_name = _("调度填报")
        verbose_name_plural = pgettext_lazy("plural", "调度填报")

    def __str__(self) -> str:
        return f"{self.call} · {self.project}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def get_absolute_url(self) -> str:
        """A row is read on its call's board."""
        return self.call.get_absolute_url()


# --- 前期手续 ----------------------------------------------------------------------------------
class Procedure(models.Model):
    """One item of a project's 前期手续 checklist: planned and actual dates, and the office
    that approves it. Late: planned date passed without an actual one (``selectors``)."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="procedures",
        help_text=_("手续所属项目"),
    )
    kind = models.CharField(
        _("手续"),
        max_length=20,
        choices=ProcedureKind.choices,
        help_text=_("立项/备案、用地预审与选址、规划许可、环评、能评、施工许可，或其他"),
    )
    name = models.CharField(
        _("手续名称"),
        max_length=100,
        blank=True,
        help_text=_("选“其他”时必填，如 水土保持方案批复；标准手续可留空"),
    )
    planned_on = models.DateField(
        _("计划办结日期"), null=True, blank=True, help_text=_("计划取得批复的日期")
    )
    done_on = models.DateField(
        _("实际办结日期"), null=True, blank=True, help_text=_("实际取得批复的日期；未办结留空")
    )
    approving_office = models.CharField(
        _("审批部门"), max_length=100, blank=True, help_text=_("如 市自然资源和规划局")
    )
    document_no = models.CharField(
        _("批复文号"), max_length=100, blank=True, help_text=_("批复或证书编号")
    )
    order_note = models.TextField(
        _("顺序说明"),
        blank=True,
        help_text=_("办结日期早于其前置手续（如 施工许可早于规划许可）时必填，说明原因"),
    )
    import_batch = _batch_field()

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = project_contract("project__responsible_unit")

    class Meta:
        ordering = ["project__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                condition=~Q(kind=ProcedureKind.CUSTOM),
                name="uniq_procedure_project_kind",
                violation_error_message=_("该项目已有这项手续"),
            ),
            models.UniqueConstraint(
                fields=["project", "name"],
                condition=Q(kind=ProcedureKind.CUSTOM),
                name="uniq_procedure_project_custom_name",
                violation_error_message=_("该项目已有同名的其他手续"),
            ),
        ]
        verbose_name = _("前期手续")
        verbose_name_plural = pgettext_lazy("plural", "前期手续")

    def __str__(self) -> str:
        return f"{self.project} · {self.label}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    @property
    def label(self) -> str:
        return self.name if self.kind == ProcedureKind.CUSTOM else str(self.get_kind_display())

    def is_late(self, today: date) -> bool:
        return self.done_on is None and self.planned_on is not None and self.planned_on < today

    def clean(self) -> None:
        if self.kind == ProcedureKind.CUSTOM and not self.name.strip():
            raise ValidationError({"name": _("其他手续须填写手续名称")})
        if self.kind != ProcedureKind.CUSTOM:
            self.name = ""


# --- 资金来源 ----------------------------------------------------------------------------------
# A special-purpose bond (专项债券) goes applied → approved → issued → disbursed → spent; each
# stage's amount and date, in that order (财政部《地方政府专项债券发行管理暂行办法》).
BOND_STAGES = ("applied", "approved", "issued", "disbursed", "spent")
BOND_STAGE_LABELS = {
    "applied": _("申报"),
    "approved": _("批准"),
    "issued": _("发行"),
    "disbursed": _("拨付"),
    "spent": _("支出"),
}


def _bond_amount(stage: str):
    return models.DecimalField(
        _("%(stage)s金额（亿元）") % {"stage": BOND_STAGE_LABELS[stage]},
        **MONEY,
        null=True,
        blank=True,
        validators=[non_negative],
        help_text=_("专项债券填写；其他来源留空"),
    )


def _bond_date(stage: str):
    return models.DateField(
        _("%(stage)s日期") % {"stage": BOND_STAGE_LABELS[stage]},
        null=True,
        blank=True,
        help_text=_("专项债券填写；支出填截至日期"),
    )


class FundingSource(models.Model):
    """One source of a project's money in a year. ``amount`` is what the source puts into the
    year's plan; the sources of a year add up to the annual plan, or the pages say by how much
    they do not. A bond also records its stages."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="funding",
        help_text=_("资金所属项目"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"),
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text=_("资金安排的年度，如 2022"),
    )
    kind = models.CharField(
        _("资金来源"),
        max_length=10,
        choices=FundingKind.choices,
        help_text=_("财政资金、专项债券、企业自筹、银行贷款或其他"),
    )
    amount = models.DecimalField(
        _("本年安排（亿元）"),
        **MONEY,
        validators=[non_negative],
        help_text=_("该来源计入本年度计划投资的金额，亿元"),
    )
    applied_amount = _bond_amount("applied")
    applied_on = _bond_date("applied")
    approved_amount = _bond_amount("approved")
    approved_on = _bond_date("approved")
    issued_amount = _bond_amount("issued")
    issued_on = _bond_date("issued")
    disbursed_amount = _bond_amount("disbursed")
    disbursed_on = _bond_date("disbursed")
    spent_amount = _bond_amount("spent")
    spent_on = _bond_date("spent")
    note = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("如 债券名称、贷款银行")
    )
    import_batch = _batch_field()

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = project_contract("project__responsible_unit")

    class Meta:
        ordering = ["-year", "project__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "kind"],
                name="uniq_funding_project_year_kind",
                violation_error_message=_("该项目该年度已有这一资金来源"),
            )
        ]
        verbose_name = _("资金来源")
        verbose_name_plural = pgettext_lazy("plural", "资金来源")

    def __str__(self) -> str:
        return f"{self.project} · {self.year} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    @property
    def idle(self):
        """Issued and not yet spent (沉淀资金), 亿元."""
        if self.issued_amount is None:
            return None
        return self.issued_amount - (self.spent_amount or 0)

    @property
    def spending_rate(self):
        if not self.issued_amount:
            return None
        return (self.spent_amount or 0) / self.issued_amount

    def clean(self) -> None:
        errors: dict[str, str] = {}
        bond_fields = [f"{s}_{x}" for s in BOND_STAGES for x in ("amount", "on")]
        if self.kind != FundingKind.BOND:
            for name in bond_fields:
                if getattr(self, name) is not None:
                    errors[name] = _("只有专项债券填写申报、批准、发行、拨付、支出")
            if errors:
                raise ValidationError(errors)
            return
        previous = None
        for stage in BOND_STAGES:
            amount, day = getattr(self, f"{stage}_amount"), getattr(self, f"{stage}_on")
            if amount is None:
                continue
            if previous is not None:
                p_stage, p_amount, p_day = previous
                if amount > p_amount:
                    errors[f"{stage}_amount"] = _(
                        "%(stage)s金额%(amount)s亿元超过%(prev)s金额%(prev_amount)s亿元"
                    ) % {
                        "stage": BOND_STAGE_LABELS[stage],
                        "amount": amount,
                        "prev": BOND_STAGE_LABELS[p_stage],
                        "prev_amount": p_amount,
                    }
                if day and p_day and day < p_day:
                    errors[f"{stage}_on"] = _("%(stage)s日期早于%(prev)s日期") % {
                        "stage": BOND_STAGE_LABELS[stage],
                        "prev": BOND_STAGE_LABELS[p_stage],
                    }
            previous = (stage, amount, day)
        if self.spent_amount is not None and self.issued_amount is None:
            errors["spent_amount"] = _("债券尚未发行，不能填写支出")
        elif self.spent_amount is not None and self.spent_amount > self.issued_amount:
            errors["spent_amount"] = _("支出金额%(spent)s亿元超过发行金额%(issued)s亿元") % {
                "spent": self.spent_amount,
                "issued": self.issued_amount,
            }
        if errors:
            raise ValidationError(errors)


# --- 滚动投资计划 ------------------------------------------------------------------------------
class RollingPlan(models.Model):
    """The three-year rolling investment plan a project made in ``base_year``: the planned
    investment for that year and the next two. Rolled forward each year into a new record;
    the previous ones are kept. The annual plan of a year starts from it."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="rolling_plans",
        help_text=_("计划所属项目"),
    )
    base_year = models.PositiveSmallIntegerField(
        _("编制年度"),
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text=_("计划编制的年度，即三年中的第一年，如 2022"),
    )
    year1 = models.DecimalField(
        _("当年计划（亿元）"), **MONEY, validators=[non_negative], help_text=_("编制年度当年")
    )
    year2 = models.DecimalField(
        _("次年计划（亿元）"), **MONEY, validators=[non_negative], help_text=_("编制年度的下一年")
    )
    year3 = models.DecimalField(
        _("第三年计划（亿元）"), **MONEY, validators=[non_negative], help_text=_("编制年度后第二年")
    )
    note = models.TextField(
        _("说明"), blank=True, help_text=_("当年计划与年度计划不一致时必填，说明原因")
    )
    import_batch = _batch_field()

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = project_contract("project__responsible_unit")

    class Meta:
        ordering = ["-base_year", "project__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "base_year"],
                name="uniq_rollingplan_project_year",
                violation_error_message=_("该项目该年度已编制滚动计划"),
            )
        ]
        verbose_name = _("滚动投资计划")
        verbose_name_plural = pgettext_lazy("plural", "滚动投资计划")

    def __str__(self) -> str:
        return f"{self.project} · {self.base_year}—{self.base_year + 2}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    def amounts(self) -> list[tuple[int, object]]:
        return [(self.base_year + i, v) for i, v in enumerate((self.year1, self.year2, self.year3))]


# --- 停工/复工 ---------------------------------------------------------------------------------
class Stoppage(models.Model):
    """A stop of work (停工) and, once it ends, the resumption (复工). A project with an open
    stoppage says 停工 wherever it would otherwise only read as behind plan."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="stoppages",
        help_text=_("停工的项目"),
    )
    stopped_on = models.DateField(_("停工日期"), help_text=_("停工的日期"))
    reason = models.TextField(_("停工原因"), help_text=_("如 资金未到位、环保督察、征拆纠纷"))
    resumed_on = models.DateField(
        _("复工日期"), null=True, blank=True, help_text=_("复工的日期；尚未复工留空")
    )
    resume_note = models.TextField(_("复工情况"), blank=True, help_text=_("复工时问题如何解决"))
    import_batch = _batch_field()

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = project_contract("project__responsible_unit")

    class Meta:
        ordering = ["-stopped_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(resumed_on__isnull=True),
                name="uniq_stoppage_open_per_project",
                violation_error_message=_("该项目已有未复工的停工记录，请先登记复工"),
            )
        ]
        verbose_name = _("停工复工")
        verbose_name_plural = pgettext_lazy("plural", "停工复工")

    def __str__(self) -> str:
        return f"{self.project} · {self.stopped_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    def clean(self) -> None:
        if self.resumed_on and self.stopped_on and self.resumed_on < self.stopped_on:
            raise ValidationError({"resumed_on": _("复工日期不能早于停工日期")})
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("须填写停工原因")})
