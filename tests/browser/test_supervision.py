"""Supervision in a real browser: the office drafts and issues a 督办单, the department signs
for it and answers, the office closes it (签收 → 答复 → 办结), each through the page's own
buttons; and a goal page shows its light and why."""

from datetime import date

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, log_in
from .test_cockpit import collect_problems

pytestmark = pytest.mark.browser

AS_OF = date(2022, 7, 29)  # the half-year meeting the demo runs as of


@pytest.fixture
def as_of_meeting(live_demo):
    from shouwei.core import clock

    clock.set_demo_date(AS_OF)
    yield live_demo
    clock.set_demo_date(None)


def _page_for(new_context, live_server, username: str):
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, live_server, username)
    return page


def test_a_notice_is_issued_signed_answered_and_closed_through_the_pages(
    new_context, live_server, as_of_meeting, screenshots
):
    from shouwei.core.models import Unit
    from shouwei.supervision.choices import NoticeStatus
    from shouwei.supervision.models import SupervisionNotice

    cyfz = Unit.objects.get(code="hy-gxq-cyfz")
    office = _page_for(new_context, live_server, "supervisor")
    problems = collect_problems(office)
    office.goto(live_server.url + "/supervision/supervisionnotices/add/")
    office.select_option("#id_unit", value=str(cyfz.pk))
    office.fill("#id_task", "加快推进衡山科学城信息技术产业园主体工程")
    office.fill("#id_reason", "7月调度显示主体工程滞后于年度计划")
    office.fill("#id_deadline", "2022-08-15")
    office.fill("#id_issuer", "督查绩效办")
    office.locator("form:has(#id_task) button[type=submit]").click()
    notice = SupervisionNotice.objects.get(task="加快推进衡山科学城信息技术产业园主体工程")
    office.wait_for_url(f"**{notice.get_absolute_url()}")
    assert notice.status == NoticeStatus.DRAFT
    office.get_by_role("button", name="下发").click()
    expect(office.locator(".alert-success")).to_be_visible()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and notice.number.startswith("督办〔2022〕")
    expect(office.locator("section[aria-labelledby=n-flow]")).to_contain_text("已下发")

    clerk = _page_for(new_context, live_server, "staff_cyfz")
    clerk.goto(live_server.url + notice.get_absolute_url())
    expect(clerk.locator(".page-title, h1, h2").first).to_be_visible()
    clerk.get_by_role("button", name="签收").click()
    expect(clerk.locator(".alert-success")).to_be_visible()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SIGNED and notice.signed_by.username == "staff_cyfz"
    clerk.fill("#id_answer", "已倒排工期，8月10日前完成主体封顶")
    clerk.get_by_role("button", name="答复").click()
    expect(clerk.locator(".alert-success")).to_be_visible()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ANSWERED
    # The department may not close its own notice: no 办结 button for it.
    expect(clerk.get_by_role("button", name="办结")).to_have_count(0)

    office.reload()
    expect(office.locator("section[aria-labelledby=n-flow]")).to_contain_text("已倒排工期")
    office.fill("#id_note", "同意办结")
    office.get_by_role("button", name="办结").click()
    expect(office.locator(".alert-success")).to_be_visible()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED and notice.closing_note == "同意办结"
    office.screenshot(path=str(screenshots / "supervision-notice.png"), full_page=True)
    assert problems == []


def test_a_goal_page_shows_its_light_and_the_reason(new_context, live_server, as_of_meeting):
    from shouwei.supervision.models import Goal

    goal = Goal.objects.get(code="g09", year=2022)  # 综保区全年进出口总额1亿元
    page = _page_for(new_context, live_server, "leader")
    problems = collect_problems(page)
    page.goto(live_server.url + goal.get_absolute_url())
    card = page.locator("section[aria-labelledby=goal-light]")
    badge = card.locator(".light")
    expect(badge).to_be_visible()
    assert badge.get_attribute("class").split()[-1] in {
        "light-green",
        "light-yellow",
        "light-red",
        "light-done",
        "light-grey",
    }
    assert (badge.get_attribute("title") or "").strip()  # the reason, on hover as in the text
    expect(card).to_contain_text(badge.get_attribute("title"))
    # The roadmap's milestones carry their own lights.
    expect(page.locator("section[aria-labelledby=goal-milestones] .light")).to_have_count(2)
    assert problems == []
