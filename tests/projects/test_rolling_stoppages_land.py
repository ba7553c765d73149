"""The rolling three-year plan, stoppages (停工/复工) and land."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from shouwei.core.services import record_create, record_update
from shouwei.projects import services
from shouwei.projects.choices import LandStatus
from shouwei.projects.models import RollingPlan, Stoppage

from .conftest import login, make_report

D = Decimal


def plan(zone, project, base_year=2022, year1="10", **extra):
    return services.rolling_plan_create(
        by=zone.staff_cyfz,
        project=project,
        base_year=base_year,
        year1=D(year1),
        year2=D(extra.pop("year2", "12")),
        year3=D(extra.pop("year3", "8")),
        **extra,
    )


def test_a_rolling_plan_whose_current_year_differs_from_the_annual_plan_needs_a_note(zone, project):
    with pytest.raises(ValidationError) as exc:
        plan(zone, project, year1="9")  # the annual plan of 2022 is 10
    assert "与2022年度计划10.00亿元不一致" in str(exc.value.message_dict["note"])
    assert not RollingPlan.objects.exists()
    kept = plan(zone, project, year1="9", note="年中调减，年度计划待调整")
    assert kept.history.first().history_user == zone.staff_cyfz


def test_rolling_forward_keeps_the_previous_plan(zone, project):
    first = plan(zone, project)
    plan(zone, project, base_year=2023, year1="12", year2="8", year3="3")
    page = login(zone.staff_cyfz).get(project.get_absolute_url())
    assert [p.base_year for p in page.context["rolling_plans"]] == [2023, 2022]
    assert RollingPlan.objects.get(pk=first.pk).year2 == D("12")
    with pytest.raises(ValidationError, match="已编制滚动计划"):
        plan(zone, project, base_year=2023, year1="1")


def test_the_project_page_rolls_forward_and_starts_next_years_plan_from_it(zone, project):
    plan(zone, project)
    body = login(zone.staff_cyfz).get(project.get_absolute_url()).content.decode()
    assert f"?project={project.pk}&amp;base_year=2023&amp;year1=12.00&amp;year2=8.00" in body
    assert f"?project={project.pk}&amp;year=2023&amp;planned_investment=12.00" in body


def stop(zone, project, **fields):
    return record_create(
        Stoppage,
        by=zone.staff_cyfz,
        project=project,
        stopped_on=fields.pop("stopped_on", date(2022, 6, 1)),
        reason=fields.pop("reason", "资金未到位"),
        **fields,
    )


def test_a_stopped_project_says_so_instead_of_only_behind_plan(zone, project):
    make_report(project, "2022-06", "1")  # 1 of 10 at June: behind plan
    stop(zone, project)
    page = login(zone.leader).get(project.get_absolute_url(), {"period": "2022-06"})
    assert page.context["standing"]["behind"]
    body = page.content.decode()
    assert "停工（2022-06-01 起）" in body and "完成率落后于时间进度是因为停工" in body


def test_the_weekly_sheet_says_stopped(zone, project):
    make_report(project, "2022-06", "1")
    stop(zone, project)
    response = login(zone.leader).get(reverse("projects:weekly_sheet"), {"week": "2022-W26"})
    sheet = load_workbook(BytesIO(response.content))["周调度"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in values if r[0] == "序号")
    row = next(r for r in values if r[1] == project.code)
    assert dict(zip(header, row, strict=True))["滞后于计划"] == "停工"


def test_a_resumption_before_the_stop_is_refused_and_one_open_stop_at_a_time(zone, project):
    with pytest.raises(ValidationError, match="复工日期不能早于停工日期"):
        stop(zone, project, resumed_on=date(2022, 5, 1))
    open_stop = stop(zone, project)
    with pytest.raises(ValidationError, match="请先登记复工"):
        stop(zone, project, stopped_on=date(2022, 7, 1))
    record_update(by=zone.staff_cyfz, instance=open_stop, resumed_on=date(2022, 7, 10))
    page = login(zone.leader).get(project.get_absolute_url())
    assert page.context["stoppage"] is None


def test_land_is_recorded_on_the_project(zone, project):
    record_update(
        by=zone.staff_cyfz,
        instance=project,
        land_area_mu=D("120.5"),
        land_status=LandStatus.PARTIAL,
    )
    body = login(zone.leader).get(project.get_absolute_url()).content.decode()
    assert "120.50" in body and "部分供地" in body
    with pytest.raises(ValidationError):
        record_update(by=zone.staff_cyfz, instance=project, land_area_mu=D("-1"))
