"""Query counts of the supervision pages: pinned to tests/supervision/query_counts.json, and
the same with N rows as with 5N rows (no query per row)."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from shouwei.core.testing import assert_queries_constant, assert_query_count
from shouwei.supervision import services
from shouwei.supervision.models import DepartmentScore, ProgressReport
from tests.factories import (
    GoalFactory,
    MilestoneFactory,
    PerformanceSchemeFactory,
    SchemeItemFactory,
    SupervisionNoticeFactory,
    TaskBookFactory,
)

BASELINE = Path(__file__).with_name("query_counts.json")
N = 3


def _goal(people):
    TaskBookFactory(goal=GoalFactory(), lead_unit=people.cyfz)


def _milestone(people):
    MilestoneFactory(lead_unit=people.cyfz)


def _notice(people):
    SupervisionNoticeFactory(unit=people.cyfz, milestone=MilestoneFactory(lead_unit=people.cyfz))


def _report(people):
    ProgressReport.objects.create(
        milestone=MilestoneFactory(lead_unit=people.cyfz),
        unit=people.cyfz,
        reported_on=date(2022, 7, 1),
        text="x",
        percent=10,
    )


def _add(make):
    def add(people, n):
        for _ in range(n):
            make(people)

    return add


LISTS = {
    "supervision:goal_list": _add(_goal),
    "supervision:milestone_list": _add(_milestone),
    "supervision:supervisionnotice_list": _add(_notice),
    "supervision:progressreport_list": _add(_report),
    "supervision:taskbook_list": _add(_goal),
}
VIEWERS = {"office": "office", "leader": "leader", "staff": "clerk"}


@pytest.mark.parametrize("viewer", sorted(VIEWERS))
@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_list_page_runs_the_same_queries_for_n_and_5n_rows(client, people, url_name, viewer):
    add = LISTS[url_name]
    client.force_login(getattr(people, VIEWERS[viewer]))
    url = reverse(url_name) + "?per_page=200"

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    add(people, N)
    assert_queries_constant(fetch, lambda: add(people, 4 * N))
    assert fetch().context["table"].paginator.count == 5 * N
    with assert_query_count(f"{url_name}:{viewer}", BASELINE):
        fetch()


@pytest.mark.parametrize("by", ["unit", "leader"])
def test_the_board_runs_the_same_queries_for_n_and_5n_unbound_goals(client, people, by):
    """Goals bound to an indicator target add the foundation's light look-up each."""
    client.force_login(people.leader)

    def grow(n):
        for _ in range(n):
            goal = GoalFactory()
            TaskBookFactory(goal=goal, lead_unit=people.cyfz)
            MilestoneFactory(goal=goal, lead_unit=people.cyfz)

    def fetch():
        response = client.get(reverse("supervision:board") + f"?year=2022&by={by}")
        assert response.status_code == 200
        return response

    grow(N)
    assert_queries_constant(fetch, lambda: grow(4 * N))
    with assert_query_count(f"supervision:board:{by}", BASELINE):
        fetch()


def test_a_run_page_runs_the_same_queries_for_n_and_5n_departments(client, people):
    from shouwei.core.models import Unit

    client.force_login(people.leader)
    departments = list(
        Unit.objects.filter(kind__in=("department", "street"), path__startswith=people.gxq.path)
    )

    def run_with(n):
        scheme = PerformanceSchemeFactory()
        scheme.participants.set(departments[:n])
        SchemeItemFactory(scheme=scheme, weight=100)
        return services.scheme_run(by=people.office, scheme=scheme, as_of=date(2022, 9, 30))

    small, large = run_with(2), run_with(8)
    assert DepartmentScore.objects.filter(run=large).count() == 8

    def counted(run):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(run.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    assert counted(small) == counted(large)
    with assert_query_count("supervision:scorerun_detail:leader", BASELINE):
        client.get(large.get_absolute_url())


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda p: GoalFactory(), "supervision:goal_detail"),
        (lambda p: MilestoneFactory(lead_unit=p.cyfz), "supervision:milestone_detail"),
        (lambda p: SupervisionNoticeFactory(unit=p.cyfz), "supervision:supervisionnotice_detail"),
    ],
)
def test_detail_pages_are_pinned(client, people, make, name):
    obj = make(people)
    client.force_login(people.office)
    with assert_query_count(f"{name}:office", BASELINE):
        assert client.get(obj.get_absolute_url()).status_code == 200
