"""资金来源 and 专项债券: the bond's stages in order, spending progress, idle bonds, and the
year's sources against the annual plan."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shouwei.core.services import record_create
from shouwei.projects.choices import FundingKind
from shouwei.projects.models import FundingSource

from .conftest import login, make_project

D = Decimal


def fund(zone, project, kind=FundingKind.BOND, amount="4", **fields):
    return record_create(
        FundingSource,
        by=zone.staff_cyfz,
        project=project,
        year=2022,
        kind=kind,
        amount=D(amount),
        **fields,
    )


def bond(**stages):
    return {k: D(v) if k.endswith("amount") else v for k, v in stages.items()}


def test_bond_spending_above_issued_is_refused(zone, project):
    with pytest.raises(ValidationError) as exc:
        fund(zone, project, **bond(issued_amount="3", spent_amount="3.5"))
    assert "支出金额3.5亿元超过发行金额3亿元" in str(exc.value.message_dict["spent_amount"])
    assert not FundingSource.objects.exists()


def test_bond_stages_cannot_grow_or_go_back_in_time(zone, project):
    with pytest.raises(ValidationError) as exc:
        fund(
            zone,
            project,
            **bond(
                approved_amount="4",
                approved_on=date(2022, 3, 1),
                issued_amount="5",
                issued_on=date(2022, 2, 1),
            ),
        )
    assert set(exc.value.message_dict) >= {"issued_amount", "issued_on"}


def test_spending_without_an_issue_is_refused(zone, project):
    with pytest.raises(ValidationError, match="债券尚未发行"):
        fund(zone, project, **bond(spent_amount="1"))


def test_bond_stages_belong_to_bonds_only(zone, project):
    with pytest.raises(ValidationError) as exc:
        fund(zone, project, kind=FundingKind.LOAN, **bond(issued_amount="1"))
    assert "issued_amount" in exc.value.message_dict


def test_a_source_is_written_with_its_author_and_spending_progress(zone, project):
    source = fund(zone, project, **bond(issued_amount="4", spent_amount="1"))
    assert source.spending_rate == D("0.25") and source.idle == D("3")
    assert source.history.first().history_user == zone.staff_cyfz


def test_another_departments_project_is_refused(zone, project):
    with pytest.raises(PermissionDenied):
        record_create(
            FundingSource,
            by=zone.staff_jjhz,
            project=project,
            year=2022,
            kind=FundingKind.FISCAL,
            amount=D("1"),
        )


def test_the_board_lists_idle_bonds_and_sources_that_do_not_add_up(zone, project):
    fund(zone, project, **bond(issued_amount="4", spent_amount="1"))  # plan 10, sources 4
    spent = make_project(zone.cyfz, code="test-002", plan="4")
    fund(zone, spent, **bond(issued_amount="4", spent_amount="4"))  # all spent, adds up
    page = login(zone.leader).get(reverse("projects:funding_board"), {"year": "2022"})
    assert [b.project for b in page.context["bonds"]] == [project]
    assert page.context["bonds"][0].idle_amount == D("3")
    balances = page.context["balances"]
    assert [(b.project, b.difference) for b in balances] == [(project, D("-6"))]


def test_the_project_page_says_by_how_much_the_sources_miss_the_plan(zone, project):
    fund(zone, project, amount="4")
    fund(zone, project, kind=FundingKind.SELF, amount="5")
    page = login(zone.leader).get(project.get_absolute_url(), {"period": "2022-06"})
    assert page.context["funding_balance"].difference == D("-1")
    assert "资金缺口" in page.content.decode()
