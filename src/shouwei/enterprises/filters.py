import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from shouwei.core import clock
from shouwei.core.filters import SearchFilterSet
from shouwei.core.models import Unit

from .choices import OPEN_STATUSES, RequestCategory, RequestChannel, RequestStatus, Scale, VisitKind
from .models import Enterprise, EnterpriseContact, LiaisonAssignment, Request, Visit

YES = forms.CheckboxInput


class EnterpriseFilterSet(SearchFilterSet):
    search_fields = ("uscc", "name", "legal_representative", "address")
    scale = django_filters.ChoiceFilter(choices=Scale.choices, label=_("规模"))
    is_key = django_filters.BooleanFilter(label=_("重点企业"))
    street = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.filter(kind="street"), label=_("所在街道")
    )
    industry = django_filters.CharFilter(lookup_expr="istartswith", label=_("行业代码"))

    class Meta:
        model = Enterprise
        fields = ["q", "scale", "is_key", "street", "industry"]


class EnterpriseContactFilterSet(SearchFilterSet):
    search_fields = ("username", "enterprise__name", "enterprise__uscc")

    class Meta:
        model = EnterpriseContact
        fields = ["q"]


class LiaisonAssignmentFilterSet(SearchFilterSet):
    search_fields = ("cadre__username", "cadre__first_name", "enterprise__name", "project__name")
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.filter(kind="department"), label=_("派出单位")
    )
    current = django_filters.BooleanFilter(method="current_only", label=_("仅当前"), widget=YES)

    class Meta:
        model = LiaisonAssignment
        fields = ["q", "unit", "current"]

    def current_only(self, queryset, name, value):
        if not value:
            return queryset
        day = clock.today()
        return queryset.filter(starts_on__lte=day).exclude(ends_on__lt=day)


class VisitFilterSet(SearchFilterSet):
    search_fields = ("enterprise__name", "findings", "follow_ups")
    kind = django_filters.ChoiceFilter(choices=VisitKind.choices, label=_("方式"))
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.all(), label=_("企业")
    )

    class Meta:
        model = Visit
        fields = ["q", "kind", "enterprise"]


class RequestFilterSet(SearchFilterSet):
    """Answers the figures' and the panel's links: ``?assigned_department=…&category=…&year=…
    &month=…&overdue=1``."""

    search_fields = ("enterprise__name", "description", "answer")
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("状态"))
    category = django_filters.ChoiceFilter(choices=RequestCategory.choices, label=_("类别"))
    channel = django_filters.ChoiceFilter(choices=RequestChannel.choices, label=_("渠道"))
    assigned_department = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.filter(kind="department"), label=_("承办部门")
    )
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.all(), label=_("企业")
    )
    year = django_filters.NumberFilter(field_name="filed_on", lookup_expr="year", label=_("年度"))
    month = django_filters.NumberFilter(field_name="filed_on", lookup_expr="month", label=_("月份"))
    overdue = django_filters.BooleanFilter(method="overdue_only", label=_("已逾期"), widget=YES)
    reopened = django_filters.BooleanFilter(method="reopened_only", label=_("重办过"), widget=YES)

    class Meta:
        model = Request
        fields = ["q", "status", "category", "channel", "assigned_department", "enterprise"]

    def overdue_only(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES, due_on__lt=clock.today())

    def reopened_only(self, queryset, name, value):
        return queryset.filter(reopen_count__gt=0) if value else queryset
