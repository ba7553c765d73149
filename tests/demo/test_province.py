"""`loaddemo --scale province`'s generators, at the tiny size (the full size is for benchmarks/)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shouwei.demo import province
from shouwei.demo.bulk import PartialData
from shouwei.enterprises import demo_scale as gen_enterprises
from shouwei.enterprises.models import Enterprise, LiaisonAssignment, Request
from shouwei.enterprises.uscc import validate_uscc
from shouwei.investment.models import Contract, Lead
from shouwei.projects.models import AnnualPlan, ProgressReport, Project
from shouwei.supervision.models import Goal, Milestone

TINY = province.SIZES["tiny"]


def synthetic_enterprises():
    return Enterprise.objects.filter(name__startswith=gen_enterprises.NAME_PREFIX)


def synthetic_requests():
    return Request.objects.filter(description__startswith=gen_enterprises.REQUEST_PREFIX)


def snapshot():
    """Every generated row by its natural key, without primary keys."""
    return {
        "enterprises": list(
            synthetic_enterprises()
            .order_by("uscc")
            .values_list(
                "uscc", "industry", "scale", "is_key", "street__code", "liaison_unit__code"
            )
        ),
        "requests": list(
            synthetic_requests()
            .order_by("description")
            .values_list(
                "description", "enterprise__uscc", "category", "status", "filed_on", "due_on"
            )
        ),
        "reports": list(
            ProgressReport.objects.filter(project__code__startswith="syn-")
            .order_by("project__code", "period")
            .values_list("project__code", "period", "invested_ytd", "next_period")
        ),
        "leads": list(
            Lead.objects.filter(project_name__startswith="模拟招商项目")
            .order_by("project_name")
            .values_list("project_name", "stage", "lead_on", "planned_investment")
        ),
        "milestones": list(
            Milestone.objects.filter(goal__code__startswith="syn-goal-")
            .order_by("goal__unit__code", "due")
            .values_list("goal__unit__code", "due", "completed_on")
        ),
    }


@pytest.mark.django_db
def test_the_tiny_size_writes_the_expected_rows_for_every_app(demo):
    report = province.generate(scale="tiny", seed=7)

    assert report["indicators"]["observations"] == TINY.units * TINY.indicators * TINY.months
    assert synthetic_enterprises().count() == TINY.enterprises
    assert synthetic_requests().count() == TINY.requests
    assert LiaisonAssignment.objects.filter(enterprise__in=synthetic_enterprises()).count() == (
        synthetic_enterprises().filter(is_key=True).count()
    )
    projects = Project.objects.filter(code__startswith="syn-")
    assert projects.count() == TINY.projects
    assert AnnualPlan.objects.filter(project__in=projects).count() == TINY.projects * 3
    assert ProgressReport.objects.filter(project__in=projects).count() == TINY.projects * 36
    # The last report of each project has no next one; every other names the next month.
    assert ProgressReport.objects.filter(project__in=projects, next_period=None).count() == (
        TINY.projects
    )
    leads = Lead.objects.filter(project_name__startswith="模拟招商项目")
    assert leads.count() == TINY.leads
    assert Contract.objects.filter(lead__in=leads).count() == (
        leads.filter(stage__in=("signed", "registered", "started")).count()
    )
    assert Goal.objects.filter(code__startswith="syn-goal-").count() == TINY.units * 3
    assert Milestone.objects.filter(goal__code__startswith="syn-goal-").count() == (
        TINY.units * 3 * 4
    )
    assert report["enterprises"] == {
        "enterprises": TINY.enterprises,
        "assignments": synthetic_enterprises().filter(is_key=True).count(),
        "requests": TINY.requests,
        "seconds": report["enterprises"]["seconds"],
        "cpu_seconds": report["enterprises"]["cpu_seconds"],
    }


@pytest.mark.django_db
def test_every_generated_uscc_passes_the_gb_32100_check(demo):
    province.generate(scale="tiny", only=["enterprises"])

    codes = list(synthetic_enterprises().values_list("uscc", flat=True))
    assert len(codes) == TINY.enterprises
    assert [validate_uscc(c) for c in codes] == codes


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows(demo):
    apps = ["enterprises", "projects", "investment", "goals"]
    province.generate(scale="tiny", seed=3, only=apps)
    first = snapshot()
    # Children first: a raw delete does not cascade.
    for rows in (
        synthetic_requests(),
        LiaisonAssignment.objects.filter(enterprise__in=synthetic_enterprises()),
        synthetic_enterprises(),
        ProgressReport.objects.filter(project__code__startswith="syn-"),
        AnnualPlan.objects.filter(project__code__startswith="syn-"),
        Project.objects.filter(code__startswith="syn-"),
        Contract.objects.filter(lead__project_name__startswith="模拟招商项目"),
        Lead.objects.filter(project_name__startswith="模拟招商项目"),
        Milestone.objects.filter(goal__code__startswith="syn-goal-"),
        Goal.objects.filter(code__startswith="syn-goal-"),
    ):
        rows._raw_delete(rows.db)

    province.generate(scale="tiny", seed=3, only=apps)
    assert snapshot() == first
    assert all(first.values())


@pytest.mark.django_db
def test_a_different_seed_gives_different_rows(demo):
    province.generate(scale="tiny", seed=3, only=["enterprises"])
    first = snapshot()["requests"]
    synthetic_requests()._raw_delete(Request.objects.db)

    province.generate(scale="tiny", seed=4, only=["enterprises"])

    assert snapshot()["requests"] != first


@pytest.mark.django_db
def test_a_second_run_skips_what_exists_and_a_run_of_another_size_refuses(demo):
    province.generate(scale="tiny")

    again = province.generate(scale="tiny")

    assert again["enterprises"]["enterprises"] == again["enterprises"]["requests"] == 0
    assert again["projects"]["projects"] == again["investment"]["leads"] == 0
    assert again["goals"]["goals"] == again["indicators"]["observations"] == 0
    assert synthetic_requests().count() == TINY.requests
    with pytest.raises(PartialData, match="已有 40 条模拟企业"):
        province.generate(scale="city", only=["enterprises"])
    # Refused before writing anything.
    assert synthetic_enterprises().count() == TINY.enterprises


@pytest.mark.django_db
def test_the_command_refuses_a_partial_run_and_unknown_apps_clearly(demo):
    province.generate(scale="tiny", only=["investment"])
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="模拟招商线索"):
        call_command("loaddemo", "--scale", "city", "--only", "investment", stdout=out, stderr=err)
    with pytest.raises(CommandError, match="--only"):
        call_command("loaddemo", "--scale", "tiny", "--only", "nonsense", stdout=out)
    with pytest.raises(CommandError, match="--months"):
        call_command("loaddemo", "--scale", "tiny", "--months", "121", stdout=out)


@pytest.mark.django_db
def test_the_command_draws_a_progress_bar_and_reports_each_app(demo):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "loaddemo",
        "--scale",
        "tiny",
        "--seed",
        "5",
        "--only",
        "enterprises,goals",
        stdout=out,
        stderr=err,
    )

    assert "enterprises: {" in out.getvalue() and "goals: {" in out.getvalue()
    assert "projects: {" not in out.getvalue()
    assert "requests" in err.getvalue() and "100%" in err.getvalue()
    assert synthetic_enterprises().count() == TINY.enterprises


@pytest.mark.django_db
def test_the_progress_bar_follows_the_observations_and_their_ranks_too(demo):
    out, err = io.StringIO(), io.StringIO()

    call_command("loaddemo", "--scale", "tiny", "--only", "indicators", stdout=out, stderr=err)

    assert "observations" in err.getvalue() and "stored ranks" in err.getvalue()
    assert "indicators: {" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("leader", "enterprises:desk"),
        ("staff_cyfz", "enterprises:desk"),
        ("leader", "enterprises:coverage"),
        ("leader", "enterprises:figures"),
    ],
)
def test_the_request_desk_and_coverage_pages_work_on_the_generated_rows(client_for, username, url):
    province.generate(scale="tiny", only=["enterprises"])
    client = client_for(username)

    response = client.get(reverse(url))

    assert response.status_code == 200
    if url == "enterprises:desk" and username == "leader":
        assert "模拟企业" in response.content.decode()
