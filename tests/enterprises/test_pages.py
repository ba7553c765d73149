"""The staff pages: the flow's steps through the page, the desk's countdown, coverage, figures,
the cockpit panel, and the selector other apps call."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from shouwei.core import clock
from shouwei.enterprises import selectors, services
from shouwei.enterprises.choices import RequestStatus
from tests.factories import EnterpriseFactory

DAY = date(2022, 7, 1)


def _client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def filed(zone):
    clock.set_demo_date(DAY)
    return services.request_file(
        by=zone.contact, enterprise=zone.enterprise, category="approval", description="审批事项"
    )


def _step(user, req, step, data=None):
    return _client(user).post(reverse("enterprises:request_step", args=[req.pk, step]), data or {})


def test_the_dispatcher_accepts_and_the_department_answers_through_the_pages(zone, filed):
    page = _client(zone.dispatcher).get(filed.get_absolute_url())
    assert "受理并交办" in page.content.decode()
    assert _step(zone.dispatcher, filed, "accept", {"department": zone.jjhz.pk}).status_code == 302
    assert _step(zone.clerk, filed, "answer", {"answer": "已办结"}).status_code == 302
    filed.refresh_from_db()
    assert (filed.status, filed.answer) == (RequestStatus.ANSWERED, "已办结")


def test_a_step_the_user_may_not_take_is_403(zone, filed):
    assert _step(zone.leader, filed, "accept", {"department": zone.jjhz.pk}).status_code == 403
    # Another department does not even read it before it is assigned there.
    assert _step(zone.clerk, filed, "accept", {"department": zone.jjhz.pk}).status_code == 404
    filed.refresh_from_db()
    assert filed.status == RequestStatus.PENDING


def test_a_step_out_of_order_says_why(zone, filed):
    c = _client(zone.dispatcher)
    url = reverse("enterprises:request_step", args=[filed.pk, "revisit"])
    response = c.post(url, {"note": "x"}, follow=True)
    assert "只有已答复的诉求可以回访" in response.content.decode()
    filed.refresh_from_db()
    assert filed.status == RequestStatus.PENDING


def test_the_desk_counts_down_to_the_time_limit(zone, filed):
    services.request_accept(by=zone.dispatcher, request=filed, department=zone.jjhz)
    clock.set_demo_date(DAY + timedelta(days=7))  # due on day 5
    page = _client(zone.clerk).get(reverse("enterprises:desk"))
    assert page.status_code == 200
    (row,) = page.context["rows"]
    assert (row.days, row.overdue) == (-2, 2)
    assert "逾期 2 天" in page.content.decode()


def test_the_coverage_report_lists_an_enterprise_with_no_cadre_and_no_street(zone):
    lonely = EnterpriseFactory(name="无人服务的企业", street=None)
    page = _client(zone.leader).get(reverse("enterprises:coverage"))
    assert lonely in page.context["uncovered"]
    assert page.context["coverage"].uncovered >= 1
    assert "无人服务的企业" in page.content.decode()


def test_the_figures_page_links_each_figure_to_its_requests(zone, filed):
    services.request_accept(by=zone.dispatcher, request=filed, department=zone.jjhz)
    page = _client(zone.leader).get(reverse("enterprises:figures") + "?year=2022")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"assigned_department={zone.jjhz.pk}" in html
    assert "category=approval" in html


def test_the_cockpit_shows_the_panel_with_links(demo, client_for):
    page = client_for("leader").get(reverse("indicators:cockpit") + "?unit=hy-gxq&period=2022H1")
    html = page.content.decode()
    assert "enterprises-panel-title" in html
    assert reverse("enterprises:coverage") in html
    assert "?overdue=on" in html


def test_the_rates_selector_answers_for_a_department_and_for_its_zone(zone, filed):
    req = services.request_accept(by=zone.dispatcher, request=filed, department=zone.jjhz)
    services.request_answer(by=zone.clerk, request=req, answer="已办")
    for unit in (zone.jjhz, zone.gxq):
        rates = selectors.request_rates(unit, 2022)
        assert (rates.due, rates.on_time, rates.on_time_rate) == (1, 1, 1)
    assert selectors.request_rates(zone.cyfz, 2022).on_time_rate is None
