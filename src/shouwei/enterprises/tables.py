import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shouwei.core.tables import WRAP

from .models import Enterprise, EnterpriseContact, LiaisonAssignment, Request, Visit


class EnterpriseTable(tables.Table):
    name = tables.Column(linkify=True, attrs=WRAP)
    street = tables.Column(accessor="street__display_name", order_by=("street__path",))
    liaison_unit = tables.Column(
        accessor="liaison_unit__display_name", order_by=("liaison_unit__path",)
    )

    class Meta:
        model = Enterprise
        fields = ("uscc", "name", "industry", "scale", "is_key", "street", "liaison_unit")


class EnterpriseContactTable(tables.Table):
    username = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=True, attrs=WRAP)

    class Meta:
        model = EnterpriseContact
        fields = ("username", "enterprise")


class LiaisonAssignmentTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name=_("编号"))
    enterprise = tables.Column(linkify=True, attrs=WRAP)
    project = tables.Column(linkify=True, attrs=WRAP)

    class Meta:
        model = LiaisonAssignment
        fields = ("id", "cadre", "unit", "enterprise", "project", "starts_on", "ends_on")


class VisitTable(tables.Table):
    visited_on = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=True, attrs=WRAP)
    findings = tables.Column(attrs=WRAP)

    class Meta:
        model = Visit
        fields = ("visited_on", "enterprise", "cadre", "kind", "findings")


class RequestTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name=_("编号"))
    enterprise = tables.Column(attrs=WRAP)
    description = tables.Column(attrs=WRAP)

    class Meta:
        model = Request
        fields = (
            "id",
            "filed_on",
            "enterprise",
            "category",
            "description",
            "channel",
            "assigned_department",
            "status",
            "due_on",
            "answered_on",
            "satisfaction",
        )
