import django_filters
from django.utils.translation import gettext_lazy as _

from shouwei.core.filters import SearchFilterSet
from shouwei.core.models import Unit
from shouwei.core.periods import Period

from .choices import Category, ObservationStatus, TargetKind
from .models import Indicator, Observation, Target, validate_period


class PeriodFilter(django_filters.CharFilter):
    """A period however it is written (2022-6, 2022年6月, 2022h1) matches its stored code."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{self.field_name: Period.parse(value).code})


class IndicatorFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "short_name")
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("类别"))

    class Meta:
        model = Indicator
        fields = ["q", "category", "kind", "direction", "cumulative"]


class ObservationFilterSet(SearchFilterSet):
    search_fields = (
        "indicator__name",
        "indicator__code",
        "unit__name",
        "unit__code",
        "period",
        "source",
    )
    search_index = True  # indicators/migrations/0005_observation_search_bigrams.py
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("单位"))
    indicator = django_filters.ModelChoiceFilter(queryset=Indicator.objects.all(), label=_("指标"))
    period = PeriodFilter(
        label=_("期间"), help_text=_("如 2022-06、2022H1"), validators=[validate_period]
    )
    status = django_filters.ChoiceFilter(choices=ObservationStatus.choices, label=_("状态"))
    category = django_filters.ChoiceFilter(
        field_name="indicator__category", choices=Category.choices, label=_("类别")
    )

    class Meta:
        model = Observation
        fields = ["q", "unit", "indicator", "category", "period", "status", "synthetic"]


class TargetFilterSet(SearchFilterSet):
    search_fields = ("name", "label", "unit__name")
    year = django_filters.NumberFilter(label=_("年度"))
    kind = django_filters.ChoiceFilter(choices=TargetKind.choices, label=_("目标类型"))

    class Meta:
        model = Target
        fields = ["q", "year", "kind", "unit"]
