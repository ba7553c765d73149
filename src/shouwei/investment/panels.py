"""The investment-attraction panel of the 驾驶舱 (registered with core.panels; the cockpit
imports nothing of this app). Every figure links to the leads behind it."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwei.core import clock
from shouwei.core.panels import register_cockpit_panel

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
