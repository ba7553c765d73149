"""The 停工/复工 importer (shared framework): the model's rules and the project's write
contract, errors naming row and column, all or nothing, rollback."""

from datetime import date

from shouwei.imports.services import batch_commit, batch_rollback
from shouwei.projects.models import Stoppage

from .test_imports_and_api import run

STOPPAGES = ["项目代码", "停工日期", "停工原因", "复工日期", "复工情况"]


def test_stoppages_import_with_their_dates(zone, project):
    rows = [
        [project.code, "2022-03-20", "资金未到位", "2022/4/15", "专项债券资金拨付到位"],
        [project.code, "2022年5月6日", "征拆纠纷", "", ""],
    ]
    batch, errors = run("project-stoppages", STOPPAGES, rows, zone.staff_cyfz)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    stops = {s.stopped_on: s for s in Stoppage.objects.filter(project=project)}
    assert set(stops) == {date(2022, 3, 20), date(2022, 5, 6)}
    assert stops[date(2022, 3, 20)].resumed_on == date(2022, 4, 15)
    assert stops[date(2022, 5, 6)].resumed_on is None
    assert stops[date(2022, 5, 6)].history.first().history_user == zone.staff_cyfz


def test_a_row_with_the_same_stop_date_registers_the_resumption(zone, project):
    Stoppage.objects.create(project=project, stopped_on=date(2022, 5, 6), reason="征拆纠纷")
    rows = [[project.code, "2022-05-06", "征拆纠纷", "2022-06-01", "纠纷调解完毕"]]
    batch, errors = run("project-stoppages", STOPPAGES, rows, zone.staff_cyfz)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    stop = Stoppage.objects.get(project=project)
    assert (stop.resumed_on, stop.resume_note) == (date(2022, 6, 1), "纠纷调解完毕")


def test_bad_rows_say_which_row_and_field_and_nothing_is_written(zone, project):
    rows = [
        [project.code, "2022-03-20", "资金未到位", "2022-04-15", ""],  # good
        [project.code, "2022-13-01", "环保督察", "", ""],  # no such month
        [project.code, "2022-06-10", "", "", ""],  # no reason
        [project.code, "2022-07-10", "雨季停工", "2022-07-01", ""],  # resumed before stopped
    ]
    batch, errors = run("project-stoppages", STOPPAGES, rows, zone.staff_cyfz)
    assert batch.status == "invalid"
    assert "第3行 “停工日期”：“2022-13-01”不是日期，应写成 2022-03-10" in errors
    assert any(e.startswith("第4行 “停工原因”") for e in errors), errors
    assert "第5行 “复工日期”：复工日期不能早于停工日期" in errors
    assert not any(e.startswith("第2行") for e in errors)
    assert not Stoppage.objects.exists()


def test_a_second_open_stoppage_is_refused_against_the_database_and_the_file(zone, project):
    Stoppage.objects.create(project=project, stopped_on=date(2022, 5, 6), reason="征拆纠纷")
    rows = [[project.code, "2022-07-01", "环保督察", "", ""]]
    batch, errors = run("project-stoppages", STOPPAGES, rows, zone.staff_cyfz)
    assert batch.status == "invalid"
    assert any(
        e.startswith("第2行 “复工日期”：该项目已有未复工的停工（停工日期 2022-05-06）")
        for e in errors
    )
    # Resuming the open one first in the same file lets the new one in.
    rows.insert(0, [project.code, "2022-05-06", "征拆纠纷", "2022-06-01", ""])
    batch, errors = run("project-stoppages", STOPPAGES, rows, zone.staff_cyfz)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    assert Stoppage.objects.filter(project=project, resumed_on__isnull=True).count() == 1
    # Two open stoppages of one project within one file.
    other_rows = [
        [project.code, "2022-08-01", "资金未到位", "", ""],
        [project.code, "2022-09-01", "资金未到位", "", ""],
    ]
    batch, errors = run("project-stoppages", STOPPAGES, other_rows, zone.staff_cyfz)
    assert batch.status == "invalid"
    assert any(e.startswith("第2行") for e in errors) and any(e.startswith("第3行") for e in errors)


def test_another_departments_project_is_refused_without_naming_it(zone, project):
    rows = [[project.code, "2022-05-06", "征拆纠纷", "", ""]]
    batch, errors = run("project-stoppages", STOPPAGES, rows, zone.staff_jjhz)
    assert batch.status == "invalid"
    assert errors == [f"第2行 “项目代码”：项目代码“{project.code}”不存在或您无权访问"]
    assert not Stoppage.objects.exists()


def test_a_project_the_user_reads_but_may_not_write_for_is_refused(zone, project):
    """经济合作局's clerk who also reads the zone as a leader: sees the project, may not write
    for its department."""
    from shouwei.core.choices import Role
    from shouwei.core.models import RoleAssignment

    RoleAssignment.objects.create(user=zone.staff_jjhz, unit=zone.gxq, role=Role.LEADER)
    rows = [[project.code, "2022-05-06", "征拆纠纷", "", ""]]
    batch, errors = run("project-stoppages", STOPPAGES, rows, zone.staff_jjhz)
    assert batch.status == "invalid"
    assert errors == [f"第2行 “项目代码”：您无权修改项目“{project.name}（{project.code}）”"]
    assert not Stoppage.objects.exists()


def test_an_unknown_project_is_refused_without_naming_anything(zone, project):
    batch, errors = run(
        "project-stoppages", STOPPAGES, [["nope-1", "2022-05-06", "停工", "", ""]], zone.staff_cyfz
    )
    assert batch.status == "invalid"
    assert any("项目代码“nope-1”不存在或您无权访问" in e for e in errors)


def test_the_same_stoppage_twice_in_one_file_is_a_duplicate(zone, project):
    rows = [[project.code, "2022-05-06", "征拆纠纷", "", ""]] * 2
    batch, errors = run("project-stoppages", STOPPAGES, rows, zone.staff_cyfz)
    assert batch.status == "invalid" and any("第3行" in e for e in errors), errors


def test_an_import_of_stoppages_rolls_back(zone, project):
    existing = Stoppage.objects.create(
        project=project, stopped_on=date(2022, 5, 6), reason="征拆纠纷"
    )
    rows = [
        [project.code, "2022-05-06", "征拆纠纷", "2022-06-01", "已复工"],
        [project.code, "2022-08-01", "资金未到位", "", ""],
    ]
    batch, errors = run("project-stoppages", STOPPAGES, rows, zone.staff_cyfz)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    assert Stoppage.objects.count() == 2
    batch_rollback(batch=batch, user=zone.staff_cyfz)
    existing.refresh_from_db()
    assert list(Stoppage.objects.all()) == [existing] and existing.resumed_on is None


def test_the_stoppage_list_links_its_import(zone, project):
    from .conftest import login

    page = login(zone.staff_cyfz).get("/projects/stoppages/").content.decode()
    assert "/imports/start/project-stoppages/" in page


def test_the_template_downloads_with_the_users_projects(zone, project):
    from io import BytesIO

    from openpyxl import load_workbook

    from .conftest import login

    response = login(zone.staff_cyfz).get("/imports/start/project-stoppages/template/")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    headers = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert headers[: len(STOPPAGES)] == STOPPAGES
    codes = [c.value for row in book["代码表"].iter_rows() for c in row]
    assert project.code in codes
