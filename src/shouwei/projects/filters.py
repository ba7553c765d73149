import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from shouwei.core import clock
from shouwei.core.filters import SearchFilterSet
from shouwei.core.models import Unit

from . import selectors
from .choices import (
    HEADLINE,
    HEADLINE_LABEL,
    HEADLINE_LEVELS,
    CallPeriodKind,
    FundingKind,
    ProblemStatus,
    ProcedureKind,
    ProjectLevel,
    Stage,
)
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
    validate_month,
)

YES = forms.CheckboxInput


class ProjectFilterSet(SearchFilterSet):
    """The list answers the panel's links: ``?level=…&behind=1&period=2022-06&unit=<pk>``."""

    search_fields = ("code", "name", "owner_enterprise", "industry_chain")
    period = django_filters.CharFilter(
        method="keep",
        label=_("月份"),
        help_text=_("完成投资和是否滞后按该月计算，如 2022-06；默认最新一月"),
        validators=[validate_month],
    )
    level = django_filters.ChoiceFilter(
        choices=[(HEADLINE, HEADLINE_LABEL), *ProjectLevel.choices],
        method="at_level",
        label=_("级别"),
        help_text=_("省、市重点：省重点和市重点（不含区重点）"),
    )
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("当前阶段"))
    responsible_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.filter(kind="department"), label=_("责任部门")
    )
    unit = django_filters.NumberFilter(method="under_unit", label=_("单位（含下级）"))
    industry = django_filters.CharFilter(
        field_name="industry", lookup_expr="istartswith", label=_("行业代码")
    )
    behind = django_filters.BooleanFilter(method="behind_plan", label=_("滞后于计划"), widget=YES)
    not_entered = django_filters.BooleanFilter(
        method="not_entered_statistics", label=_("未入库"), widget=YES
    )

    class Meta:
        model = Project
        fields = ["q", "period", "level", "stage", "responsible_unit", "industry"]

    def keep(self, queryset, name, value):
        # The month is read by the view, which annotates the list with it.
        return queryset

    def at_level(self, queryset, name, value):
        if value == HEADLINE:
            return queryset.filter(level__in=HEADLINE_LEVELS)
        return queryset.filter(level=value)

    def under_unit(self, queryset, name, value):
        unit = Unit.objects.filter(pk=value).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(responsible_unit__path__startswith=unit.path)

    def behind_plan(self, queryset, name, value):
        if not value:
            return queryset
        # The month the list annotates (its period field, else the newest month reported).
        user = getattr(self.request, "user", None)
        year, month = selectors.month_for(user, self.form.cleaned_data.get("period"))
        return queryset.filter(pk__in=selectors.behind_plan(year=year, month=month))

    def not_entered_statistics(self, queryset, name, value):
        return queryset.filter(selectors.not_entered_q()) if value else queryset


class AnnualPlanFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name")
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = AnnualPlan
        fields = ["q", "year"]


class ProgressReportFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name", "narrative")
    period = django_filters.CharFilter(label=_("月份"), validators=[validate_month])
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("阶段"))

    class Meta:
        model = ProgressReport
        fields = ["q", "period", "stage"]


class ProblemFilterSet(SearchFilterSet):
    search_fields = ("project__name", "description", "owner_unit__name")
    status = django_filters.ChoiceFilter(choices=ProblemStatus.choices, label=_("状态"))
    overdue = django_filters.BooleanFilter(
        method="overdue_now",
        label=_("已逾期"),
        widget=YES,
        help_text=_("未解决且已过办结时限的问题（逾期问题清单，可导出）"),
    )

    class Meta:
        model = Problem
        fields = ["q", "status", "owner_unit", "overdue"]

    def overdue_now(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=ProblemStatus.OPEN, deadline__lt=clock.today())


class SchedulingCallFilterSet(SearchFilterSet):
    search_fields = ("title", "period", "question")
    period_kind = django_filters.ChoiceFilter(choices=CallPeriodKind.choices, label=_("调度周期"))
    open = django_filters.BooleanFilter(
        field_name="closed_at", lookup_expr="isnull", label=_("未关闭"), widget=YES
    )

    class Meta:
        model = SchedulingCall
        fields = ["q", "period_kind", "open"]


class ProcedureFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name", "name", "approving_office")
    kind = django_filters.ChoiceFilter(choices=ProcedureKind.choices, label=_("手续"))
    late = django_filters.BooleanFilter(
        method="late_now",
        label=_("已逾期"),
        widget=YES,
        help_text=_("计划办结日期已过仍未办结的手续"),
    )

    class Meta:
        model = Procedure
        fields = ["q", "kind", "late"]

    def late_now(self, queryset, name, value):
        return queryset.filter(selectors.late_procedures_q(clock.today())) if value else queryset


class FundingSourceFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name", "note")
    year = django_filters.NumberFilter(label=_("年度"))
    kind = django_filters.ChoiceFilter(choices=FundingKind.choices, label=_("资金来源"))

    class Meta:
        model = FundingSource
        fields = ["q", "year", "kind"]


class RollingPlanFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name", "note")
    base_year = django_filters.NumberFilter(label=_("编制年度"))

    class Meta:
        model = RollingPlan
        fields = ["q", "base_year"]


class StoppageFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name", "reason")
    stopped = django_filters.BooleanFilter(
        field_name="resumed_on",
        lookup_expr="isnull",
        label=_("尚未复工"),
        widget=YES,
        help_text=_("只看仍在停工的项目"),
    )

    class Meta:
        model = Stoppage
        fields = ["q", "stopped"]
