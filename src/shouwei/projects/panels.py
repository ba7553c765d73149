"""The key-projects panel of the 驾驶舱 (registered with core.panels; the cockpit imports
nothing of this app)."""

from django.utils.translation import gettext_lazy as _

from shouwei.core import clock
from shouwei.core.panels import register_cockpit_panel
from shouwei.core.related import register_enterprise_related

from .selectors import cockpit_facts, project_summary


def project_panel(*, user, unit, period) -> dict | None:
    """Per level and overall (省、市重点), and the 区重点 apart: the unit's key projects at the
    period's last month, as far as ``user`` may read them; None when there are none to show."""
    summary = project_summary(unit=unit, year=period.year, month=period.end_month, user=user)
    if not summary.overall.count and summary.district is None:
        return None
    facts = cockpit_facts(user=user, unit=unit, today=clock.today())
    return {"summary": summary, "facts": facts}


register_cockpit_panel(
    "projects",
    title=_("重点项目"),
    weight=10,
    template="projects/cockpit_panel.html",
    context=project_panel,
)


def enterprise_projects(*, user, uscc: str, name: str) -> list:
    """The key projects whose 业主单位 is the enterprise, as far as ``user`` may read them.

    Matched on the 业主单位 equal to the enterprise's registered name: a project carries no
    统一社会信用代码 (the provinces' lists give the owner by name only), and a looser match
    (contains, similar) would list another company's project on this page.
    """
    from shouwei.core.formatting import format_number
    from shouwei.core.related import RelatedRow

    from .models import Project

    if not name:
        return []
    qs = (
        Project.objects.visible_to(user)
        .filter(owner_enterprise=name)
        .select_related("responsible_unit")
        .order_by("code")
    )
    return [
        RelatedRow(
            label=f"{p.code} {p.name}",
            url=p.get_absolute_url(),
            facts=(
                str(p.get_level_display()),
                str(p.get_stage_display()),
                f"{format_number(p.total_investment)} {_('亿元')}",
                p.responsible_unit.name,
            ),
        )
        for p in qs
    ]


register_enterprise_related(
    "projects",
    title=_("重点项目"),
    weight=10,
    rows=enterprise_projects,
    empty=_("没有以该企业为业主单位的重点项目"),
)
