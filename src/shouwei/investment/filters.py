import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from shouwei.core.filters import SearchFilterSet

from .choices import LeadChannel, LeadStage
from .models import (
    Agency,
    ChainLink,
    Contract,
    Event,
    FortuneListEntry,
    IndustryChain,
    Lead,
    Office,
)

YES = forms.CheckboxInput


class LeadFilterSet(SearchFilterSet):
    """The list answers the cockpit panel's links: ``?signed_year=2022&event=1``,
    ``?signed_year=2022&fortune=1``, ``?stage=intent``."""

    search_fields = ("project_name", "short_name", "investor")
    stage = django_filters.ChoiceFilter(choices=LeadStage.choices, label=_("阶段"))
    channel = django_filters.ChoiceFilter(choices=LeadChannel.choices, label=_("招商渠道"))
    industry = django_filters.CharFilter(
        field_name="industry", lookup_expr="istartswith", label=_("行业代码")
    )
    chain_link = django_filters.ModelChoiceFilter(
        queryset=ChainLink.objects.select_related("chain"), label=_("产业链环节")
    )
    signed_year = django_filters.NumberFilter(
        field_name="contract_record__signed_on",
        lookup_expr="year",
        label=_("签约年度"),
        min_value=1900,
        max_value=2200,
    )
    event = django_filters.BooleanFilter(
        method="with_source_event", label=_("活动签约"), widget=YES
    )
    fortune = django_filters.BooleanFilter(
        method="with_fortune_entry", label=_("三类500强"), widget=YES
    )
    lost = django_filters.BooleanFilter(label=_("已流失"))

    class Meta:
        model = Lead
        fields = ["q", "stage", "channel", "industry", "chain_link", "signed_year", "lost"]

    def with_source_event(self, queryset, name, value):
        # An unticked box is no condition (not "none from an event").
        return queryset.filter(source_event__isnull=False) if value else queryset

    def with_fortune_entry(self, queryset, name, value):
        return queryset.filter(fortune_entry__isnull=False) if value else queryset

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        # The panel's signed figures leave out lost leads; so does the list they open.
        if self.form.cleaned_data.get("signed_year"):
            qs = qs.filter(lost=False)
        return qs


class ContractFilterSet(SearchFilterSet):
    search_fields = ("lead__project_name", "lead__investor")
    year = django_filters.NumberFilter(
        field_name="signed_on",
        lookup_expr="year",
        label=_("签约年度"),
        min_value=1900,
        max_value=2200,
    )

    class Meta:
        model = Contract
        fields = ["q", "year"]


class EventFilterSet(SearchFilterSet):
    search_fields = ("name", "place")

    class Meta:
        model = Event
        fields = ["q"]


class OfficeFilterSet(SearchFilterSet):
    search_fields = ("name", "city")

    class Meta:
        model = Office
        fields = ["q"]


class AgencyFilterSet(SearchFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Agency
        fields = ["q"]


class IndustryChainFilterSet(SearchFilterSet):
    search_fields = ("name",)

    class Meta:
        model = IndustryChain
        fields = ["q"]


class ChainLinkFilterSet(SearchFilterSet):
    search_fields = ("name", "chain__name")

    class Meta:
        model = ChainLink
        fields = ["q", "chain"]


class FortuneListEntryFilterSet(SearchFilterSet):
    search_fields = ("company",)

    class Meta:
        model = FortuneListEntry
        fields = ["q", "year", "list_class"]
