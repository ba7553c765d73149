from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwei.core.generic import ScopedModelForm
from shouwei.core.models import Unit

from .choices import RequestCategory, RequestChannel
from .models import Enterprise, EnterpriseContact, LiaisonAssignment, Request, Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DOCUMENTS = ".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif,.webp"


class EnterpriseForm(ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "legal_representative",
            "industry",
            "scale",
            "is_key",
            "street",
            "liaison_unit",
            "address",
            "contact_name",
            "contact_phone",
        ]


class EnterpriseContactForm(ScopedModelForm):
    class Meta:
        model = EnterpriseContact
        fields = ["enterprise", "username"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.editable_by(user)


class LiaisonAssignmentForm(ScopedModelForm):
    class Meta:
        model = LiaisonAssignment
        fields = ["cadre", "unit", "enterprise", "project", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class VisitForm(ScopedModelForm):
    class Meta:
        model = Visit
        fields = ["enterprise", "cadre", "visited_on", "kind", "findings", "follow_ups"]
        widgets = {"visited_on": DATE}


def _department_choices():
    return Unit.objects.filter(kind="department").order_by("path")


class RequestForm(ScopedModelForm):
    """A cadre or clerk files for an enterprise (代提, 电话)."""

    class Meta:
        model = Request
        fields = ["enterprise", "category", "description", "channel", "assigned_department"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["channel"].choices = [
            c for c in RequestChannel.choices if c[0] != RequestChannel.PORTAL
        ]
        self.fields["assigned_department"].queryset = _department_choices()


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("附件"),
        help_text=_("PDF、Word、Excel 或图片，20 MB 以内；内容须与扩展名一致"),
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENTS}),
    )


class ContactRequestForm(forms.Form):
    """What an enterprise's contact files from a phone: the category and the matter."""

    category = forms.ChoiceField(
        label=_("类别"), choices=RequestCategory.choices, help_text=_("诉求涉及的事项类别")
    )
    description = forms.CharField(
        label=_("诉求内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("请写明遇到的问题和希望得到的帮助"),
    )
    file = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=_("可选：PDF、Word、Excel 或图片，20 MB 以内"),
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENTS}),
    )


class AcceptForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("承办部门"),
        queryset=Unit.objects.none(),
        help_text=_("交由哪个部门办理；办结时限从今天起按类别计算"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _department_choices()


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复意见"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("答复企业的办理结果"),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退单理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("为什么不属本部门办理；退回受理部门重新交办"),
    )


class RevisitForm(forms.Form):
    note = forms.CharField(
        label=_("回访情况"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("回访企业了解到的办理效果"),
    )


class RateForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"),
        coerce=int,
        choices=[
            (5, _("5 非常满意")),
            (4, _("4 满意")),
            (3, _("3 基本满意")),
            (2, _("2 不满意（重新办理）")),
            (1, _("1 非常不满意（重新办理）")),
        ],
        widget=forms.RadioSelect,
        help_text=_("2 分及以下视为不满意，诉求将退回承办部门重新办理"),
    )
