"""The enterprise-service panel of the 驾驶舱 (registered with core.panels; the cockpit imports
nothing of this app)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwei.core.panels import register_cockpit_panel

from . import selectors


def enterprise_panel(*, user, unit, period) -> dict | None:
    """Cadres, enterprises and projects covered, coverage, open and overdue requests, and the
    year's on-time and satisfaction rates, as far as ``user`` may read them; None when the
    user reads no enterprise."""
    cover = selectors.coverage(user)
    if not cover.enterprises:
        return None
    requests = reverse("enterprises:request_list")
    return {
        "coverage": cover,
        "requests": selectors.open_and_overdue(user),
        "rates": selectors.request_rates(unit, period.year, user=user),
        "year": period.year,
        "urls": {
            "assignments": reverse("enterprises:liaisonassignment_list") + "?current=on",
            "enterprises": reverse("enterprises:enterprise_list"),
            "coverage": reverse("enterprises:coverage"),
            "open": reverse("enterprises:desk"),
            "overdue": f"{requests}?overdue=on",
            "figures": reverse("enterprises:figures") + f"?year={period.year}",
        },
    }


register_cockpit_panel(
    "enterprises",
    title=_("企业服务"),
    weight=30,
    template="enterprises/cockpit_panel.html",
    context=enterprise_panel,
)
