"""Importers of issue 15 (前期手续, 资金来源, 滚动计划): the pages' rules, all or nothing."""

from datetime import date
from decimal import Decimal

from shouwei.imports.services import batch_commit
from shouwei.projects.models import FundingSource, Procedure, RollingPlan

from .test_imports_and_api import run

PROCEDURES = ["项目代码", "手续", "手续名称", "实际办结日期", "顺序说明"]
FUNDING = [
    "项目代码",
    "年度",
    "资金来源",
    "本年安排（亿元）",
    "发行金额（亿元）",
    "支出金额（亿元）",
]
ROLLING = [
    "项目代码",
    "编制年度",
    "当年计划（亿元）",
    "次年计划（亿元）",
    "第三年计划（亿元）",
    "说明",
]


def test_procedures_out_of_order_in_one_file_are_refused_without_a_note(zone, project):
    rows = [
        [project.code, "规划许可", "", "2022-05-10", ""],
        [project.code, "施工许可", "", "2022-04-01", ""],
    ]
    batch, errors = run("project-procedures", PROCEDURES, rows, zone.staff_cyfz)
    assert batch.status == "invalid"
    assert any("施工许可（2022-04-01）早于其前置手续规划许可" in e for e in errors)
    assert not Procedure.objects.exists()
    rows[1][4] = "容缺受理"
    batch, errors = run("project-procedures", PROCEDURES, rows, zone.staff_cyfz)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    assert Procedure.objects.get(kind="construction").done_on == date(2022, 4, 1)


def test_procedures_of_another_departments_project_are_refused(zone, project):
    batch, errors = run(
        "project-procedures", PROCEDURES, [[project.code, "环评", "", "", ""]], zone.staff_jjhz
    )
    assert batch.status == "invalid" and any("无权" in e for e in errors)


def test_funding_spent_above_issued_is_refused(zone, project):
    rows = [[project.code, "2022", "专项债券", "4", "3", "3.5"]]
    batch, errors = run("project-funding", FUNDING, rows, zone.staff_cyfz)
    assert batch.status == "invalid"
    assert any("超过发行金额" in e for e in errors)
    rows[0][5] = "1"
    batch, errors = run("project-funding", FUNDING, rows, zone.staff_cyfz)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    assert FundingSource.objects.get().idle == Decimal("2")


def test_a_rolling_plan_import_needs_a_note_when_it_differs_from_the_annual_plan(zone, project):
    rows = [[project.code, "2022", "9", "12", "8", ""]]  # the annual plan of 2022 is 10
    batch, errors = run("project-rolling-plans", ROLLING, rows, zone.staff_cyfz)
    assert batch.status == "invalid" and any("不一致" in e for e in errors)
    rows[0][5] = "年中调减"
    batch, errors = run("project-rolling-plans", ROLLING, rows, zone.staff_cyfz)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    assert RollingPlan.objects.get().year1 == Decimal("9")
