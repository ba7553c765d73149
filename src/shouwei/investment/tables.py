import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shouwei.core import formatting
from shouwei.core.exports import RATE, Number
from shouwei.core.tables import WRAP, MeasureColumn

from .models import (
    AdmissionReview,
    AdmissionThreshold,
    Agency,
    ChainLink,
    Contract,
    Event,
    FortuneListEntry,
    IndustryChain,
    Lead,
    Office,
)

WAN = {"decimals": 2}


class LeadTable(tables.Table):
    project_name = tables.Column(linkify=True, attrs=WRAP)
    investor = tables.Column(attrs=WRAP)
    planned_investment = MeasureColumn(**WAN)
    signed_amount = MeasureColumn(
        accessor="contract_record__signed_amount", verbose_name=_("签约金额（万元）"), **WAN
    )
    signed_on = tables.Column(accessor="contract_record__signed_on", verbose_name=_("签约日期"))
    fortune_entry = tables.Column(verbose_name=_("500强"), attrs=WRAP)

    class Meta:
        model = Lead
        fields = (
            "project_name",
            "investor",
            "channel",
            "stage",
            "lost",
            "industry",
            "planned_investment",
            "signed_amount",
            "signed_on",
            "fortune_entry",
            "lead_on",
        )
        empty_text = _("没有符合条件的线索")


class RateColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-end"}, "th": {"class": "text-end"}})
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, record):
        return formatting.format_percent(record.fulfilment_rate)

    def value(self, record):
        return Number.of(record.fulfilment_rate, RATE)


class ContractTable(tables.Table):
    lead = tables.Column(linkify=True, attrs=WRAP)
    signed_amount = MeasureColumn(**WAN)
    funds_in_place = MeasureColumn(**WAN)
    rate = RateColumn(verbose_name=_("履约率"), orderable=False)

    class Meta:
        model = Contract
        fields = (
            "lead",
            "signed_on",
            "signed_amount",
            "funds_in_place",
            "rate",
            "registration_actual",
            "start_actual",
            "production_actual",
        )
        empty_text = _("没有投资合同")


class EventTable(tables.Table):
    name = tables.Column(linkify=True, attrs=WRAP)

    class Meta:
        model = Event
        fields = ("name", "held_on", "place")
        empty_text = _("没有招商活动")


class OfficeTable(tables.Table):
    name = tables.Column(linkify=True, attrs=WRAP)

    class Meta:
        model = Office
        fields = ("name", "city", "established_on")
        empty_text = _("没有驻地招商办事处")


class AgencyTable(tables.Table):
    name = tables.Column(linkify=True, attrs=WRAP)
    fee_per_project = MeasureColumn(**WAN)

    class Meta:
        model = Agency
        fields = ("name", "contract_signed_on", "contract_ends_on", "fee_per_project")
        empty_text = _("没有第三方招商机构")


class IndustryChainTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = IndustryChain
        fields = ("name", "description")
        empty_text = _("没有产业链")


class ChainLinkTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = ChainLink
        fields = ("chain", "position", "name")
        empty_text = _("没有产业链环节")


class FortuneListEntryTable(tables.Table):
    company = tables.Column(linkify=True, attrs=WRAP)

    class Meta:
        model = FortuneListEntry
        fields = ("year", "list_class", "rank", "company")
        empty_text = _("没有榜单企业")


class AdmissionThresholdTable(tables.Table):
    year = tables.Column(linkify=True)

    class Meta:
        model = AdmissionThreshold
        fields = ("year", "owner_unit", "min_intensity", "min_tax_per_mu", "max_energy")
        empty_text = _("没有准入标准")


class AdmissionReviewTable(tables.Table):
    lead = tables.Column(linkify=True, attrs=WRAP)
    reviewed_on = tables.Column(linkify=True)

    class Meta:
        model = AdmissionReview
        fields = (
            "lead",
            "reviewed_on",
            "intensity",
            "tax_per_mu",
            "energy_use",
            "industry_fit",
            "meets_thresholds",
            "decision",
        )
        empty_text = _("没有准入评审")
