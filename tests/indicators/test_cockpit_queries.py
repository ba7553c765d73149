"""The 驾驶舱 and the indicator-for-a-unit page run the same number of queries whatever the
number of indicators, peers and periods: no query per card, per peer or per chart point."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from shouwei.core.choices import UnitKind
from shouwei.core.models import PeerGroup, PeerGroupMembership, Unit
from shouwei.core.periods import Period, period_range
from shouwei.core.testing import assert_query_count, count_queries
from shouwei.indicators.choices import Category, ObservationStatus, RankBasis, TargetKind
from shouwei.indicators.models import Indicator, Observation, Target

BASELINE = Path(__file__).with_name("query_counts.json")
MONTHS = period_range("2021-01", "2022-06")
EXTRA_INDICATORS = 20
EXTRA_PEERS = 10
COCKPIT = reverse("indicators:cockpit") + "?unit=hy-gxq&period=2022H1"


def _observation(unit, indicator, period, growth, **extra):
    p = Period.parse(period)
    return Observation(
        unit=unit,
        indicator=indicator,
        period=p.code,
        period_kind=p.kind.value,
        period_end=p.end,
        value=Decimal(100) + growth,
        growth=growth,
        status=ObservationStatus.APPROVED,
        source="查询计数测试",
        **extra,
    )


def grow_demo() -> list[Indicator]:
    """20 more indicators (half of them headline 经济运行 ones, each with a target) and 10 more
    members of the 五区两园, every peer with monthly figures for every headline indicator."""
    city = Unit.objects.get(code="hy")
    zone = Unit.objects.get(code="hy-gxq")
    group = PeerGroup.objects.get(code="hy-5d2p")
    department = Unit.objects.get(code="hy-gxq-tjzx")
    peers = [
        Unit.objects.create(
            code=f"qc-peer-{i}", name=f"测试区{i}", kind=UnitKind.DISTRICT, parent=city
        )
        for i in range(EXTRA_PEERS)
    ]
    PeerGroupMembership.objects.bulk_create(
        PeerGroupMembership(group=group, unit=u, year=year) for u in peers for year in (2021, 2022)
    )
    indicators = [
        Indicator.objects.create(
            code=f"qc-ind-{i}",
            name=f"测试指标{i}",
            measure="亿元",
            category=Category.ECONOMY if i % 2 == 0 else Category.INNOVATION,
            owner_unit=department,
            sort_order=100 + i,
        )
        for i in range(EXTRA_INDICATORS)
    ]
    for ind in indicators:
        Target.objects.create(
            unit=zone,
            year=2022,
            name=f"{ind.name}排名",
            indicator=ind,
            kind=TargetKind.RANK,
            floor_rank=3,
            rank_group=group,
        )
    members = list(Unit.objects.filter(peer_memberships__group=group).distinct())
    headline = list(Indicator.objects.filter(category=Category.ECONOMY))
    rows = []
    for n, unit in enumerate(members):
        for ind in headline:
            if unit.code.startswith("qc-peer") or ind.code.startswith("qc-ind"):
                rows += [
                    _observation(
                        unit, ind, p, Decimal(n % 7) + Decimal(p.index) / 10, synthetic=True
                    )
                    for p in MONTHS
                ]
        if unit.pk == zone.pk:
            rows += [
                _observation(
                    zone,
                    ind,
                    "2022H1",
                    Decimal("5.5"),
                    published_rank=4,
                    rank_group=group,
                    rank_basis=RankBasis.GROWTH,
                )
                for ind in indicators
            ]
    Observation.objects.bulk_create(rows)
    return indicators


@pytest.fixture
def leader(client_for):
    return client_for("leader")


def test_cockpit_runs_the_same_queries_with_20_more_indicators_and_10_more_peers(leader):
    def fetch():
        response = leader.get(COCKPIT)
        assert response.status_code == 200
        return response

    fetch()  # the first request of a session looks a few things up once
    before, _sql = count_queries(fetch)
    indicators = grow_demo()
    after, sql = count_queries(fetch)
    assert after == before, "\n".join(sql)

    cockpit = fetch().context["cockpit"]
    shown = {card.indicator.code for _c, _l, cards in cockpit.categories for card in cards}
    assert {i.code for i in indicators} <= shown
    assert len(cockpit.peer_comparison) == 4 + EXTRA_INDICATORS // 2
    assert all(len(s.entries) == 7 + EXTRA_PEERS for s in cockpit.peer_comparison)
    html = fetch().content.decode()
    rank_chart = re.search(r'<script id="chart-rank-history" type="application/json">(.*?)<', html)
    assert len(json.loads(rank_chart.group(1))["series"]) == 4 + EXTRA_INDICATORS // 2
    assert all(f'data-chart="chart-trend-{ind.code}"' in html for ind in indicators[::2])
    with assert_query_count("indicators:cockpit:leader", BASELINE):
        fetch()


def test_indicator_page_runs_the_same_queries_with_10_more_peers_and_their_history(leader):
    gdp = Indicator.objects.get(code="gdp")
    url = reverse("indicators:indicator_unit", args=[gdp.pk]) + "?unit=hy-gxq&period=2022H1#peers"

    def fetch():
        response = leader.get(url)
        assert response.status_code == 200
        return response

    fetch()
    before, _sql = count_queries(fetch)
    grow_demo()
    after, sql = count_queries(fetch)
    assert after == before, "\n".join(sql)

    page = fetch().context["page"]
    assert len(page.ranking.entries) == 7 + EXTRA_PEERS
    assert {pt.group_size for pt in page.rank_points} == {7 + EXTRA_PEERS}
    with assert_query_count("indicators:indicator_unit:leader", BASELINE):
        fetch()
