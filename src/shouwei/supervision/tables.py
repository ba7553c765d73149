import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shouwei.core.tables import WRAP, MeasureColumn

from .models import (
    Arrears,
    DepartmentScore,
    ExtensionRequest,
    Goal,
    Milestone,
    PerformanceScheme,
    ProgressReport,
    SafetyIncident,
    SchemeItem,
    ScoreAdjustment,
    ScoreRun,
    SupervisionNotice,
    TaskBook,
)


def unit_column(accessor: str, label):
    return tables.Column(
        accessor=f"{accessor}__display_name",
        order_by=(f"{accessor}__path",),
        verbose_name=label,
    )


class GoalTable(tables.Table):
    code = tables.Column(linkify=True)
    title = tables.Column(linkify=True, attrs=WRAP)
    source = tables.Column(attrs=WRAP)

    class Meta:
        model = Goal
        fields = ("year", "code", "title", "source", "responsible_leader", "target")


class TaskBookTable(tables.Table):
    goal = tables.Column(linkify=True, attrs=WRAP)
    lead_unit = unit_column("lead_unit", _("牵头部门"))

    class Meta:
        model = TaskBook
        fields = ("goal", "lead_unit", "leader")


class MilestoneTable(tables.Table):
    title = tables.Column(linkify=True, attrs=WRAP)
    goal = tables.Column(attrs=WRAP)
    lead_unit = unit_column("lead_unit", _("责任部门"))
    weight = MeasureColumn(decimals=2)

    class Meta:
        model = Milestone
        fields = ("title", "goal", "deliverable", "due", "weight", "lead_unit", "completed_on")


class ProgressReportTable(tables.Table):
    milestone = tables.Column(linkify=True, attrs=WRAP)
    unit = unit_column("unit", _("报送部门"))

    class Meta:
        model = ProgressReport
        fields = ("milestone", "unit", "reported_on", "percent", "backdated")


class SupervisionNoticeTable(tables.Table):
    number = tables.Column(linkify=True, empty_values=(), verbose_name=_("文号"))
    task = tables.Column(attrs=WRAP)
    unit = unit_column("unit", _("主送部门"))

    class Meta:
        model = SupervisionNotice
        fields = ("number", "unit", "task", "deadline", "status", "auto_drafted")

    def render_number(self, record):
        return str(record)

    def value_number(self, record):
        return str(record)


class ExtensionRequestTable(tables.Table):
    milestone = tables.Column(linkify=True, attrs=WRAP)

    class Meta:
        model = ExtensionRequest
        fields = ("milestone", "new_due", "requested_on", "status")


class SafetyIncidentTable(tables.Table):
    occurred_on = tables.Column(linkify=True)
    unit = unit_column("unit", _("责任单位"))

    class Meta:
        model = SafetyIncident
        fields = ("occurred_on", "level", "place", "unit", "deaths", "injuries")


class ArrearsTable(tables.Table):
    debtor = tables.Column(linkify=True, attrs=WRAP)
    owner_unit = unit_column("owner_unit", _("责任部门"))
    amount_due = MeasureColumn(decimals=2)
    collected = MeasureColumn(decimals=2)

    class Meta:
        model = Arrears
        fields = ("debtor", "amount_due", "collected", "deadline", "owner_unit", "owner")


class PerformanceSchemeTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = PerformanceScheme
        fields = ("year", "name", "reward_count", "penalise_count")


class SchemeItemTable(tables.Table):
    name = tables.Column(linkify=True)
    weight = MeasureColumn(decimals=2)

    class Meta:
        model = SchemeItem
        fields = ("scheme", "kind", "name", "rule", "weight", "indicator", "source")


class ScoreAdjustmentTable(tables.Table):
    item = tables.Column(linkify=True)
    unit = unit_column("unit", _("被考评单位"))
    points = MeasureColumn(decimals=2)

    class Meta:
        model = ScoreAdjustment
        fields = ("item", "unit", "points", "reason")


class ScoreRunTable(tables.Table):
    version = tables.Column(linkify=True)

    class Meta:
        model = ScoreRun
        fields = ("scheme", "version", "as_of", "created_at", "note")


class DepartmentScoreTable(tables.Table):
    unit = tables.Column(linkify=True, accessor="unit__display_name", verbose_name=_("被考评单位"))
    base = MeasureColumn(decimals=2)
    bonus = MeasureColumn(decimals=2)
    penalty = MeasureColumn(decimals=2)
    total = MeasureColumn(decimals=2)

    class Meta:
        model = DepartmentScore
        fields = ("rank", "unit", "base", "bonus", "penalty", "total", "vetoed")
