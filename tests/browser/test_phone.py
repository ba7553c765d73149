"""A 390-px phone: the list pager on one line, wide tables that say they scroll, a title badge
that stays on the screen, and the monthly entry that fits a 1280-px desk screen."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, log_in
from .test_cockpit import collect_problems

pytestmark = pytest.mark.browser

ONE_LINE = (
    "el => { const r = document.createRange(); r.selectNodeContents(el); "
    "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
)


def _lines(locator) -> int:
    """How many lines the element's text takes (1: not broken one character a line)."""
    return locator.evaluate(ONE_LINE)


def _text_right(locator) -> float:
    """Where the element's text ends on the screen (a squeezed box may let it run out)."""
    return locator.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el); "
        "return Math.max(...[...r.getClientRects()].map(b => b.right)); }"
    )


def _no_sideways_page(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_long_list_on_a_phone_pages_on_one_line_and_says_its_table_scrolls(
    leader_phone, live_server, screenshots
):
    page = leader_phone
    problems = collect_problems(page)
    page.goto(live_server.url + "/indicators/observations/?page=5")
    pager = page.locator(".table-pager")
    nxt = pager.get_by_role("link", name="下一页")
    prev = pager.get_by_role("link", name="上一页")
    expect(nxt).to_be_visible()
    expect(prev).to_be_visible()
    assert _lines(nxt) == 1 and _lines(prev) == 1
    for link in (nxt, prev):
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert _text_right(link) <= box["x"] + box["width"]
    expect(pager).to_contain_text("第 5 / ")
    # The table shows its first columns; the hint and the right-hand shade say there are more.
    frame = page.locator(".scroll-frame").first
    expect(frame).to_have_class("scroll-frame scrolls more-right")
    expect(frame.locator(".scroll-hint")).to_be_visible()
    expect(frame.locator(".scroll-hint")).to_have_text("左右滑动查看更多")
    _no_sideways_page(page, PHONE["width"])
    page.screenshot(path=str(screenshots / "list-phone.png"), full_page=True)
    frame.locator(".table-responsive").evaluate("el => el.scrollTo(el.scrollWidth, 0)")
    expect(frame).to_have_class("scroll-frame scrolls more-left")
    page.screenshot(path=str(screenshots / "list-phone-scrolled.png"))
    nxt.click()
    expect(page.locator(".table-pager")).to_contain_text("第 6 / ")
    assert problems == []


def test_a_table_that_fits_has_no_scroll_hint(leader_page, live_server):
    leader_page.goto(live_server.url + "/core/peergroups/")
    frame = leader_page.locator(".scroll-frame").first
    expect(frame).to_have_class("scroll-frame")
    expect(frame.locator(".scroll-hint")).to_be_hidden()


def test_the_evaluation_pages_synthetic_badge_stays_on_a_phone_screen(
    leader_phone, live_server, screenshots
):
    page = leader_phone
    page.goto(live_server.url + "/evaluation/")
    badge = page.locator(".page-title .badge", has_text="含模拟数据")
    expect(badge).to_be_visible()
    box = badge.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert _lines(badge) == 1
    # All of its text inside the badge and on the screen, not cut off at the edge.
    assert _text_right(badge) <= min(box["x"] + box["width"], PHONE["width"]) + 0.5
    _no_sideways_page(page, PHONE["width"])
    page.screenshot(path=str(screenshots / "evaluation-phone.png"))


def test_the_monthly_entry_fits_a_desk_screen_and_a_phone_scrolls_it_inside(
    new_context, live_server, live_demo, screenshots
):
    desk = new_context(viewport=DESKTOP).new_page()
    log_in(desk, live_server, "staff_cyfz")
    desk.goto(live_server.url + "/projects/progress/entry/?period=2022-07")
    expect(desk.locator(".entry-table")).to_be_visible()
    _no_sideways_page(desk, DESKTOP["width"])
    box = desk.locator(".entry-table").locator("xpath=..")
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(desk.locator(".scroll-hint")).to_be_hidden()
    desk.screenshot(path=str(screenshots / "progress-entry.png"))

    phone = new_context(
        viewport=PHONE, storage_state=desk.context.storage_state(), is_mobile=True, has_touch=True
    ).new_page()
    phone.goto(live_server.url + "/projects/progress/entry/?period=2022-07")
    _no_sideways_page(phone, PHONE["width"])
    expect(phone.locator(".scroll-hint")).to_be_visible()
    phone.screenshot(path=str(screenshots / "progress-entry-phone.png"))
