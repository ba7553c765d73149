import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shouwei.core import formatting
from shouwei.core.exports import RATE, Number
from shouwei.core.tables import WRAP, MeasureColumn

from .models import (
    AnnualPlan,
    FundingSource,
    Problem,
    Procedure,
    ProgressReport,
    Project,
    RollingPlan,
    SchedulingCall,
    Stoppage,
)
from .services import completion_rate

MONEY = {"decimals": 2}


class RateColumn(tables.Column):
    """Completed / planned of the row, through the one formatter."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-end"}, "th": {"class": "text-end"}})
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, record):
        return formatting.format_percent(_rate(record))

    def value(self, record):
        return Number.of(_rate(record), RATE)


def _rate(record):
    return completion_rate(
        completed=getattr(record, "completed", None), planned=getattr(record, "planned", None)
    )


class ProjectTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True, attrs=WRAP)
    responsible_unit = tables.Column(
        accessor="responsible_unit__display_name",
        order_by=("responsible_unit__path",),
        verbose_name=_("责任部门"),
    )
    total_investment = MeasureColumn(**MONEY)
    planned = MeasureColumn(verbose_name=_("年度计划（亿元）"), **MONEY)
    completed = MeasureColumn(verbose_name=_("年内完成（亿元）"), **MONEY)
    rate = RateColumn(verbose_name=_("完成率"), orderable=False)
    owner_enterprise = tables.Column(attrs=WRAP)

    class Meta:
        model = Project
        # What a 调度 meeting reads first (plan, done, rate, stage) before what it looks up.
        fields = (
            "code",
            "name",
            "level",
            "planned",
            "completed",
            "rate",
            "stage",
            "responsible_unit",
            "total_investment",
            "industry",
            "owner_enterprise",
        )
        empty_text = _("没有符合条件的项目")


class AnnualPlanTable(tables.Table):
    project = tables.Column(linkify=True, attrs=WRAP)
    planned_milestones = tables.Column(attrs=WRAP)
    year = tables.Column(linkify=True)
    planned_investment = MeasureColumn(**MONEY)

    class Meta:
        model = AnnualPlan
        fields = ("project", "year", "planned_investment", "planned_milestones")
        empty_text = _("没有年度计划")


class ProgressReportTable(tables.Table):
    project = tables.Column(linkify=True, attrs=WRAP)
    period = tables.Column(linkify=True)
    invested_this_month = MeasureColumn(**MONEY)
    invested_ytd = MeasureColumn(**MONEY)

    class Meta:
        model = ProgressReport
        fields = (
            "project",
            "period",
            "invested_this_month",
            "invested_ytd",
            "stage",
            "entered_statistics_on",
            "is_correction",
        )
        empty_text = _("没有月度进度")


class ProblemTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name="#")
    project = tables.Column(linkify=lambda record: record.project.get_absolute_url(), attrs=WRAP)
    description = tables.Column(attrs=WRAP)

    class Meta:
        model = Problem
        fields = (
            "id",
            "project",
            "description",
            "owner_unit",
            "deadline",
            "status",
            "escalated_at",
        )
        empty_text = _("没有问题")


class SchedulingCallTable(tables.Table):
    title = tables.Column(linkify=True, attrs=WRAP)
    asked = tables.Column(verbose_name=_("应报"), attrs={"td": {"class": "text-end"}})
    answered = tables.Column(verbose_name=_("已报"), attrs={"td": {"class": "text-end"}})
    closed_at = tables.Column(verbose_name=_("状态"), empty_values=())

    class Meta:
        model = SchedulingCall
        fields = ("title", "period", "issuing_unit", "deadline", "asked", "answered", "closed_at")
        empty_text = _("没有调度任务")

    def render_closed_at(self, value):
        return _("已关闭") if value else _("填报中")

    def value_closed_at(self, value):
        return str(_("已关闭") if value else _("填报中"))


class ProcedureTable(tables.Table):
    project = tables.Column(linkify=lambda record: record.project.get_absolute_url(), attrs=WRAP)
    kind = tables.Column(linkify=True)

    class Meta:
        model = Procedure
        fields = ("project", "kind", "name", "planned_on", "done_on", "approving_office")
        empty_text = _("没有前期手续")


class FundingSourceTable(tables.Table):
    project = tables.Column(linkify=lambda record: record.project.get_absolute_url(), attrs=WRAP)
    kind = tables.Column(linkify=True)
    amount = MeasureColumn(**MONEY)
    issued_amount = MeasureColumn(**MONEY)
    spent_amount = MeasureColumn(**MONEY)

    class Meta:
        model = FundingSource
        fields = ("project", "year", "kind", "amount", "issued_amount", "spent_amount", "note")
        empty_text = _("没有资金来源")


class RollingPlanTable(tables.Table):
    project = tables.Column(linkify=lambda record: record.project.get_absolute_url(), attrs=WRAP)
    base_year = tables.Column(linkify=True)
    year1 = MeasureColumn(**MONEY)
    year2 = MeasureColumn(**MONEY)
    year3 = MeasureColumn(**MONEY)

    class Meta:
        model = RollingPlan
        fields = ("project", "base_year", "year1", "year2", "year3", "note")
        empty_text = _("没有滚动计划")


class StoppageTable(tables.Table):
    project = tables.Column(linkify=lambda record: record.project.get_absolute_url(), attrs=WRAP)
    stopped_on = tables.Column(linkify=True)
    reason = tables.Column(attrs=WRAP)

    class Meta:
        model = Stoppage
        fields = ("project", "stopped_on", "reason", "resumed_on")
        empty_text = _("没有停工记录")
