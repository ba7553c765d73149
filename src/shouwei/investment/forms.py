from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwei.core.generic import ScopedModelForm

from .choices import Decision, LeadStage
from .models import (
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

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The key project's levels, as the projects app names them (its model field's choices).
ProjectLevelChoices = (
    ("district", _("区重点")),
    ("municipal", _("市重点")),
    ("provincial", _("省重点")),
)


class LeadForm(ScopedModelForm):
    not_duplicate = forms.BooleanField(
        label=_("确认不是重复线索"),
        required=False,
        help_text=_("投资方相同或项目名称相近时，确认这是另一个项目后勾选"),
    )

    class Meta:
        model = Lead
        fields = [
            "project_name",
            "short_name",
            "investor",
            "investor_hq",
            "channel",
            "industry",
            "chain_link",
            "planned_investment",
            "land_mu",
            "expected_output",
            "expected_tax",
            "fortune_entry",
            "source_event",
            "source_office",
            "source_agency",
            "owner_cadre",
            "owner_unit",
            "lead_on",
        ]
        widgets = {"lead_on": DATE}


class MoveForm(forms.Form):
    """Moving a card on the board: the date always, a reason when going back, the signed
    amount (and, without a passed review, the override's reason) when signing."""

    to_stage = forms.ChoiceField(
        label=_("移到阶段"), choices=LeadStage.choices, help_text=_("线索要移到的阶段")
    )
    on = forms.DateField(
        label=_("日期"), widget=DATE, help_text=_("到达该阶段的日期，不能晚于今天")
    )
    reason = forms.CharField(
        label=_("原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("阶段后退时必填"),
    )
    signed_amount = forms.DecimalField(
        label=_("签约金额（万元）"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("移到“签约”时必填"),
    )
    override_reason = forms.CharField(
        label=_("破格签约理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("没有通过准入评审仍签约时必填"),
    )


class LoseForm(forms.Form):
    on = forms.DateField(label=_("流失日期"), widget=DATE, help_text=_("确认流失的日期"))
    reason = forms.CharField(
        label=_("流失原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如 企业投资计划调整，落户他地"),
    )


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("评审日期"), widget=DATE, help_text=_("评审会的日期"))
    energy_use = forms.DecimalField(
        label=_("年综合能耗（吨标准煤）"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("达产后的年综合能耗"),
    )
    industry_fit = forms.BooleanField(
        label=_("符合产业定位"), required=False, help_text=_("项目是否符合园区产业定位")
    )
    decision = forms.ChoiceField(
        label=_("评审结论"), choices=Decision.choices, help_text=_("评审会的结论")
    )
    members = forms.CharField(
        label=_("评审成员"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("参加评审的人员，每行一人"),
    )
    override_reason = forms.CharField(
        label=_("破格通过理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("未达准入标准仍通过时必填"),
    )


class ContractForm(ScopedModelForm):
    class Meta:
        model = Contract
        fields = [
            "signed_amount",
            "signed_on",
            "terms",
            "registration_planned",
            "funds_due_on",
            "funds_in_place",
            "funds_note",
            "start_planned",
            "production_planned",
        ]
        widgets = {
            f: DATE
            for f in (
                "signed_on",
                "registration_planned",
                "funds_due_on",
                "start_planned",
                "production_planned",
            )
        }


class EventForm(ScopedModelForm):
    class Meta:
        model = Event
        fields = ["name", "held_on", "place", "description", "owner_unit"]
        widgets = {"held_on": DATE}


class OfficeForm(ScopedModelForm):
    class Meta:
        model = Office
        fields = ["name", "city", "established_on", "address", "owner_unit"]
        widgets = {"established_on": DATE}


class AgencyForm(ScopedModelForm):
    class Meta:
        model = Agency
        fields = ["name", "contract_signed_on", "contract_ends_on", "fee_per_project", "owner_unit"]
        widgets = {"contract_signed_on": DATE, "contract_ends_on": DATE}


class IndustryChainForm(ScopedModelForm):
    class Meta:
        model = IndustryChain
        fields = ["name", "description", "owner_unit"]


class ChainLinkForm(ScopedModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["chain"].queryset = IndustryChain.objects.editable_by(user)

    class Meta:
        model = ChainLink
        fields = ["chain", "name", "position", "target_investors"]


class FortuneListEntryForm(ScopedModelForm):
    class Meta:
        model = FortuneListEntry
        fields = ["year", "list_class", "company", "rank", "owner_unit"]


class AdmissionThresholdForm(ScopedModelForm):
    class Meta:
        model = AdmissionThreshold
        fields = ["year", "min_intensity", "min_tax_per_mu", "max_energy", "owner_unit"]


class ConvertForm(forms.Form):
    """All a signed lead needs to become a key project: its code and level."""

    code = forms.CharField(
        label=_("项目代码"),
        max_length=63,
        help_text=_("重点项目的唯一代码，如 gxq-2022-051；其余内容取自线索和合同"),
    )
    level = forms.ChoiceField(
        label=_("级别"), choices=ProjectLevelChoices, help_text=_("省重点、市重点或区重点")
    )
