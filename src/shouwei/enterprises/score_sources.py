"""The enterprise service's figures for the performance evaluation (绩效考评): a department's
按时办结率 and 满意率 of the year's requests. The supervision app finds this module by name
(``supervision/sources.py``); neither app imports the other."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwei.core.generic import platform_url_for
from shouwei.core.models import Unit

from .models import Request
from .selectors import request_rates


def _facts(unit: Unit, year: int, part: int, whole: int, label: str) -> list[dict]:
    query = urlencode({"assigned_department": unit.pk, "year": year})
    # Stored with the score and shown on the platform (supervision.scoring._fact says why).
    url = f"{platform_url_for(Request, 'list')}?{query}"
    return [{"label": f"{label} {part}/{whole}", "url": url}]


def on_time(*, unit: Unit, year: int, as_of: date) -> dict | None:
    rates = request_rates(unit, year, today=as_of)
    if rates.on_time_rate is None:
        return None
    return {
        "fraction": Decimal(rates.on_time_rate),
        "facts": _facts(unit, year, rates.on_time, rates.due, _("按时办结诉求")),
    }


def satisfaction(*, unit: Unit, year: int, as_of: date) -> dict | None:
    rates = request_rates(unit, year, today=as_of)
    if rates.satisfaction_rate is None:
        return None
    return {
        "fraction": Decimal(rates.satisfaction_rate),
        "facts": _facts(unit, year, rates.satisfied, rates.rated, _("评价满意的诉求")),
    }


SCORE_SOURCES = {
    "enterprises.request_on_time": (gettext_lazy("企业诉求按时办结率"), on_time),
    "enterprises.request_satisfaction": (gettext_lazy("企业诉求满意率"), satisfaction),
}
