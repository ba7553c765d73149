"""The performance evaluation reads a department's request rates from this app by name."""

from datetime import date
from decimal import Decimal

from shouwei.core import clock
from shouwei.enterprises import services
from shouwei.supervision import sources

DAY = date(2022, 7, 1)


def _one_answered_at_jjhz(zone) -> None:
    clock.set_demo_date(DAY)
    filed = services.request_file(
        by=zone.contact, enterprise=zone.enterprise, category="approval", description="审批事项"
    )
    req = services.request_accept(by=zone.dispatcher, request=filed, department=zone.jjhz)
    services.request_answer(by=zone.clerk, request=req, answer="已办")


def test_the_evaluation_finds_a_departments_on_time_and_satisfaction_rates(zone):
    _one_answered_at_jjhz(zone)
    on_time = sources.score_source("enterprises.request_on_time")
    satisfaction = sources.score_source("enterprises.request_satisfaction")

    result = on_time.fn(unit=zone.jjhz, year=2022, as_of=DAY)

    assert result["fraction"] == Decimal(1)
    assert f"assigned_department={zone.jjhz.pk}" in result["facts"][0]["url"]
    # Nothing rated yet, and nothing at all at another department: no data, not a zero.
    assert satisfaction.fn(unit=zone.jjhz, year=2022, as_of=DAY) is None
    assert on_time.fn(unit=zone.cyfz, year=2022, as_of=DAY) is None


def test_a_portal_only_process_links_the_rates_to_the_platforms_request_list(zone):
    """The facts are stored with the score and shown on the platform: its address, even in
    a process that serves only the portal (loaddemo under SHOUWEI_SITE=portal)."""
    from django.test import override_settings
    from django.urls import reverse

    _one_answered_at_jjhz(zone)

    with override_settings(ROOT_URLCONF="shouwei.urls_portal"):
        result = sources.score_source("enterprises.request_on_time").fn(
            unit=zone.jjhz, year=2022, as_of=DAY
        )

    platform_list = reverse("enterprises:request_list", urlconf="shouwei.urls")
    assert result["facts"][0]["url"].startswith(f"{platform_list}?")
