import django_filters
from django.utils.translation import gettext_lazy as _

from shouwei.core.filters import SearchFilterSet
from shouwei.core.models import Unit

from .choices import ExtensionStatus, IncidentLevel, ItemKind, NoticeStatus
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

DEPARTMENTS = Unit.objects.filter(kind__in=("department", "street", "bonded_zone"))


class GoalFilterSet(SearchFilterSet):
    search_fields = ("code", "title", "source", "responsible_leader")
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = Goal
        fields = ["q", "year"]


class TaskBookFilterSet(SearchFilterSet):
    search_fields = ("goal__title", "leader", "measures")
    lead_unit = django_filters.ModelChoiceFilter(queryset=DEPARTMENTS, label=_("牵头部门"))

    class Meta:
        model = TaskBook
        fields = ["q", "lead_unit"]


class MilestoneFilterSet(SearchFilterSet):
    search_fields = ("title", "deliverable", "goal__title")
    lead_unit = django_filters.ModelChoiceFilter(queryset=DEPARTMENTS, label=_("责任部门"))
    overdue = django_filters.BooleanFilter(method="only_overdue", label=_("已逾期未完成"))
    goal = django_filters.ModelChoiceFilter(queryset=Goal.objects.all(), label=_("目标"))

    class Meta:
        model = Milestone
        fields = ["q", "goal", "lead_unit", "overdue"]

    def only_overdue(self, queryset, name, value):
        from shouwei.core import clock

        if not value:
            return queryset
        return queryset.filter(completed_on__isnull=True, due__lt=clock.today())


class ProgressReportFilterSet(SearchFilterSet):
    search_fields = ("text", "milestone__title")
    backdated = django_filters.BooleanFilter(label=_("补报"))

    class Meta:
        model = ProgressReport
        fields = ["q", "backdated"]


class SupervisionNoticeFilterSet(SearchFilterSet):
    search_fields = ("number", "task", "reason")
    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices, label=_("状态"))
    unit = django_filters.ModelChoiceFilter(queryset=DEPARTMENTS, label=_("主送部门"))

    class Meta:
        model = SupervisionNotice
        fields = ["q", "status", "unit"]


class ExtensionRequestFilterSet(SearchFilterSet):
    search_fields = ("reason", "milestone__title")
    status = django_filters.ChoiceFilter(choices=ExtensionStatus.choices, label=_("状态"))

    class Meta:
        model = ExtensionRequest
        fields = ["q", "status"]


class SafetyIncidentFilterSet(SearchFilterSet):
    search_fields = ("place", "description")
    level = django_filters.ChoiceFilter(choices=IncidentLevel.choices, label=_("事故等级"))

    class Meta:
        model = SafetyIncident
        fields = ["q", "level"]


class ArrearsFilterSet(SearchFilterSet):
    search_fields = ("debtor", "owner")

    class Meta:
        model = Arrears
        fields = ["q"]


class PerformanceSchemeFilterSet(SearchFilterSet):
    search_fields = ("name",)
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = PerformanceScheme
        fields = ["q", "year"]


class SchemeItemFilterSet(SearchFilterSet):
    search_fields = ("name", "indicator", "source")
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices, label=_("类别"))

    class Meta:
        model = SchemeItem
        fields = ["q", "kind"]


class ScoreAdjustmentFilterSet(SearchFilterSet):
    search_fields = ("reason", "item__name")

    class Meta:
        model = ScoreAdjustment
        fields = ["q"]


class ScoreRunFilterSet(SearchFilterSet):
    search_fields = ("note", "scheme__name")

    class Meta:
        model = ScoreRun
        fields = ["q"]


class DepartmentScoreFilterSet(SearchFilterSet):
    search_fields = ("unit__name",)
    run = django_filters.ModelChoiceFilter(queryset=ScoreRun.objects.all(), label=_("版本"))

    class Meta:
        model = DepartmentScore
        fields = ["q", "run"]
