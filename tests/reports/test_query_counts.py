"""Query counts of the reports pages: pinned to tests/reports/query_counts.json, and the same
with N reports as with 5N (no query per row)."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from shouwei.core.choices import Role
from shouwei.core.testing import assert_queries_constant, assert_query_count
from shouwei.reports.models import Report
from tests.factories import RoleFactory, UnitFactory, UserFactory

BASELINE = Path(__file__).with_name("query_counts.json")
N = 4

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    root = UnitFactory(code="qc-root", name="根单位")
    leader = RoleFactory(user=UserFactory(username="qc-leader"), unit=root, role=Role.LEADER).user
    c = Client()
    c.force_login(leader)
    return root, leader, c


def _add(root, user, n):
    for i in range(n):
        Report.objects.create(
            kind="half-year", unit=root, period="2022H1", built_by=user, title=f"报告{i}"
        )


def test_the_report_list_runs_the_same_queries_for_more_reports(setting):
    root, leader, c = setting
    _add(root, leader, N)
    url = reverse("reports:report_list")
    assert_queries_constant(lambda: c.get(url), lambda: _add(root, leader, 4 * N))
    with assert_query_count("report_list.leader", BASELINE):
        assert c.get(url).status_code == 200


def test_the_report_page_runs_a_fixed_number_of_queries(build, client_for):
    report = build()
    c = client_for("leader")
    with assert_query_count("report_detail.leader", BASELINE):
        assert c.get(report.get_absolute_url()).status_code == 200
