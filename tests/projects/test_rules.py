"""The scheduling rules, whichever way a figure arrives (service, page, bulk entry)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from shouwei.projects import services
from shouwei.projects.choices import Stage
from shouwei.projects.models import ProgressReport, Project
from shouwei.projects.selectors import behind_q, with_progress

from .conftest import make_project

D = Decimal


def save(project, by, period, ytd, month=None, stage=Stage.CONSTRUCTION, **extra):
    return services.progress_save(
        by=by,
        project=project,
        period=period,
        invested_this_month=D(month if month is not None else ytd),
        invested_ytd=D(ytd),
        stage=stage,
        **extra,
    )


# --- completion and behind plan ---------------------------------------------------------------


def test_completion_rate_is_completed_over_the_annual_plan():
    assert services.completion_rate(completed=D("42.15"), planned=D("50")) == D("0.843")
    assert services.completion_rate(completed=D("1"), planned=None) is None
    assert services.completion_rate(completed=D("1"), planned=D("0")) is None


@pytest.mark.parametrize(
    ("completed", "behind"),
    [("4.00", False), ("3.99", True), ("4.01", False), ("0", True), ("10", False)],
)
def test_behind_plan_at_the_margin_boundary(completed, behind):
    # June: half the year elapsed; the margin 10% puts the line at exactly 40% of the plan.
    assert services.is_behind(completed=D(completed), planned=D("10"), month=6) is behind


def test_the_margin_is_configurable(settings):
    settings.SHOUWEI_PROJECT_BEHIND_MARGIN = "0.20"
    assert services.is_behind(completed=D("3.5"), planned=D("10"), month=6) is False
    assert services.is_behind(completed=D("2.99"), planned=D("10"), month=6) is True


def test_a_project_without_a_plan_is_never_behind():
    assert services.is_behind(completed=D("0"), planned=None, month=12) is False


def test_the_list_filter_applies_the_same_boundary_as_the_rule(zone):
    for i, ytd in enumerate(("4.00", "3.99")):
        p = make_project(zone.cyfz, code=f"b-{i}", start=date(2021, 1, 1))
        save(p, zone.staff_cyfz, "2022-06", ytd)
    qs = with_progress(Project.objects.all(), year=2022, month=6).filter(behind_q(month=6))
    assert list(qs.values_list("code", flat=True)) == ["b-1"]


# --- bad input ----------------------------------------------------------------------------------


def test_negative_investment_is_refused(project, zone):
    with pytest.raises(ValidationError) as exc:
        save(project, zone.staff_cyfz, "2022-04", "-1")
    assert "投资额不能为负数" in str(exc.value)
    assert not ProgressReport.objects.exists()


def test_non_numeric_investment_is_refused_on_the_page(project, zone):
    c = Client()
    c.force_login(zone.staff_cyfz)
    response = c.post(
        reverse("projects:progressreport_add"),
        {
            "project": project.pk,
            "period": "2022-04",
            "invested_this_month": "一亿",
            "invested_ytd": "1",
            "stage": Stage.STARTED,
        },
    )
    assert response.status_code == 400
    assert "invested_this_month" in response.context["form"].errors
    assert not ProgressReport.objects.exists()


def test_year_to_date_lower_than_last_month_is_refused(project, zone):
    save(project, zone.staff_cyfz, "2022-04", "3")
    with pytest.raises(ValidationError) as exc:
        save(project, zone.staff_cyfz, "2022-05", "2.5", month="0")
    assert "低于2022-04" in str(exc.value)
    assert ProgressReport.objects.count() == 1


def test_a_correction_with_a_reason_may_lower_year_to_date(project, zone):
    save(project, zone.staff_cyfz, "2022-04", "3")
    with pytest.raises(ValidationError):
        save(project, zone.staff_cyfz, "2022-05", "2.5", month="0", is_correction=True)
    report = save(
        project,
        zone.staff_cyfz,
        "2022-05",
        "2.5",
        month="0",
        is_correction=True,
        correction_reason="统计局核减 0.5 亿元",
    )
    assert report.invested_ytd == D("2.5")


def test_year_to_date_restarts_in_january(zone):
    p = make_project(zone.cyfz, start=date(2021, 1, 1))
    save(p, zone.staff_cyfz, "2021-12", "9")
    assert save(p, zone.staff_cyfz, "2022-01", "1").invested_ytd == D("1")


def test_a_month_before_the_project_started_is_refused(project, zone):
    with pytest.raises(ValidationError) as exc:
        save(project, zone.staff_cyfz, "2022-02", "1")
    assert "早于项目开工月份2022-03" in str(exc.value)


def test_moving_back_a_stage_needs_a_reason(project, zone):
    save(project, zone.staff_cyfz, "2022-04", "1", stage=Stage.CONSTRUCTION)
    with pytest.raises(ValidationError) as exc:
        save(project, zone.staff_cyfz, "2022-05", "2", stage=Stage.STARTED)
    assert "须说明阶段回退原因" in str(exc.value)
    save(
        project,
        zone.staff_cyfz,
        "2022-05",
        "2",
        stage=Stage.STARTED,
        stage_change_reason="设计变更，主体停工",
    )
    project.refresh_from_db()
    assert project.stage == Stage.STARTED


def test_the_latest_report_sets_the_project_stage(project, zone):
    save(project, zone.staff_cyfz, "2022-05", "2", stage=Stage.CONSTRUCTION)
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION


def test_duplicate_project_codes_are_refused(project, zone):
    c = Client()
    c.force_login(zone.staff_cyfz)
    response = c.post(
        reverse("projects:project_add"),
        {
            "code": project.code,
            "name": "另一个项目",
            "level": "municipal",
            "industry": "C39",
            "total_investment": "1",
            "responsible_unit": zone.cyfz.pk,
            "start_date": "2022-01-01",
            "stage": Stage.RESERVE,
        },
    )
    assert response.status_code == 400
    assert "项目代码已存在" in str(response.context["form"].errors["code"])
    assert Project.objects.count() == 1


def test_an_industry_code_outside_gbt_4754_is_refused(project):
    project.industry = "X999"
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert "GB/T 4754" in str(exc.value)


# --- permissions --------------------------------------------------------------------------------


def test_department_user_cannot_edit_another_departments_project(project, zone):
    c = Client()
    c.force_login(zone.staff_jjhz)
    response = c.post(reverse("projects:project_edit", args=[project.pk]), {"name": "改"})
    # 经济合作局 cannot even see 产业发展局's project: not found, and nothing changed.
    assert response.status_code == 404
    project.refresh_from_db()
    assert project.name != "改"


def test_department_user_cannot_report_progress_for_another_departments_project(
    project, zone, security_log
):
    with pytest.raises(PermissionDenied):
        save(project, zone.staff_jjhz, "2022-04", "1")
    assert "refused change of project" in security_log.text and "staff_jjhz" in security_log.text
    assert not ProgressReport.objects.exists()


def test_a_leader_who_sees_a_project_is_refused_its_edit_and_logged(project, zone, security_log):
    c = Client()
    c.force_login(zone.leader)
    assert c.get(reverse("projects:project_detail", args=[project.pk])).status_code == 200
    response = c.post(reverse("projects:project_edit", args=[project.pk]), {"name": "改"})
    assert response.status_code == 403
    assert "refused change of project" in security_log.text


def test_a_department_sees_only_its_own_projects(project, zone):
    other = make_project(zone.jjhz, code="test-002")
    assert list(Project.objects.visible_to(zone.staff_cyfz)) == [project]
    assert set(Project.objects.visible_to(zone.leader)) == {project, other}
    assert list(ProgressReport.objects.visible_to(zone.staff_jjhz)) == []


def test_the_bulk_entry_saves_all_rows_or_none(zone):
    a = make_project(zone.cyfz, code="a-1", start=date(2021, 1, 1))
    b = make_project(zone.cyfz, code="a-2", start=date(2021, 1, 1))
    save(b, zone.staff_cyfz, "2022-05", "5")
    c = Client()
    c.force_login(zone.staff_cyfz)
    url = reverse("projects:progress_entry") + "?period=2022-06"

    def row(p, ytd):
        return {
            f"p{p.pk}-invested_this_month": "1",
            f"p{p.pk}-invested_ytd": ytd,
            f"p{p.pk}-stage": Stage.CONSTRUCTION,
        }

    bad = c.post(url, {**row(a, "2"), **row(b, "4")})  # b: 4 < May's 5
    assert bad.status_code == 400
    assert not ProgressReport.objects.filter(period="2022-06").exists()
    good = c.post(url, {**row(a, "2"), **row(b, "6")})
    assert good.status_code == 302
    assert ProgressReport.objects.filter(period="2022-06").count() == 2
