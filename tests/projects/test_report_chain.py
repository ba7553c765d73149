"""The year-to-date at a month, read by one join on the report chain (``next_period``), and
every path that writes reports keeping that chain right."""

from datetime import date
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from shouwei.imports.registry import get_importer
from shouwei.imports.services import batch_commit, batch_rollback, batch_upload
from shouwei.projects import services
from shouwei.projects.choices import Stage
from shouwei.projects.models import ProgressReport, Project
from shouwei.projects.selectors import behind_plan, with_progress, with_progress_joined
from tests.imports.helpers import csv_bytes

from .conftest import make_project

D = Decimal
PROGRESS = ["项目代码", "月份", "当月完成投资（亿元）", "年初至今完成投资（亿元）", "阶段"]


def save(project, by, period, ytd, stage=Stage.CONSTRUCTION):
    return services.progress_save(
        by=by,
        project=project,
        period=period,
        invested_this_month=D("0"),
        invested_ytd=D(ytd),
        stage=stage,
    )


def chain(project) -> list[tuple[str, str | None]]:
    return list(
        ProgressReport.objects.filter(project=project)
        .order_by("period")
        .values_list("period", "next_period")
    )


def completed(project, year, month):
    return with_progress(Project.objects.filter(pk=project.pk), year=year, month=month).get()


def test_the_year_to_date_at_a_month_is_the_years_latest_report_up_to_it(zone):
    p = make_project(zone.cyfz, start=date(2021, 1, 1))
    for period, ytd in (("2021-11", "9"), ("2022-02", "1"), ("2022-04", "3"), ("2022-08", "7")):
        save(p, zone.staff_cyfz, period, ytd)
    assert completed(p, 2022, 1).completed == D("0")  # 2021's figure does not carry over
    assert completed(p, 2022, 3).completed == D("1")  # March not reported: February holds
    assert completed(p, 2022, 6).completed == D("3")  # August is after June
    assert completed(p, 2022, 12).completed == D("7")
    assert completed(p, 2021, 12).completed == D("9")
    assert completed(p, 2022, 6).planned == D("10")
    assert completed(p, 2021, 6).planned is None


def test_rows_and_joins_give_the_same_figures_every_month(zone):
    projects = [make_project(zone.cyfz, code=f"p-{i}", start=date(2021, 1, 1)) for i in range(3)]
    for period, ytd in (("2022-02", "1"), ("2022-05", "4"), ("2022-09", "8")):
        save(projects[0], zone.staff_cyfz, period, ytd)
    save(projects[1], zone.staff_cyfz, "2022-07", "9")
    for month in range(1, 13):
        figures = {}
        for annotate in (with_progress, with_progress_joined):
            rows = annotate(Project.objects.all(), year=2022, month=month).order_by("code")
            figures[annotate] = list(rows.values_list("code", "planned", "completed"))
        assert figures[with_progress] == figures[with_progress_joined]
        behind = set(behind_plan(year=2022, month=month).values_list("pk", flat=True))
        expected = {
            p.pk
            for p in with_progress(Project.objects.all(), year=2022, month=month)
            if services.is_behind(completed=p.completed, planned=p.planned, month=month)
        }
        assert behind == expected


def test_reports_saved_out_of_order_are_chained_in_month_order(zone):
    p = make_project(zone.cyfz, start=date(2021, 1, 1))
    save(p, zone.staff_cyfz, "2022-06", "6")
    save(p, zone.staff_cyfz, "2022-02", "2")
    save(p, zone.staff_cyfz, "2022-04", "4")
    assert chain(p) == [("2022-02", "2022-04"), ("2022-04", "2022-06"), ("2022-06", None)]
    # Each project is listed once whatever the month.
    for month in range(1, 13):
        rows = with_progress(Project.objects.all(), year=2022, month=month)
        assert rows.count() == 1


def test_deleting_a_report_relinks_the_chain_and_the_stage(zone):
    p = make_project(zone.cyfz, start=date(2021, 1, 1))
    save(p, zone.staff_cyfz, "2022-04", "4", stage=Stage.STARTED)
    june = save(p, zone.staff_cyfz, "2022-06", "6", stage=Stage.CONSTRUCTION)
    c = Client()
    c.force_login(zone.staff_cyfz)
    assert c.post(reverse("projects:progressreport_delete", args=[june.pk])).status_code == 302
    assert chain(p) == [("2022-04", None)]
    p.refresh_from_db()
    assert p.stage == Stage.STARTED
    assert completed(p, 2022, 6).completed == D("4")


def test_an_import_and_its_rollback_keep_the_chain(zone):
    p = make_project(zone.cyfz, start=date(2021, 1, 1))
    save(p, zone.staff_cyfz, "2022-06", "6", stage=Stage.STARTED)
    rows = [[p.code, "2022-04", "1", "4", "开工"], [p.code, "2022-08", "1", "8", "在建"]]
    batch = batch_upload(
        importer=get_importer("project-progress"),
        content=csv_bytes(rows, PROGRESS),
        filename="t.csv",
        user=zone.staff_cyfz,
        inline=True,
    )
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    assert chain(p) == [("2022-04", "2022-06"), ("2022-06", "2022-08"), ("2022-08", None)]
    p.refresh_from_db()
    assert p.stage == Stage.CONSTRUCTION
    batch.refresh_from_db()
    batch_rollback(batch=batch, user=zone.staff_cyfz)
    assert chain(p) == [("2022-06", None)]
    p.refresh_from_db()
    assert p.stage == Stage.STARTED


def test_relinking_everything_gives_the_chain_the_services_keep(zone):
    p = make_project(zone.cyfz, start=date(2021, 1, 1))
    for period in ("2021-12", "2022-01", "2022-03"):
        save(p, zone.staff_cyfz, period, "1")
    kept = chain(p)
    ProgressReport.objects.update(next_period=None)
    ProgressReport.objects.relink()
    assert chain(p) == kept == [("2021-12", "2022-01"), ("2022-01", "2022-03"), ("2022-03", None)]


def test_rolling_back_an_import_of_updates_only_keeps_the_chain(zone):
    p = make_project(zone.cyfz, start=date(2021, 1, 1))
    save(p, zone.staff_cyfz, "2022-04", "4")
    save(p, zone.staff_cyfz, "2022-06", "6")
    batch = batch_upload(
        importer=get_importer("project-progress"),
        content=csv_bytes([[p.code, "2022-04", "1", "5", "在建"]], PROGRESS),
        filename="t.csv",
        user=zone.staff_cyfz,
        inline=True,
    )
    batch_commit(batch=batch, user=zone.staff_cyfz, inline=True)
    batch.refresh_from_db()
    batch_rollback(batch=batch, user=zone.staff_cyfz)
    assert chain(p) == [("2022-04", "2022-06"), ("2022-06", None)]
    assert completed(p, 2022, 5).completed == D("4")


def test_a_report_moved_to_another_month_keeps_the_chain(zone):
    p = make_project(zone.cyfz, start=date(2021, 1, 1))
    for period, ytd in (("2022-02", "2"), ("2022-04", "4"), ("2022-06", "6")):
        save(p, zone.staff_cyfz, period, ytd)
    report = ProgressReport.objects.get(project=p, period="2022-04")
    report.period = "2022-08"
    report.save()
    assert chain(p) == [("2022-02", "2022-06"), ("2022-06", "2022-08"), ("2022-08", None)]
