from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ReportKind
from .selectors import units_for_reports


class BuildForm(forms.Form):
    """What to build: the kind, a unit among those the user may see, the period."""

    kind = forms.ChoiceField(
        label=_("报告类型"),
        choices=ReportKind.choices,
        help_text=_("半年经济分析、月度分析（全部指标一览表）或要情简报（一页）"),
    )
    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=None,
        to_field_name="code",
        help_text=_("报告所写的单位，仅列出您有权查看的单位"),
    )
    period = forms.CharField(
        label=_("期间"),
        max_length=10,
        help_text=_("如 2022H1（上半年）、2022-06（1—6月）、2022Q3（前三季度）"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_reports(user)
