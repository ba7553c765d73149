import django_filters
from django.utils.translation import gettext_lazy as _

from shouwei.core.filters import SearchFilterSet

from .choices import ReportKind, ReportStatus
from .models import Report


class ReportFilterSet(SearchFilterSet):
    search_fields = ("title", "period", "unit__name", "unit__code", "data_version")
    kind = django_filters.ChoiceFilter(label=_("报告类型"), choices=ReportKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReportStatus.choices)
    period = django_filters.CharFilter(label=_("期间"), lookup_expr="iexact")

    class Meta:
        model = Report
        fields = ("kind", "status", "period")
