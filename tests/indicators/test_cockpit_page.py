"""What the 驾驶舱 and the indicator-for-a-unit page say: ranks computed and published,
mismatches, peers' drafts, chart data and lineage links."""

import json
import re

import pytest
from django.urls import reverse

from shouwei.core.models import PeerGroup, Unit
from shouwei.indicators import selectors
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Indicator, Observation

COCKPIT = reverse("indicators:cockpit") + "?unit=hy-gxq&period=2022H1"
# 2022年1—6月 ranks among the 五区两园, as the article published them.
PUBLISHED = {"gdp": 1, "industrial_va": 2, "service_revenue": 1, "retail_sales": 3}


def card(response, code):
    cockpit = response.context["cockpit"]
    return next(
        c for _code, _label, cards in cockpit.categories for c in cards if c.indicator.code == code
    )


def chart_data(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html)
    assert match, f"no json_script {chart_id}"
    return json.loads(match.group(1))


@pytest.fixture
def leader(client_for):
    return client_for("leader")


def test_cockpit_computes_the_headline_ranks_that_the_article_published(leader):
    response = leader.get(COCKPIT)
    for code, rank in {
        "gdp": 1,
        "industrial_va": 2,
        "service_revenue": 1,
        "retail_sales": 3,
    }.items():
        entry = card(response, code).rank
        assert (entry.computed_rank, entry.published_rank, entry.mismatch) == (rank, rank, False)


def test_cockpit_flags_a_published_rank_that_disagrees_with_the_computed_one(leader):
    Observation.objects.filter(unit__code="hy-gxq", indicator__code="gdp", period="2022H1").update(
        published_rank=3
    )
    response = leader.get(COCKPIT)
    assert card(response, "gdp").rank.mismatch
    assert "公布为第3名，不一致" in response.content.decode()


def test_cockpit_badges_a_rank_known_only_as_published(leader):
    response = leader.get(COCKPIT)
    contest = card(response, "hq_contest")
    assert (contest.rank.source, contest.rank.rank, contest.group.code) == (
        "published",
        1,
        "hy-class-b",
    )


def test_a_peers_draft_figure_is_left_out_of_the_peer_chart(client_for):
    # The administrator can see every draft: the chart must still leave a peer's draft out.
    admin = client_for("admin")
    Observation.objects.filter(
        unit__code="hy-smjk", indicator__code="gdp", period="2022-06"
    ).update(status=ObservationStatus.DRAFT)
    html = admin.get(COCKPIT).content.decode()
    bars = chart_data(html, "chart-peers-gdp")
    assert bars["values"][bars["categories"].index("松木经开区")] is None
    assert bars["highlight"][bars["categories"].index("衡阳高新区")] is True
    assert bars["labels"][0] == "6.9%"


def test_chart_data_reach_the_page_only_as_json_scripts(leader):
    html = leader.get(COCKPIT).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    for chart_id in re.findall(r'data-chart="([^"]+)"', html):
        chart_data(html, chart_id)
    assert "vendor/echarts/echarts.min.js" in html


def test_pages_without_charts_do_not_load_echarts(leader):
    html = leader.get(reverse("indicators:observation_list")).content.decode()
    assert "echarts" not in html


def test_rank_history_ranks_every_month_among_that_years_members(demo):
    zone = Unit.objects.get(code="hy-gxq")
    gdp = Indicator.objects.get(code="gdp")
    points = selectors.rank_histories(
        unit=zone,
        indicators=[gdp],
        group=PeerGroup.objects.get(code="hy-5d2p"),
        period="2022H1",
        user=demo["leader"],
    )[gdp.pk]
    assert [p.label for p in points][:2] == ["2021-01", "2021-02"]
    assert len(points) == 18
    assert {p.group_size for p in points} == {7}
    last = points[-1]
    assert (last.label, last.computed_rank, last.published_rank) == ("2022-06", 1, 1)
    assert last.peers_synthetic


def test_indicator_page_lists_peers_with_computed_and_published_ranks(leader):
    gdp = Indicator.objects.get(code="gdp")
    response = leader.get(
        reverse("indicators:indicator_unit", args=[gdp.pk]) + "?unit=hy-gxq&period=2022H1"
    )
    page = response.context["page"]
    assert page.group.code == "hy-5d2p"
    assert [e.computed_rank for e in page.ranking.ranked] == [1, 2, 3, 4, 5, 6, 7]
    assert page.entry.published_rank == 1
    html = response.content.decode()
    assert 'data-unit="hy-gxq"' in html
    assert chart_data(html, "chart-rank")["series"][0]["published"][-1] == 1
    assert chart_data(html, "chart-trend")["categories"][-1] == "2022-06"


def test_indicator_page_switches_to_another_group_of_the_unit_only(leader):
    contest = Indicator.objects.get(code="hq_contest")
    url = reverse("indicators:indicator_unit", args=[contest.pk]) + "?unit=hy-gxq&period=2022H1"
    assert leader.get(url).context["page"].group.code == "hy-class-b"
    assert leader.get(url + "&group=hy-5d2p").context["page"].group.code == "hy-5d2p"
    assert leader.get(url + "&group=no-such-group").context["page"].group.code == "hy-class-b"


def test_a_bad_period_is_explained_not_a_500(leader):
    response = leader.get(reverse("indicators:cockpit") + "?unit=hy-gxq&period=2022H9")
    assert response.status_code == 200
    assert "无法识别的期间" in response.content.decode()
