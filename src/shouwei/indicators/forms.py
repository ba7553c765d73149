from django import forms
from django.utils.translation import gettext_lazy as _

from shouwei.core.generic import ScopedModelForm

from .models import Indicator, Observation, Target


class IndicatorForm(ScopedModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "short_name",
            "measure",
            "kind",
            "direction",
            "decimals",
            "category",
            "owner_unit",
            "cumulative",
            "description",
            "sort_order",
        ]


class ObservationForm(ScopedModelForm):
    class Meta:
        model = Observation
        fields = [
            "unit",
            "indicator",
            "period",
            "value",
            "growth",
            "published_rank",
            "rank_group",
            "rank_basis",
            "reporting_unit",
            "source",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class TargetForm(ScopedModelForm):
    class Meta:
        model = Target
        fields = [
            "unit",
            "year",
            "name",
            "label",
            "indicator",
            "kind",
            "target_value",
            "floor_value",
            "floor_rank",
            "stretch_rank",
            "rank_group",
            "responsible_unit",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=500, help_text=_("退回或更正的原因，会记入修改历史")
    )


class CorrectionForm(ReasonForm):
    value = forms.DecimalField(
        label=_("数值"),
        required=False,
        max_digits=20,
        decimal_places=4,
        help_text=_("更正后的数值"),
    )
    growth = forms.DecimalField(
        label=_("同比增长(%)"),
        required=False,
        max_digits=10,
        decimal_places=3,
        help_text=_("更正后的同比增速"),
    )
    published_rank = forms.IntegerField(
        label=_("公布排名"), required=False, min_value=1, help_text=_("更正后的公布名次")
    )
