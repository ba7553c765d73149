"""Query counts of the indicator pages: pinned to tests/indicators/query_counts.json, and the
same with N rows as with 5N rows (no query per row)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from shouwei.core.choices import Role, UnitKind
from shouwei.core.testing import assert_queries_constant, assert_query_count
from shouwei.indicators.choices import ObservationStatus, RankBasis, TargetKind
from tests.factories import (
    IndicatorFactory,
    ObservationFactory,
    PeerGroupFactory,
    RoleFactory,
    TargetFactory,
    UnitFactory,
    UserFactory,
)

BASELINE = Path(__file__).with_name("query_counts.json")
N = 4


@pytest.fixture
def root(db):
    return UnitFactory(code="root", name="根单位")


@pytest.fixture
def viewers(root):
    admin = UserFactory(username="qc-admin", is_superuser=True, is_staff=True)
    leader = RoleFactory(user=UserFactory(username="qc-leader"), unit=root, role=Role.LEADER).user
    staff = RoleFactory(user=UserFactory(username="qc-staff"), unit=root, role=Role.STAFF).user
    return {"admin": admin, "leader": leader, "staff": staff}


def _indicator(root):
    return IndicatorFactory(owner_unit=UnitFactory(parent=root, kind=UnitKind.DEPARTMENT))


def _observation(root, status=ObservationStatus.DRAFT):
    # Every foreign key distinct per row, so that any per-row lookup shows up as a query.
    return ObservationFactory(
        unit=UnitFactory(parent=root),
        indicator=_indicator(root),
        reporting_unit=UnitFactory(parent=root, kind=UnitKind.DEPARTMENT),
        rank_group=PeerGroupFactory(),
        published_rank=2,
        rank_basis=RankBasis.GROWTH,
        growth=Decimal("6.9"),
        entered_by=UserFactory(),
        status=status,
    )


def _target(root):
    return TargetFactory(
        unit=UnitFactory(parent=root),
        indicator=_indicator(root),
        rank_group=PeerGroupFactory(),
        kind=TargetKind.RANK,
        floor_rank=2,
        stretch_rank=1,
        responsible_unit=UnitFactory(parent=root, kind=UnitKind.DEPARTMENT),
    )


def _add(make):
    def add(root, n):
        for _ in range(n):
            make(root)

    return add


LISTS = {
    "indicators:indicator_list": _add(_indicator),
    "indicators:observation_list": _add(_observation),
    "indicators:target_list": _add(_target),
}


@pytest.mark.parametrize("viewer", ["admin", "leader", "staff"])
@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_list_page_runs_the_same_queries_for_n_and_5n_rows(client, root, viewers, url_name, viewer):
    add = LISTS[url_name]
    client.force_login(viewers[viewer])
    url = reverse(url_name) + "?per_page=200"

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    before = fetch().context["table"].paginator.count  # the demo's rows this viewer sees
    add(root, N)

    assert_queries_constant(fetch, lambda: add(root, 4 * N))
    assert fetch().context["table"].paginator.count == before + 5 * N
    with assert_query_count(f"{url_name}:{viewer}", BASELINE):
        fetch()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_observation_export_runs_the_same_queries_for_n_and_5n_rows(client, root, viewers, fmt):
    _add(_observation)(root, N)
    client.force_login(viewers["leader"])
    url = reverse("indicators:observation_list") + f"?export={fmt}"

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    assert_queries_constant(fetch, lambda: _add(_observation)(root, 4 * N))
    with assert_query_count(f"indicators:observation_list:export-{fmt}", BASELINE):
        fetch()


def _edit_n_times(obj, n, field, make_value):
    for i in range(n):
        setattr(obj, field, make_value(i))
        obj._history_user = UserFactory()
        obj.save()


DETAILS = {
    "indicators:indicator_detail": (_indicator, "description", lambda i: f"口径{i}"),
    "indicators:observation_detail": (_observation, "value", lambda i: Decimal(i)),
    "indicators:target_detail": (_target, "description", lambda i: f"说明{i}"),
}


@pytest.mark.parametrize("viewer", ["admin", "leader"])
@pytest.mark.parametrize("url_name", sorted(DETAILS))
def test_detail_page_runs_the_same_queries_for_n_and_5n_history_versions(
    client, root, viewers, url_name, viewer
):
    make, field, value = DETAILS[url_name]
    obj = make(root)
    _edit_n_times(obj, N, field, value)
    client.force_login(viewers[viewer])
    url = reverse(url_name, args=[obj.pk])

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    assert_queries_constant(fetch, lambda: _edit_n_times(obj, 4 * N, field, value))
    assert len(fetch().context["history"]) == 5 * N + 1
    with assert_query_count(f"{url_name}:{viewer}", BASELINE):
        fetch()


def test_history_naming_related_records_runs_the_same_queries_for_n_and_5n_changes(
    client, root, viewers
):
    obs = _observation(root)

    def move(n):
        _edit_n_times(obs, n, "reporting_unit", lambda i: UnitFactory(parent=root))

    move(N)
    client.force_login(viewers["leader"])
    url = reverse("indicators:observation_detail", args=[obs.pk])

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    assert_queries_constant(fetch, lambda: move(4 * N))
    changes = fetch().context["history"][0]["changes"]
    assert changes[0][0] == "填报单位" and changes[0][2] == str(obs.reporting_unit)
