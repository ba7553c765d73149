from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwei.core.forms import ImageUploadField
from shouwei.core.generic import ScopedModelForm
from shouwei.core.periods import Period

from . import services
from .choices import Stage
from .models import (
    AnnualPlan,
    FundingSource,
    Problem,
    Procedure,
    ProgressPhoto,
    ProgressReport,
    Project,
    RollingPlan,
    SchedulingCall,
    Stoppage,
    validate_month,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(ScopedModelForm):
    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "level",
            "industry",
            "industry_chain",
            "total_investment",
            "owner_enterprise",
            "responsible_unit",
            "responsible_leader",
            "liaison",
            "location",
            "start_date",
            "planned_completion_date",
            "stage",
            "land_area_mu",
            "land_status",
        ]
        widgets = {"start_date": DATE, "planned_completion_date": DATE}


class ProjectChildForm(ScopedModelForm):
    """Plans, reports and problems hang on a project the user may change."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None and "project" in self.fields:
            self.fields["project"].queryset = Project.objects.editable_by(user)


class AnnualPlanForm(ProjectChildForm):
    class Meta:
        model = AnnualPlan
        fields = ["project", "year", "planned_investment", "planned_milestones"]


FIGURES = ("invested_this_month", "invested_ytd", "stage", "entered_statistics_on")


class ProgressFields(forms.Form):
    """One month of one project, checked against the month before (``services.check_progress``)."""

    invested_this_month = forms.DecimalField(
        label=_("当月完成投资（亿元）"), max_digits=12, decimal_places=2, help_text=_("亿元")
    )
    invested_ytd = forms.DecimalField(
        label=_("年初至今完成投资（亿元）"),
        max_digits=12,
        decimal_places=2,
        help_text=_("1 月至本月累计，亿元"),
    )
    stage = forms.ChoiceField(label=_("阶段"), choices=Stage.choices, help_text=_("本月末阶段"))
    entered_statistics_on = forms.DateField(
        label=_("入库日期"), required=False, widget=DATE, help_text=_("纳入统计局投资库的日期")
    )
    narrative = forms.CharField(
        label=_("进展情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("本月形象进度"),
    )
    stage_change_reason = forms.CharField(
        label=_("阶段回退原因"), required=False, help_text=_("阶段比上月后退时必填")
    )
    is_correction = forms.BooleanField(
        label=_("更正"), required=False, help_text=_("累计低于上月时勾选")
    )
    correction_reason = forms.CharField(
        label=_("更正原因"), required=False, help_text=_("累计低于上月的原因")
    )

    def figures(self) -> list:
        """The month's figures, one column each on the entry screen; the explanations share
        the last column."""
        return [self[name] for name in FIGURES]

    def as_sent(self) -> ProgressFields:
        """The same row unbound, showing what was sent: a row that is not saved is not
        validated, so it shows no errors."""
        return ProgressFields(
            prefix=self.prefix, initial={name: self[name].value() for name in self.fields}
        )

    def check_rules(self, *, project: Project, period: str) -> None:
        if not self.is_valid():
            return
        d = self.cleaned_data
        errors = services.check_progress(
            project=project,
            period=period,
            invested_this_month=d["invested_this_month"],
            invested_ytd=d["invested_ytd"],
            stage=d["stage"],
            stage_change_reason=d["stage_change_reason"],
            is_correction=d["is_correction"],
            correction_reason=d["correction_reason"],
            previous=services.previous_report(project, period),
        )
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


class ProgressReportForm(ProjectChildForm):
    class Meta:
        model = ProgressReport
        fields = [
            "project",
            "period",
            "invested_this_month",
            "invested_ytd",
            "stage",
            "entered_statistics_on",
            "narrative",
            "stage_change_reason",
            "is_correction",
            "correction_reason",
        ]
        widgets = {"entered_statistics_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A report is for one project and month; another month is another report.
            self.fields["project"].disabled = True
            self.fields["period"].disabled = True

    def clean_period(self):
        value = self.cleaned_data["period"]
        validate_month(value)
        return Period.parse(value).code

    def clean(self):
        d = super().clean()
        project, period = d.get("project"), d.get("period")
        if project is None or period is None:
            return d
        errors = services.check_progress(
            project=project,
            period=period,
            invested_this_month=d.get("invested_this_month"),
            invested_ytd=d.get("invested_ytd"),
            stage=d.get("stage", ""),
            stage_change_reason=d.get("stage_change_reason", ""),
            is_correction=d.get("is_correction", False),
            correction_reason=d.get("correction_reason", ""),
            previous=services.previous_report(project, period),
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return d


class ProblemForm(ProjectChildForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The owning department works the problem but may not move it to another project.
            self.fields["project"].queryset = Project.objects.filter(pk=self.instance.project_id)
            self.fields["project"].disabled = True

    class Meta:
        model = Problem
        fields = ["project", "description", "owner_unit", "deadline", "status", "resolution"]
        widgets = {"deadline": DATE}


class EntryPeriodForm(forms.Form):
    period = forms.CharField(
        label=_("月份"), max_length=7, validators=[validate_month], help_text=_("如 2022-06")
    )


class PhotoForm(forms.ModelForm):
    """A site photo for one of the project's monthly reports (``services.photo_add`` stores
    it; the image is checked there, on its bytes)."""

    image = ImageUploadField(
        label=_("照片"),
        help_text=_("PNG、JPEG、GIF 或 WebP；上传后去除拍摄位置等 EXIF 信息，长边缩至 1600 像素"),
    )
    field_order = ["report", "image", "caption", "taken_on"]

    class Meta:
        model = ProgressPhoto
        fields = ["report", "caption", "taken_on"]
        widgets = {"taken_on": DATE}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.fields["report"]
        report.queryset = ProgressReport.objects.filter(project=project).order_by("-period")
        report.empty_label = None
        report.label = _("月份")
        report.label_from_instance = lambda r: r.period


class SchedulingCallForm(ScopedModelForm):
    """Issue (or reword) a call. The period and the project filter are fixed once issued."""

    class Meta:
        model = SchedulingCall
        fields = [
            "title",
            "issuing_unit",
            "period_kind",
            "period",
            "level",
            "stage",
            "department",
            "ask_stage",
            "ask_entered",
            "ask_problems",
            "question",
            "deadline",
            "remind_days_before",
            "escalate_days_after",
        ]
        widgets = {"deadline": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["department"].queryset = self.fields["department"].queryset.order_by("path")
        if self.instance.pk:
            for name in ("issuing_unit", "period_kind", "period", "level", "stage", "department"):
                self.fields[name].disabled = True

    def clean_period(self):
        return self.cleaned_data["period"].strip().upper()


class CallAnswerFields(forms.Form):
    """What a call asks beyond the month's figures: its question and the problems."""

    answer = forms.CharField(
        label=_("问题回复"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("对调度问题的回答"),
    )
    problems = forms.CharField(
        label=_("存在问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("需要协调解决的问题；没有可不填"),
    )


class ProcedureForm(ProjectChildForm):
    class Meta:
        model = Procedure
        fields = [
            "project",
            "kind",
            "name",
            "planned_on",
            "done_on",
            "approving_office",
            "document_no",
            "order_note",
        ]
        widgets = {
            "planned_on": DATE,
            "done_on": DATE,
            "order_note": forms.Textarea(attrs={"rows": 2}),
        }


class FundingSourceForm(ProjectChildForm):
    class Meta:
        model = FundingSource
        fields = [
            "project",
            "year",
            "kind",
            "amount",
            "applied_amount",
            "applied_on",
            "approved_amount",
            "approved_on",
            "issued_amount",
            "issued_on",
            "disbursed_amount",
            "disbursed_on",
            "spent_amount",
            "spent_on",
            "note",
        ]
        widgets = {
            f"{stage}_on": DATE for stage in ("applied", "approved", "issued", "disbursed", "spent")
        }


class RollingPlanForm(ProjectChildForm):
    class Meta:
        model = RollingPlan
        fields = ["project", "base_year", "year1", "year2", "year3", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class StoppageForm(ProjectChildForm):
    class Meta:
        model = Stoppage
        fields = ["project", "stopped_on", "reason", "resumed_on", "resume_note"]
        widgets = {
            "stopped_on": DATE,
            "resumed_on": DATE,
            "reason": forms.Textarea(attrs={"rows": 2}),
            "resume_note": forms.Textarea(attrs={"rows": 2}),
        }
