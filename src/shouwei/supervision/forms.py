from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwei.core.generic import ScopedModelForm

from .models import (
    Arrears,
    ExtensionRequest,
    Goal,
    Milestone,
    PerformanceScheme,
    ProgressReport,
    SafetyIncident,
    SchemeItem,
    ScoreAdjustment,
    SupervisionNotice,
    TaskBook,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GoalForm(ScopedModelForm):
    class Meta:
        model = Goal
        fields = ["unit", "year", "code", "title", "source", "responsible_leader", "target"]


class TaskBookForm(ScopedModelForm):
    class Meta:
        model = TaskBook
        fields = ["goal", "lead_unit", "co_units", "leader", "measures", "deliverable"]


class MilestoneForm(ScopedModelForm):
    class Meta:
        model = Milestone
        fields = ["goal", "title", "deliverable", "due", "weight", "lead_unit", "completed_on"]
        widgets = {"due": DATE, "completed_on": DATE}


class ProgressReportForm(ScopedModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["milestone"].queryset = Milestone.objects.visible_to(user)

    class Meta:
        model = ProgressReport
        fields = [
            "milestone",
            "unit",
            "reported_on",
            "percent",
            "text",
            "backdate_reason",
        ]
        widgets = {"reported_on": DATE}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("附件"),
        help_text=_("PDF、Word、Excel 或图片，20 MB 以内；内容须与扩展名一致"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif,.webp"}
        ),
    )


class NoticeForm(ScopedModelForm):
    class Meta:
        model = SupervisionNotice
        fields = ["unit", "milestone", "task", "reason", "deadline", "issuer"]
        widgets = {"deadline": DATE}


class ExtensionRequestForm(ScopedModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["milestone"].queryset = Milestone.objects.restrict(user, "view").filter(
                lead_unit__in=_writable(user)
            )

    class Meta:
        model = ExtensionRequest
        fields = ["milestone", "new_due", "reason"]
        widgets = {"new_due": DATE}


def _writable(user):
    from shouwei.core.permissions import ADD, writable_units

    return writable_units(user, ExtensionRequest, ADD, "milestone__lead_unit")


class SafetyIncidentForm(ScopedModelForm):
    class Meta:
        model = SafetyIncident
        fields = ["unit", "occurred_on", "level", "place", "description", "deaths", "injuries"]
        widgets = {"occurred_on": DATE}


class ArrearsForm(ScopedModelForm):
    class Meta:
        model = Arrears
        fields = ["debtor", "amount_due", "collected", "deadline", "owner_unit", "owner"]
        widgets = {"deadline": DATE}


class PerformanceSchemeForm(ScopedModelForm):
    class Meta:
        model = PerformanceScheme
        fields = ["unit", "year", "name", "participants", "reward_count", "penalise_count"]


class SchemeItemForm(ScopedModelForm):
    class Meta:
        model = SchemeItem
        fields = [
            "scheme",
            "kind",
            "name",
            "rule",
            "weight",
            "unit_points",
            "indicator",
            "source",
            "order",
        ]


class ScoreAdjustmentForm(ScopedModelForm):
    class Meta:
        model = ScoreAdjustment
        fields = ["item", "unit", "points", "reason"]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea, help_text=_("办理情况和结果"))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("意见"),
        widget=forms.Textarea,
        required=False,
        help_text=_("办结或审批意见；不予批准时必填"),
    )


class RunForm(forms.Form):
    as_of = forms.DateField(
        label=_("计分日期"), required=False, widget=DATE, help_text=_("按该日的事实计分，默认今天")
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=200, help_text=_("本次计算或重算的原因")
    )
