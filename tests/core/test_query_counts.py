"""Query counts of the core pages: pinned to tests/core/query_counts.json, and the same with N
rows as with 5N rows (no query per row)."""

from pathlib import Path

import pytest
from django.urls import reverse

from shouwei.core.choices import Role
from shouwei.core.testing import assert_queries_constant, assert_query_count
from tests.factories import PeerGroupFactory, RoleFactory, UnitFactory, UserFactory

BASELINE = Path(__file__).with_name("query_counts.json")
N = 4


@pytest.fixture
def root(db):
    return UnitFactory(code="root", name="根单位")


@pytest.fixture
def viewers(root):
    admin = UserFactory(username="qc-admin", is_superuser=True, is_staff=True)
    leader = RoleFactory(user=UserFactory(username="qc-leader"), unit=root, role=Role.LEADER).user
    return {"admin": admin, "leader": leader}


def _client(client, user):
    client.force_login(user)
    return client


def _add_units(root, n):
    for _ in range(n):
        UnitFactory(parent=UnitFactory(parent=root))


def _add_groups(root, n):
    for _ in range(n):
        PeerGroupFactory()


LISTS = {
    "core:unit_list": _add_units,
    "core:peergroup_list": _add_groups,
}


@pytest.mark.parametrize("viewer", ["admin", "leader"])
@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_list_page_runs_the_same_queries_for_n_and_5n_rows(client, root, viewers, url_name, viewer):
    add = LISTS[url_name]
    add(root, N)
    c = _client(client, viewers[viewer])
    url = reverse(url_name) + "?per_page=200"

    def fetch():
        response = c.get(url)
        assert response.status_code == 200
        return response

    assert_queries_constant(fetch, lambda: add(root, 4 * N))
    assert fetch().context["table"].paginator.count >= 5 * N
    with assert_query_count(f"{url_name}:{viewer}", BASELINE):
        fetch()


def _edit_n_times(obj, n, field, make_value):
    # Each version by a different user: the history list shows who changed what.
    for i in range(n):
        setattr(obj, field, make_value(i))
        obj._history_user = UserFactory()
        obj.save()


@pytest.mark.parametrize(
    ("url_name", "make", "field"),
    [
        ("core:unit_detail", lambda root: UnitFactory(parent=root), "name"),
        ("core:peergroup_detail", lambda root: PeerGroupFactory(), "description"),
    ],
)
def test_detail_page_runs_the_same_queries_for_n_and_5n_history_versions(
    client, root, viewers, url_name, make, field
):
    obj = make(root)
    _edit_n_times(obj, N, field, lambda i: f"第{i}版")
    c = _client(client, viewers["leader"])
    url = reverse(url_name, args=[obj.pk])

    def fetch():
        response = c.get(url)
        assert response.status_code == 200
        return response

    assert_queries_constant(fetch, lambda: _edit_n_times(obj, 4 * N, field, lambda i: f"新{i}"))
    assert len(fetch().context["history"]) == 5 * N + 1
    with assert_query_count(f"{url_name}:leader", BASELINE):
        fetch()
