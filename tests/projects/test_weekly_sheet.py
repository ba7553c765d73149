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
