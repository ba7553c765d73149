"""The investment-attraction panel of the 驾驶舱 (registered with core.panels; the cockpit
imports nothing of this app). Every figure links to the leads behind it."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwei.core import clock
from shouwei.core.panels import register_cockpit_panel
from shouwei.core.related import register_enterprise_related

from .selectors import attraction_summary


def investment_panel(*, user, unit, period) -> dict | None:
    """Signed this year (up to today), at events, 三类500强, intended, funds in place and
    履约率, of the leads of ``unit`` that ``user`` reads; None when there is nothing."""
    year = period.year
    until = min(clock.today(), date(year, 12, 31))
    summary = attraction_summary(user, year=year, until=until, unit=unit)
    if not summary.signed_count and not summary.intended_count:
        return None
    leads = reverse("investment:lead_list")

    def link(**query) -> str:
        return f"{leads}?{urlencode(query)}"

    return {
        "summary": summary,
        "until": until,
        "links": {
            "signed": link(signed_year=year),
            "events": link(signed_year=year, event=1),
            "fortune": link(signed_year=year, fortune=1),
            "intended": link(stage="intent", lost="false"),
            "fulfilment": reverse("investment:fulfilment"),
        },
    }


register_cockpit_panel(
    "investment",
    title=_("招商引资"),
    weight=20,
    template="investment/cockpit_panel.html",
    context=investment_panel,
)


def enterprise_leads(*, user, uscc: str, name: str) -> list:
    """The investment leads whose 投资方 is the enterprise, as far as ``user`` may read them.

    Matched on the 投资方 equal to the enterprise's registered name: a lead is recorded before
    the investor has a company in the zone, so it carries no 统一社会信用代码, and a looser
    match (contains, similar) would put another investor's lead on this page.
    """
    from shouwei.core.formatting import format_number
    from shouwei.core.related import RelatedRow

    from .selectors import leads

    if not name:
        return []
    qs = leads(user).filter(investor=name).select_related("owner_unit").order_by("-lead_on")
    return [
        RelatedRow(
            label=lead.display_name,
            url=lead.get_absolute_url(),
            facts=(
                str(lead.get_stage_display()) + (f" · {_('已流失')}" if lead.lost else ""),
                f"{format_number(lead.planned_investment)} {_('万元')}",
                lead.owner_unit.name,
                lead.lead_on.strftime("%Y-%m-%d"),
            ),
        )
        for lead in qs
    ]


register_enterprise_related(
    "investment",
    title=_("招商线索"),
    weight=20,
    rows=enterprise_leads,
    empty=_("没有以该企业为投资方的招商线索"),
)
