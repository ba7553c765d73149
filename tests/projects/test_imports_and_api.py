"""Importers (shared framework) and the API: same rules and scope as the pages."""

from datetime import date
from decimal import Decimal

from django.test import Client

from shouwei.core.models import ApiToken
from shouwei.imports.engine import format_error
from shouwei.imports.registry import get_importer
from shouwei.imports.services import batch_commit, batch_upload
from shouwei.projects.models import AnnualPlan, ProgressReport, Project
from tests.imports.helpers import csv_bytes

from .conftest import make_project

PLAN = ["项目代码", "年度", "年度计划投资（亿元）", "年度形象进度目标"]
PROGRESS = ["项目代码", "月份", "当月完成投资（亿元）", "年初至今完成投资（亿元）", "阶段"]


def run(key, headers, rows, user):
    batch = batch_upload(
        importer=get_importer(key),
        content=csv_bytes(rows, headers),
        filename="t.csv",
        user=user,
        inline=True,
    )
    return batch, [format_error(e) for e in batch.errors]


def test_a_plan_for_an_unknown_project_code_is_refused(zone, project):
    batch, errors = run("project-plans", PLAN, [["nope-1", "2022", "5", ""]], zone.staff_cyfz)
    assert batch.status == "invalid"
    assert any("项目代码“nope-1”不存在" in e for e in errors)


def test_plans_import_and_update_all_or_nothing(zone, project):
    rows = [[project.code, "2022", "12.5", "主体封顶"], [project.code, "2023", "-1", ""]]
    batch, errors = run("project-plans", PLAN, rows, zone.staff_cyfz)
    assert batch.status == "invalid" and any("不能为负数" in e for e in errors)
    assert AnnualPlan.objects.get(project=project, year=2022).planned_investment == Decimal("10")
    batch, errors = run("project-plans", PLAN, rows[:1], zone.staff_cyfz)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    assert AnnualPlan.objects.get(project=project, year=2022).planned_investment == Decimal("12.5")


def test_progress_import_applies_the_month_before_rules(zone, project):
    rows = [
        [project.code, "2022-02", "1", "1", "开工"],  # before the 2022-03 start
        [project.code, "2022-04", "1", "3", "在建"],
        [project.code, "2022-05", "0", "2", "在建"],  # lower than April in the same file
        [project.code, "2022-06", "一", "2", "开工"],  # not a number
    ]
    _batch, errors = run("project-progress", PROGRESS, rows, zone.staff_cyfz)
    text = "\n".join(errors)
    assert "早于项目开工月份" in text
    assert "低于2022-04" in text
    assert "不是数字" in text
    assert not ProgressReport.objects.exists()


def test_progress_import_writes_and_moves_the_stage(zone, project):
    rows = [
        [project.code, "2022-04", "1", "1", "开工"],
        [project.code, "2022-05", "1", "2", "在建"],
    ]
    batch, errors = run("project-progress", PROGRESS, rows, zone.staff_cyfz)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    project.refresh_from_db()
    assert project.stage == "construction"
    assert ProgressReport.objects.filter(project=project).count() == 2


def test_a_department_cannot_import_progress_for_another_departments_project(zone, project):
    rows = [[project.code, "2022-04", "1", "1", "开工"]]
    batch, errors = run("project-progress", PROGRESS, rows, zone.staff_jjhz)
    assert batch.status == "invalid"
    assert any("不存在或您无权访问" in e for e in errors)
    # The other department's project is not named: its name is that department's data.
    assert not any(project.name in e for e in errors)


def test_project_import_refuses_duplicate_codes_in_one_file(zone):
    headers = [
        "项目代码",
        "项目名称",
        "级别",
        "行业代码",
        "总投资（亿元）",
        "责任部门代码",
        "开工日期",
    ]
    rows = [
        ["new-1", "甲", "市重点", "C39", "3", "hy-gxq-cyfz", "2022-01-05"],
        ["new-1", "乙", "市重点", "C39", "3", "hy-gxq-cyfz", "2022-01-05"],
        ["new-2", "丙", "市重点", "Z9", "3", "hy-gxq-jjhz", "2022-01-05"],
    ]
    _batch, errors = run("projects", headers, rows, zone.staff_cyfz)
    text = "\n".join(errors)
    assert "new-1" in text and "GB/T 4754" in text and "经济合作局”登记项目" in text
    assert not Project.objects.exists()


def api(user) -> Client:
    _token, key = ApiToken.issue(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {key}"})


def test_the_api_lists_only_visible_projects_with_their_figures(zone, project):
    make_project(zone.jjhz, code="other")
    body = api(zone.staff_cyfz).get("/api/projects", {"period": "2022-06"}).json()
    assert [p["code"] for p in body["items"]] == [project.code]
    assert body["items"][0]["planned"] == "10"
    assert api(zone.staff_cyfz).get("/api/projects/other").status_code == 404
    assert len(api(zone.leader).get("/api/projects").json()["items"]) == 2


def test_the_api_saves_progress_through_the_rules(zone, project):
    client = api(zone.staff_cyfz)
    payload = {
        "project": project.code,
        "period": "2022-04",
        "invested_this_month": "1",
        "invested_ytd": "3",
        "stage": "construction",
    }
    assert (
        client.post("/api/project-progress", payload, content_type="application/json").status_code
        == 201
    )
    lower = client.post(
        "/api/project-progress",
        {**payload, "period": "2022-05", "invested_ytd": "2"},
        content_type="application/json",
    )
    assert lower.status_code == 422
    assert "invested_ytd" in lower.json()["errors"]
    refused = api(zone.staff_jjhz).post(
        "/api/project-progress", payload, content_type="application/json"
    )
    assert refused.status_code == 404
    other = make_project(zone.jjhz, code="other", start=date(2021, 1, 1))
    leader = api(zone.leader).post(
        "/api/project-progress", {**payload, "project": other.code}, content_type="application/json"
    )
    assert leader.status_code == 403


def test_project_import_creates_and_updates_own_projects(zone, project):
    headers = [
        "项目代码",
        "项目名称",
        "级别",
        "行业代码",
        "总投资（亿元）",
        "责任部门代码",
        "开工日期",
    ]
    rows = [
        ["new-1", "甲", "省重点", "C3971", "3.5", "hy-gxq-cyfz", "2022/1/5"],
        [project.code, "改名", "市重点", "C39", "41", "hy-gxq-cyfz", "2022-03-10"],
    ]
    batch, errors = run("projects", headers, rows, zone.staff_cyfz)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    new = Project.objects.get(code="new-1")
    assert (new.level, new.total_investment, new.start_date) == (
        "provincial",
        Decimal("3.5"),
        date(2022, 1, 5),
    )
    project.refresh_from_db()
    assert (project.name, project.total_investment) == ("改名", Decimal("41"))
    assert new.history.count() == 1


def test_project_import_applies_the_projects_own_rules_as_the_form_does(zone):
    """Issue 10: no second copy of Project.clean in the importer — its rules, its words."""
    headers = ["项目代码", "项目名称", "级别", "行业代码", "总投资（亿元）", "责任部门代码"]
    headers += ["开工日期", "计划竣工日期"]
    rows = [["new-3", "丁", "市重点", "C39", "-1", "hy-gxq-cyfz", "2022-05-01", "2022-01-01"]]
    _batch, errors = run("projects", headers, rows, zone.staff_cyfz)
    text = "\n".join(errors)
    assert "投资额不能为负数" in text and "计划竣工日期不能早于开工日期" in text
    assert not Project.objects.filter(code="new-3").exists()
