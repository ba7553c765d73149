"""Where the 驾驶舱 opens when the address names no unit or period: the user's home unit at
its latest approved headline period; drafts never stand on it; nobody's first page is empty."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from shouwei.core.choices import Role, UnitKind
from shouwei.core.models import PeerGroup, Unit
from shouwei.core.periods import Period
from shouwei.core.testing import assert_queries_constant, assert_query_count
from shouwei.demo.accounts import DEMO_ACCOUNTS
from shouwei.indicators import selectors
from shouwei.indicators.choices import Category, ObservationStatus
from shouwei.indicators.models import Indicator, Observation
from tests.factories import (
    IndicatorFactory,
    ObservationFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

BASELINE = Path(__file__).with_name("query_counts.json")
COCKPIT = reverse("indicators:cockpit")
HEADLINE = ("gdp", "industrial_va", "service_revenue", "retail_sales")


def _file(period, codes, status=ObservationStatus.DRAFT, unit="hy-gxq"):
    for code in codes:
        ObservationFactory(
            unit=Unit.objects.get(code=unit),
            indicator=Indicator.objects.get(code=code),
            period=period,
            value=Decimal("123.4"),
            growth=Decimal("9.9"),
            status=status,
        )


def _cards(response):
    return [c for _code, _label, cards in response.context["cockpit"].categories for c in cards]


def _box_and_title(html):
    box = re.search(r'<input id="pick-period" name="period"[^>]*value="([^"]*)"', html).group(1)
    title = re.search(r'<span class="page-title-period">([^<]*)</span>', html).group(1)
    return box, title


def test_a_clerks_drafts_for_a_new_month_do_not_take_over_the_leaders_cockpit(client_for):
    _file("2022-08", HEADLINE[1:], ObservationStatus.DRAFT)
    _file("2022-08", HEADLINE[:1], ObservationStatus.SUBMITTED)
    for username in ("leader", "supervisor"):
        response = client_for(username).get(COCKPIT)
        assert response.context["period"].code == "2022-06", username
        gdp = next(c for c in _cards(response) if c.indicator.code == "gdp")
        assert gdp.observation.growth == Decimal("6.9")


def test_one_approved_value_for_a_new_month_does_not_move_the_cockpit(client_for):
    _file("2022-07", HEADLINE[1:2], ObservationStatus.APPROVED)
    assert client_for("leader").get(COCKPIT).context["period"].code == "2022-06"


def test_a_month_with_most_headline_figures_approved_becomes_the_default(client_for):
    # GDP is published by quarter: July's release has the three monthly figures only.
    _file("2022-07", HEADLINE[1:], ObservationStatus.APPROVED)
    response = client_for("leader").get(COCKPIT)
    assert response.context["period"].code == "2022-07"
    shown = {c.indicator.code for c in _cards(response) if c.observation is not None}
    assert set(HEADLINE[1:]) <= shown


def test_unapproved_figures_never_show_on_the_cockpit(client_for):
    _file("2022-08", HEADLINE, ObservationStatus.DRAFT)
    staff = client_for("staff_cyfz")
    response = client_for("leader").get(COCKPIT + "?unit=hy-gxq&period=2022-08")
    assert all(c.observation is None for c in _cards(response))
    assert "2022-08" not in response.context["cockpit"].periods_available
    # The clerk who entered them follows them, marked, in the observation list.
    listing = staff.get(reverse("indicators:observation_list") + "?period=2022-08")
    assert "草稿" in listing.content.decode()


def test_the_unit_s_own_draft_is_left_out_of_its_rank_history(demo):
    zone = Unit.objects.get(code="hy-gxq")
    gdp = Indicator.objects.get(code="gdp")
    Observation.objects.filter(unit=zone, indicator=gdp, period="2022H1").update(
        status=ObservationStatus.DRAFT
    )
    points = selectors.rank_histories(
        unit=zone,
        indicators=[gdp],
        group=PeerGroup.objects.get(code="hy-5d2p"),
        period="2022H1",
        user=demo["leader"],
    )[gdp.pk]
    assert points and points[-1].label == "2022-05"


def test_the_period_box_shows_the_period_the_title_names(client_for):
    html = client_for("leader").get(COCKPIT).content.decode()
    box, title = _box_and_title(html)
    assert (box, title) == ("2022-06", "2022年1—6月")
    assert Period.parse(box).label == title


def test_the_administrators_first_page_is_the_zone_with_the_latest_approved_figures(client_for):
    response = client_for("admin").get("/", follow=True)
    assert response.context["unit"].code == "hy-gxq"
    assert response.context["period"].code == "2022-06"
    assert response.context["cockpit"].headline
    assert "该期间还没有数据" not in response.content.decode()


@pytest.mark.parametrize("username", [row[0] for row in DEMO_ACCOUNTS])
def test_no_demo_role_s_first_page_is_empty(client_for, username):
    response = client_for(username).get("/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "该期间还没有数据" not in html
    if response.context.get("cockpit") is not None:
        assert response.context["unit"].code == "hy-gxq"
        assert any(c.observation is not None for c in _cards(response)), username


def test_a_department_clerk_opens_its_zone(client_for):
    assert client_for("staff_jjhz").get(COCKPIT).context["unit"].code == "hy-gxq"


def test_the_default_unit_comes_from_the_roles_not_a_unit_code(demo):
    # A second zone elsewhere: its leader opens it, not the demo zone.
    zone = UnitFactory(code="other-zone", name="另一开发区", kind=UnitKind.ZONE)
    indicators = [IndicatorFactory(category=Category.ECONOMY) for _ in range(2)]
    for ind in indicators:
        ObservationFactory(unit=zone, indicator=ind, period="2021-12")
    leader = RoleFactory(user=UserFactory(), unit=zone, role=Role.LEADER).user
    start = selectors.cockpit_start(user=leader)
    assert (start.unit, start.period.code) == (zone, "2021-12")
    # A superuser holding no role opens the unit with the latest figures: still the demo zone.
    start = selectors.cockpit_start(user=UserFactory(is_superuser=True))
    assert (start.unit.code, start.period.code) == ("hy-gxq", "2022-06")
    # Once the other zone has newer approved headline figures, it is the superuser's first page.
    for ind in indicators:
        ObservationFactory(unit=zone, indicator=ind, period="2022-09")
    start = selectors.cockpit_start(user=UserFactory(is_superuser=True))
    assert (start.unit, start.period.code) == (zone, "2022-09")


def test_simulated_figures_are_the_default_only_where_there_are_no_others(demo):
    peer = Unit.objects.get(code="hy-smjk")
    start = selectors.cockpit_start(user=demo["leader"], unit=peer)
    assert start.period.code == "2022-06"
    assert not Observation.objects.filter(unit=peer, synthetic=False).exists()


def test_a_unit_without_headline_figures_opens_on_its_other_published_ones(db):
    unit = UnitFactory(kind=UnitKind.ZONE)
    ObservationFactory(
        unit=unit, indicator=IndicatorFactory(category=Category.LIVELIHOOD), period="2021"
    )
    ObservationFactory(
        unit=unit,
        indicator=IndicatorFactory(category=Category.ECONOMY),
        period="2022-03",
        status=ObservationStatus.SUBMITTED,
    )
    start = selectors.cockpit_start(user=UserFactory(is_superuser=True), unit=unit)
    assert start.period.code == "2021-12"


def test_a_unit_with_nothing_approved_opens_on_the_current_year(client_for):
    unit = UnitFactory(code="empty-zone", kind=UnitKind.ZONE)
    response = client_for("leader").get(COCKPIT + f"?unit={unit.code}")
    assert response.status_code == 200
    assert response.context["period"].kind == "year"


def test_finding_the_first_page_runs_the_same_queries_for_more_units_with_figures(client_for):
    admin = client_for("admin")

    def fetch():
        response = admin.get(COCKPIT)
        assert response.status_code == 200
        return response

    def grow():
        city = Unit.objects.get(code="hy")
        headline = [IndicatorFactory(category=Category.ECONOMY) for _ in range(2)]
        for i in range(10):
            zone = UnitFactory(code=f"more-zone-{i}", kind=UnitKind.ZONE, parent=city)
            for ind in headline:
                ObservationFactory(unit=zone, indicator=ind, period="2021-12")

    fetch()
    assert_queries_constant(fetch, grow)
    with assert_query_count("indicators:cockpit:default:admin", BASELINE):
        fetch()


def test_the_evaluation_page_opens_where_the_cockpit_does(demo):
    from shouwei.evaluation_web.selectors import home_unit

    assert home_unit(demo["staff_cyfz"]).code == "hy-gxq"
    # A superuser holding no role: the unit with the latest approved figures, whatever its code.
    zone = UnitFactory(code="newer-zone", kind=UnitKind.ZONE)
    for _ in range(2):
        ObservationFactory(
            unit=zone, indicator=IndicatorFactory(category=Category.ECONOMY), period="2022-09"
        )
    assert home_unit(UserFactory(is_superuser=True)) == zone
