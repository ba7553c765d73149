"""The cockpit's blocks kept per person until the next data write (core.data_version)."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from shouwei.core import data_version
from shouwei.core.choices import Role
from shouwei.core.models import RoleAssignment, Unit
from shouwei.core.testing import count_queries
from shouwei.indicators import services
from shouwei.indicators.models import Indicator, Observation

COCKPIT = reverse("indicators:cockpit") + "?unit=hy-gxq&period=2022Q3"
FIGURE = "37.9"  # a growth no demo figure has


@pytest.fixture(autouse=True)
def _on(person_cache):
    pass


@contextmanager
def committed(django_capture_on_commit_callbacks):
    """The block's writes as if their transaction committed: the after-commit callbacks run,
    and none is left waiting (the test's own transaction never commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        yield
    connection.run_on_commit.clear()


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_second_visit_is_served_from_the_cache(client_for):
    leader = client_for("leader")
    first, _sql = count_queries(lambda: leader.get(COCKPIT))
    response = leader.get(COCKPIT)
    second, _sql = count_queries(lambda: leader.get(COCKPIT))
    assert response.status_code == 200
    assert "驾驶舱" in response.content.decode()
    assert second < first


def test_an_approval_shows_at_the_next_visit(demo, client_for, django_capture_on_commit_callbacks):
    leader = client_for("leader")
    draft = services.observation_create(
        unit=Unit.objects.get(code="hy-gxq"),
        indicator=Indicator.objects.get(code="industrial_va"),
        period="2022Q3",
        growth=Decimal(FIGURE),
        by=demo["staff_cyfz"],
    )
    submitted = services.observation_submit(observation=draft, by=demo["staff_cyfz"])
    connection.run_on_commit.clear()  # the set-up committed
    assert FIGURE not in leader.get(COCKPIT).content.decode()
    assert FIGURE not in leader.get(COCKPIT).content.decode()  # and kept
    with committed(django_capture_on_commit_callbacks):
        services.observation_approve(observation=submitted, by=demo["statistician"])
    assert FIGURE in leader.get(COCKPIT).content.decode()


def test_a_withdrawn_figure_goes_at_the_next_visit(client_for, django_capture_on_commit_callbacks):
    leader = client_for("leader")
    shown = Observation.objects.get(
        unit__code="hy-gxq", indicator__code="gdp", period="2022H1", status="approved"
    )
    page = reverse("indicators:cockpit") + "?unit=hy-gxq&period=2022H1"
    before = leader.get(page).content.decode()
    with committed(django_capture_on_commit_callbacks):
        shown.delete()
    assert leader.get(page).content.decode() != before


def test_a_bulk_write_changes_the_version(db, django_capture_on_commit_callbacks):
    token = data_version.current()
    with committed(django_capture_on_commit_callbacks):
        Observation.objects.bulk_create([])
    assert data_version.current() != token


def test_a_write_not_yet_committed_bypasses_the_cache(demo):
    data_version.changed()
    assert data_version.pending()
    calls = []
    data_version.cached_for(demo["leader"], "x", (), lambda: calls.append(1) or "a")
    data_version.cached_for(demo["leader"], "x", (), lambda: calls.append(1) or "a")
    assert len(calls) == 2


def test_each_person_has_their_own_key(demo):
    leader, other = demo["leader"], demo["statistician"]
    assert data_version.person_key(leader, "cockpit", 1) != data_version.person_key(
        other, "cockpit", 1
    )


def test_a_new_role_is_a_new_key(demo):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="leader")
    before = data_version.person_key(user, "cockpit", 1)
    RoleAssignment.objects.create(user=user, unit=Unit.objects.get(code="hy-zbq"), role=Role.STAFF)
    fresh = get_user_model().objects.get(username="leader")  # a request loads the user anew
    connection.run_on_commit.clear()
    assert data_version.person_key(fresh, "cockpit", 1) != before


def test_one_persons_blocks_are_not_served_to_another(demo, client_for):
    leader = client_for("leader")
    leader.get(COCKPIT)
    cached, _sql = count_queries(lambda: leader.get(COCKPIT))
    # Someone else opening the same unit and period gets their own rendering, not the leader's.
    other = _login(demo["statistician"])
    theirs, _sql = count_queries(lambda: other.get(COCKPIT))
    assert theirs > cached
