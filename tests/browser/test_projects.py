"""Key projects in a real browser: the list and a project's chart for the leader, on a desk and
on a phone, and a department's monthly entry filled in and saved as a person would."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, log_in
from .test_cockpit import collect_problems, wait_for_charts

pytestmark = pytest.mark.browser

PROVINCIAL = "衡山科学城信息技术产业园"


def test_leader_reads_the_project_list_and_a_projects_chart(
    leader_page, leader_phone, live_server, screenshots
):
    page = leader_page
    problems = collect_problems(page)
    page.goto(live_server.url + "/projects/projects/?level=provincial")
    expect(page.locator(".card-title", has_text="共 2 条")).to_be_visible()
    page.goto(live_server.url + "/projects/projects/")
    expect(page.locator(".card-title", has_text="共 51 条")).to_be_visible()
    # A Chinese name stays on one line in its column: its cell is at least 12rem wide.
    name_cell = page.locator("td.cell-wrap").first.bounding_box()
    assert name_cell["width"] >= 12 * 16
    page.screenshot(path=str(screenshots / "projects.png"), full_page=True)

    page.goto(live_server.url + "/projects/projects/?q=" + PROVINCIAL)
    page.get_by_role("link", name=PROVINCIAL).click()
    expect(page.locator(".page-title")).to_have_text(PROVINCIAL)
    wait_for_charts(page, 1)
    expect(page.locator("table").filter(has_text="2022-06").first).to_contain_text("25.29亿元")
    page.screenshot(path=str(screenshots / "project-detail.png"), full_page=True)
    assert problems == []

    # On a phone the page is as wide as the screen; wide tables scroll inside their card.
    leader_phone.goto(live_server.url + "/projects/projects/")
    expect(leader_phone.locator(".card-title", has_text="共 51 条")).to_be_visible()
    assert leader_phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_department_fills_in_a_month_for_its_projects_on_one_screen(
    new_context, live_server, live_demo
):
    from shouwei.projects.models import ProgressReport, Project

    page = new_context().new_page()
    log_in(page, live_server, "staff_cyfz")
    page.goto(live_server.url + "/projects/progress/entry/?period=2022-07")
    project = Project.objects.get(name=PROVINCIAL)
    prefix = f"#id_p{project.pk}-"
    # A new month starts from June's stage (在建) and 入库 date: only the amounts are typed.
    expect(page.locator(prefix + "stage")).to_have_value("construction")
    page.fill(prefix + "invested_this_month", "4.80")
    page.fill(prefix + "invested_ytd", "30.09")
    page.get_by_role("button", name="保存").click()

    expect(page.locator(".alert-success")).to_contain_text("已保存 1 个项目 2022-07 的进度")
    report = ProgressReport.objects.get(project=project, period="2022-07")
    assert str(report.invested_ytd) == "30.09"
    june = ProgressReport.objects.get(project=project, period="2022-06")
    assert (report.stage, report.entered_statistics_on) == (june.stage, june.entered_statistics_on)

    # A year-to-date lower than June's (25.29) is refused, with the row's error, and not saved.
    page.fill(prefix + "invested_ytd", "20.00")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    report.refresh_from_db()
    assert str(report.invested_ytd) == "30.09"
    # Only the refused row shows an error: the rows nobody typed into are not checked.
    expect(page.locator(".invalid-feedback")).to_have_count(1)
    expect(page.get_by_text("这个字段是必填项")).to_have_count(0)
