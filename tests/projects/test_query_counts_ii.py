"""Query counts of issue 15's pages: pinned to tests/projects/query_counts.json, and the same
with N rows (projects, units, procedures, sources) as with 5N."""

from datetime import date
from decimal import Decimal
from itertools import count
from pathlib import Path

import pytest
from django.urls import reverse

from shouwei.core.choices import UnitKind
from shouwei.core.testing import assert_queries_constant, assert_query_count
from shouwei.projects import services
from shouwei.projects.models import (
    CallRow,
    FundingSource,
    Procedure,
    RollingPlan,
    SchedulingCall,
    Stoppage,
)
from tests.factories import UnitFactory

from .conftest import login, make_project, make_report

BASELINE = Path(__file__).with_name("query_counts.json")
N = 3
_seq = count(1)


@pytest.fixture
def call(zone):
    make_project(zone.cyfz, code="qc-seed")
    return services.call_issue(
        by=zone.staff_cyfz,
        issuing_unit=zone.gxq,
        period_kind="week",
        period="2022-W30",
        deadline=date(2022, 7, 29),
    )


def grow_call(zone, call, n):
    """n more projects, each of a new department of the zone, asked by the call, half answered."""
    for _ in range(n):
        i = next(_seq)
        dept = UnitFactory(parent=zone.gxq, kind=UnitKind.DEPARTMENT, code=f"qc-dept-{i}")
        project = make_project(dept, code=f"qc-{i:03d}")
        report = make_report(project, "2022-07", "1") if i % 2 else None
        CallRow.objects.create(
            call=call,
            project=project,
            unit=dept,
            report=report,
            answered_at=call.issued_at if report else None,
            answered_on=date(2022, 7, 28) if report else None,
        )


def grow_cyfz_call(zone, call, n):
    """n more of 产业发展局's projects in the call (its entry screen grows)."""
    for _ in range(n):
        project = make_project(zone.cyfz, code=f"qc-cy-{next(_seq):03d}")
        make_report(project, "2022-06", "1")
        CallRow.objects.create(call=call, project=project, unit=zone.cyfz)


def grow_children(zone, n):
    for _ in range(n):
        project = make_project(zone.cyfz, code=f"qc-ch-{next(_seq):03d}")
        Procedure.objects.create(project=project, kind="energy", planned_on=date(2022, 1, 1))
        Procedure.objects.create(
            project=project, kind="custom", name="消防", done_on=date(2022, 2, 1)
        )
        FundingSource.objects.create(
            project=project,
            year=2022,
            kind="bond",
            amount=Decimal("2"),
            issued_amount=Decimal("2"),
            spent_amount=Decimal("1"),
        )
        RollingPlan.objects.create(
            project=project,
            base_year=2022,
            year1=Decimal("10"),
            year2=Decimal("1"),
            year3=Decimal("1"),
        )
        Stoppage.objects.create(project=project, stopped_on=date(2022, 5, 1), reason="资金")


def _fetch(client, url):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    return fetch


CALL_PAGES = {
    "projects:schedulingcall_detail": lambda call: reverse(
        "projects:schedulingcall_detail", args=[call.pk]
    ),
    "projects:call_sheet": lambda call: reverse("projects:call_sheet", args=[call.pk]),
    "projects:schedulingcall_list": lambda call: reverse("projects:schedulingcall_list"),
    "projects:call_todo": lambda call: reverse("projects:call_todo"),
}


@pytest.mark.parametrize(
    "url_name, viewer",
    # The 待办 page is a clerk's (the leader answers no rows).
    [
        (u, v)
        for u in sorted(CALL_PAGES)
        for v in ("leader", "staff_cyfz")
        if (u, v) != ("projects:call_todo", "leader")
    ],
)
def test_call_pages_run_the_same_queries_for_n_and_5n_units(zone, call, url_name, viewer):
    fetch = _fetch(login(getattr(zone, viewer)), CALL_PAGES[url_name](call))
    grow_call(zone, call, N)
    assert_queries_constant(fetch, lambda: grow_call(zone, call, 4 * N))
    with assert_query_count(f"{url_name}:{viewer}", BASELINE):
        fetch()


def test_the_call_entry_screen_runs_the_same_queries_for_n_and_5n_rows(zone, call):
    fetch = _fetch(login(zone.staff_cyfz), reverse("projects:progress_entry") + f"?call={call.pk}")
    grow_cyfz_call(zone, call, N)
    assert_queries_constant(fetch, lambda: grow_cyfz_call(zone, call, 4 * N))
    with assert_query_count("projects:progress_entry:call:staff_cyfz", BASELINE):
        fetch()


CHILD_PAGES = (
    "projects:procedure_list",
    "projects:procedure_board",
    "projects:fundingsource_list",
    "projects:funding_board",
    "projects:rollingplan_list",
    "projects:stoppage_list",
)


@pytest.mark.parametrize("viewer", ["leader", "staff_cyfz"])
@pytest.mark.parametrize("url_name", CHILD_PAGES)
def test_lists_and_boards_run_the_same_queries_for_n_and_5n_projects(zone, url_name, viewer):
    url = reverse(url_name) + ("?all=1" if url_name == "projects:procedure_board" else "")
    fetch = _fetch(login(getattr(zone, viewer)), url)
    grow_children(zone, N)
    assert_queries_constant(fetch, lambda: grow_children(zone, 4 * N))
    with assert_query_count(f"{url_name}:{viewer}", BASELINE):
        fetch()


def test_the_project_page_runs_the_same_queries_for_n_and_5n_procedures(zone, project):
    def more(n):
        for _ in range(n):
            i = next(_seq)
            Procedure.objects.create(project=project, kind="custom", name=f"手续{i}")
            FundingSource.objects.create(
                project=project, year=3000 + i, kind="fiscal", amount=Decimal("1")
            )
            RollingPlan.objects.create(
                project=project,
                base_year=3000 + i,
                year1=Decimal("1"),
                year2=Decimal("1"),
                year3=Decimal("1"),
            )

    # The year shown has sources too, so the balance against its plan is read every time.
    FundingSource.objects.create(project=project, year=2022, kind="self", amount=Decimal("4"))
    fetch = _fetch(login(zone.leader), project.get_absolute_url() + "?period=2022-06")
    more(N)
    assert_queries_constant(fetch, lambda: more(4 * N))
    with assert_query_count("projects:project_detail:ii:leader", BASELINE):
        fetch()
    assert SchedulingCall.objects.count() == 0
