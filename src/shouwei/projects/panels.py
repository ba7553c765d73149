"""The key-projects panel of the 驾驶舱 (registered with core.panels; the cockpit imports
nothing of this app)."""

from django.utils.translation import gettext_lazy as _

from shouwei.core import clock
from shouwei.core.panels import register_cockpit_panel

from .selectors import cockpit_facts, project_summary


def project_panel(*, user, unit, period) -> dict | None:
    """Per level and overall: the unit's key projects at the period's last month, as far as
    ``user`` may read them; None when there are none to show."""
    summary = project_summary(unit=unit, year=period.year, month=period.end_month, user=user)
    if not summary.overall.count:
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
