"""Importing goals and milestones: the same rules and contract as the pages."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from shouwei.imports.engine import format_error
from shouwei.imports.registry import get_importer
from shouwei.imports.services import batch_commit, batch_upload
from shouwei.supervision.models import Goal, Milestone
from tests.factories import GoalFactory
from tests.imports.helpers import csv_bytes

GOALS = ["单位代码", "年度", "目标编号", "目标", "来源", "责任领导", "对应指标目标", "说明"]
MILESTONES = [
    "目标所属单位代码",
    "年度",
    "目标编号",
    "节点",
    "交付成果",
    "完成时限",
    "权重",
    "责任部门代码",
]
MEETING = "7月29日上半年经济形势分析暨下半年经济工作部署会"


def run(key, headers, rows, user):
    batch = batch_upload(
        importer=get_importer(key),
        content=csv_bytes(rows, headers),
        filename="t.csv",
        user=user,
        inline=True,
    )
    return batch, [format_error(e) for e in batch.errors]


def test_goals_import_with_their_target_and_update(people):
    rows = [
        [
            "hy-gxq",
            "2022",
            "x1",
            "地区生产总值增速争全市榜首",
            MEETING,
            "管委会负责人",
            "地区生产总值增速排名",
            "",
        ]
    ]
    batch, errors = run("supervision-goals", GOALS, rows, people.office)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=people.office, inline=True)
    goal = Goal.objects.get(code="x1")
    assert goal.target.indicator.code == "gdp"
    rows[0][3] = "GDP增速全市第一"
    batch, errors = run("supervision-goals", GOALS, rows, people.office)
    batch_commit(batch=batch, user=people.office, inline=True)
    assert Goal.objects.get(code="x1").title == "GDP增速全市第一"


def test_a_goal_naming_an_unknown_target_is_refused(people):
    rows = [["hy-gxq", "2022", "x2", "t", MEETING, "l", "没有这个目标", ""]]
    batch, errors = run("supervision-goals", GOALS, rows, people.office)
    assert batch.status == "invalid"
    assert any("没有名为“没有这个目标”的指标目标" in e for e in errors)


def test_a_department_cannot_import_goals(people):
    rows = [["hy-gxq", "2022", "x3", "t", MEETING, "l", "", ""]]
    with pytest.raises(PermissionDenied):
        run("supervision-goals", GOALS, rows, people.clerk)
    assert not Goal.objects.filter(code="x3").exists()


def test_milestones_import_and_one_due_after_the_goals_year_fails_the_file(people):
    GoalFactory(code="g09")
    rows = [
        ["hy-gxq", "2022", "g09", "8月外贸破零", "报关单", "2022-08-31", "1", "hy-zbq"],
        ["hy-gxq", "2022", "g09", "全年1亿元", "海关数据", "2023-01-10", "2", "hy-zbq"],
    ]
    batch, errors = run("supervision-milestones", MILESTONES, rows, people.office)
    assert batch.status == "invalid"
    assert any("晚于目标年度 2022 年" in e for e in errors)
    batch, errors = run("supervision-milestones", MILESTONES, rows[:1], people.office)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=people.office, inline=True)
    assert Milestone.objects.get(title="8月外贸破零").due == date(2022, 8, 31)


def test_a_milestone_for_an_unknown_goal_is_refused(people):
    rows = [["hy-gxq", "2022", "nope", "x", "y", "2022-08-31", "1", "hy-zbq"]]
    _batch, errors = run("supervision-milestones", MILESTONES, rows, people.office)
    assert any("编号“nope”的目标" in e for e in errors)
