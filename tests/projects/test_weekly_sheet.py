"""周调度 sheet: command and one-click download, opened with openpyxl."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook


def test_the_weekly_command_writes_the_sheet_with_the_facts_totals(demo, tmp_path):
    out = tmp_path / "out.xlsx"
    call_command(
        "report", "weekly-projects", "--unit", "hy-gxq", "--week", "2022-W30", "-o", str(out)
    )
    book = load_workbook(out)
    sheet = book["周调度"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[3]
    assert header[:3] == ("序号", "项目代码", "项目名称")
    data = rows[4:-1]
    total = rows[-1]
    assert len(data) == 49
    assert total[0] == "合计" and total[2] == "49个项目"
    assert Decimal(str(total[7])).quantize(Decimal("0.01")) == Decimal("124.26")
    assert Decimal(str(total[8])).quantize(Decimal("0.01")) == Decimal("97.92")  # 42.15 + 55.77
    assert "2022年6月" in rows[1][0]
    first = dict(zip(header, data[0], strict=True))
    assert first["项目名称"] in {"衡山科学城信息技术产业园", "衡州大道数字经济走廊"}
    assert first["完成率"] == pytest.approx(0.843)
    assert first["当前阶段"] == "在建"
    problems = list(book["逾期问题"].iter_rows(values_only=True))
    # Open problems with a deadline before Sunday 2022-07-31: 06-30, 07-15 and 06-15.
    assert len(problems[3:]) == 3
    assert all(row[4] > 0 for row in problems[3:])


def test_a_department_downloads_only_its_projects(client_for, demo):
    response = client_for("staff_cyfz").get(reverse("projects:weekly_sheet"), {"week": "2022-W30"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["周调度"]
    departments = {r[4] for r in list(sheet.iter_rows(values_only=True))[4:-1]}
    assert departments == {"衡阳高新区产业发展局"}


def test_a_bad_week_is_a_clear_message(demo, tmp_path):
    with pytest.raises(CommandError, match="无法识别的周"):
        call_command(
            "report",
            "weekly-projects",
            "--unit",
            "hy-gxq",
            "--week",
            "30",
            "-o",
            str(tmp_path / "x"),
        )
    with pytest.raises(CommandError, match="还没有任何项目填报"):
        call_command(
            "report",
            "weekly-projects",
            "--unit",
            "hy-gxq",
            "--week",
            "2021-W30",
            "-o",
            str(tmp_path / "x"),
        )


def _sheet(client, week="2022-W30"):
    response = client.get(reverse("projects:weekly_sheet"), {"week": week})
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content))["周调度"].iter_rows(values_only=True))


def test_the_sheet_says_which_month_each_projects_figures_are_from(client_for, demo):
    from shouwei.projects import services
    from shouwei.projects.choices import HEADLINE_LEVELS
    from shouwei.projects.models import ProgressReport, Project

    # Two departments' projects reported July; the other 47 still carry June (the sheet holds
    # the 省、市重点 only).
    for project in Project.objects.filter(level__in=HEADLINE_LEVELS).order_by("code")[:2]:
        june = ProgressReport.objects.get(project=project, period="2022-06")
        services.progress_save(
            by=demo["admin"],
            project=project,
            period="2022-07",
            invested_this_month=Decimal("0.10"),
            invested_ytd=june.invested_ytd + Decimal("0.10"),
            stage=june.stage,
        )
    rows = _sheet(client_for("leader"))
    note = rows[1][0]
    assert "截至2022年7月；" not in note  # not one month for all
    assert "2个项目截至2022年7月" in note and "47个项目截至2022年6月" in note
    header = rows[3]
    months = [dict(zip(header, r, strict=True))["数据月份"] for r in rows[4:-1]]
    assert sorted(set(months)) == ["2022年6月", "2022年7月"] and months.count("2022年7月") == 2


def test_when_every_project_is_at_one_month_the_sheet_names_it(client_for, demo):
    rows = _sheet(client_for("leader"))
    assert rows[1][0].startswith("投资数据截至2022年6月；")
    header = rows[3]
    behind = {dict(zip(header, r, strict=True))["滞后于计划"] for r in rows[4:-1]}
    assert behind <= {"是", "否"}
