"""Building the matrix and showing a run cost the same number of queries with 10 more peers."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from shouwei.core.choices import UnitKind
from shouwei.core.models import PeerGroup, PeerGroupMembership, Unit
from shouwei.core.periods import Period
from shouwei.core.testing import assert_queries_constant, assert_query_count
from shouwei.evaluation_web.demo import DEMO_INDICATORS, DEMO_NAME
from shouwei.evaluation_web.models import EvaluationRun
from shouwei.evaluation_web.selectors import IndicatorChoice, decision_matrix
from shouwei.evaluation_web.services import rerun_evaluation
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db
BASELINE = Path(__file__).with_name("query_counts.json")
EXTRA_PEERS = 10


def _grow():
    city = Unit.objects.get(code="hy")
    group = PeerGroup.objects.get(code="hy-5d2p")
    peers = [
        Unit.objects.create(code=f"qc-{i}", name=f"测试区{i}", kind=UnitKind.DISTRICT, parent=city)
        for i in range(EXTRA_PEERS)
    ]
    PeerGroupMembership.objects.bulk_create(
        PeerGroupMembership(group=group, unit=u, year=2022) for u in peers
    )
    p = Period.parse("2022-06")
    Observation.objects.bulk_create(
        Observation(
            unit=u,
            indicator=ind,
            period=p.code,
            period_kind=p.kind.value,
            period_end=p.end,
            growth=Decimal(i % 7),
            status=ObservationStatus.APPROVED,
        )
        for i, u in enumerate(peers)
        for ind in Indicator.objects.filter(code__in=DEMO_INDICATORS)
    )


def test_matrix_queries_do_not_grow_with_the_units(demo):
    group = PeerGroup.objects.get(code="hy-5d2p")
    choices = [IndicatorChoice(code, 1, "growth") for code in DEMO_INDICATORS]

    def fetch():
        m = decision_matrix(user=demo["leader"], group=group, period="2022H1", choices=choices)
        assert len(m.units) >= 7

    fetch()  # the user's roles are read once and cached on the user
    assert_queries_constant(fetch, _grow)


def test_run_page_queries_do_not_grow_with_the_units(client_for, demo):
    c = client_for("leader")
    run = EvaluationRun.objects.get(name=DEMO_NAME)
    state = {"run": run}

    def fetch():
        assert c.get(state["run"].get_absolute_url()).status_code == 200

    def grow():
        _grow()
        state["run"] = rerun_evaluation(user=demo["leader"], run=run)
        assert len(state["run"].results["units"]) == 7 + EXTRA_PEERS

    assert_queries_constant(fetch, grow)
    assert c.get(reverse("evaluation_web:index")).status_code == 200


def test_page_query_counts_are_pinned(client_for):
    c = client_for("leader")
    run = EvaluationRun.objects.get(name=DEMO_NAME)
    c.get(run.get_absolute_url())  # warm the session
    with assert_query_count("evaluation_index", BASELINE):
        c.get(reverse("evaluation_web:index"))
    with assert_query_count("evaluation_run_detail", BASELINE):
        c.get(run.get_absolute_url())
