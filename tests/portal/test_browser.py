"""The seed article page in Debian's chromium: phone and desktop layout, 字体 and 老年模式
remembered across pages, the QR code decoding to the page, and a clean console under the CSP."""

import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_cockpit import collect_problems

pytestmark = pytest.mark.browser

TITLE = "衡阳高新区全方位践行“首位”理念——上半年亮点频闪,下半年奋楫争先"


@pytest.fixture
def seed_url(transactional_db, live_server) -> str:
    from shouwei.portal.demo import load_portal_demo
    from shouwei.portal.models import Article

    load_portal_demo()
    return live_server.url + Article.objects.get(title=TITLE).get_absolute_url()


def _font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_seed_article_on_desktop_and_phone(new_context, seed_url, screenshots):
    for viewport, name in ((DESKTOP, "portal-article.png"), (PHONE, "portal-article-phone.png")):
        page = new_context(viewport=viewport, is_mobile=viewport is PHONE).new_page()
        page.goto(seed_url)
        expect(page.locator("h1")).to_have_text(TITLE)
        expect(page).to_have_title(f"{TITLE} - 衡阳国家高新技术产业开发区")
        expect(page.locator(".breadcrumb")).to_contain_text("首页 > 信息公开 > 动态信息 > 部门动态")
        expect(page.locator(".meta")).to_contain_text("发布时间：2022-08-05 08:43")
        expect(page.locator(".meta")).to_contain_text("来源：衡阳高新区")
        expect(page.locator(".related li").first).to_be_visible()
        expect(page.locator(".qr")).to_contain_text("扫一扫在手机打开当前页")
        # Nothing wider than the phone: no sideways scrolling to read a line.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=str(screenshots / name), full_page=True)


def test_elder_mode_is_toggled_and_remembered_across_pages(
    new_context, seed_url, live_server, screenshots
):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(seed_url)
    normal = _font_px(page)
    page.get_by_role("button", name="进入老年模式").click()
    expect(page.locator("html")).to_have_class("elder")
    assert _font_px(page) == 22
    assert _font_px(page) > normal
    target = page.locator("[data-font=large]").bounding_box()
    assert target["height"] >= 44  # large click targets
    page.reload()
    expect(page.locator("html")).to_have_class("elder")
    expect(page.get_by_role("button", name="退出老年模式")).to_be_visible()
    page.goto(live_server.url + "/portal/")
    expect(page.locator("html")).to_have_class("elder")
    page.get_by_role("button", name="退出老年模式").click()
    expect(page.locator("html")).not_to_have_class("elder")
    page.goto(seed_url)
    expect(page.locator("html")).not_to_have_class("elder")
    page.get_by_role("button", name="进入老年模式").click()
    page.screenshot(path=str(screenshots / "portal-article-elder.png"))


def test_font_switch_changes_the_size_and_is_remembered(new_context, seed_url):
    page = new_context(viewport=PHONE, is_mobile=True).new_page()
    page.goto(seed_url)
    assert _font_px(page) == 16
    page.locator("[data-font=large]").click()
    assert _font_px(page) == 20
    expect(page.locator("[data-font=large]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-font=medium]")).to_have_attribute("aria-pressed", "false")
    page.reload()
    assert _font_px(page) == 20
    page.locator("[data-font=small]").click()
    assert _font_px(page) == 14
    page.locator("[data-font=medium]").click()
    assert _font_px(page) == 16


def test_qr_code_decodes_to_the_page_url(new_context, seed_url):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    page = new_context(viewport=DESKTOP).new_page()
    page.goto(seed_url)
    png = page.locator("[data-qr] svg").screenshot()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [d.text for d in decoded] == [seed_url]


def test_article_reads_without_javascript(new_context, seed_url):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(seed_url)
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".article-body")).to_contain_text("发展时不我待,奋进只争朝夕。")
    # The tools need the script; without it they are not offered at all.
    expect(page.locator("[data-font=large]")).to_be_hidden()


def test_portal_pages_run_without_csp_violations(new_context, seed_url, live_server):
    page = new_context(viewport=DESKTOP).new_page()
    problems = collect_problems(page)
    page.goto(seed_url)
    page.get_by_role("button", name="进入老年模式").click()
    for size in ("large", "small", "medium"):
        page.locator(f"[data-font={size}]").click()
    for path in (
        "/portal/",
        "/portal/search/?q=首位",
        "/portal/open-data/",
        "/portal/channel/bmdt/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    assert problems == []


def _lines(locator) -> int:
    """How many lines the element's text takes (2 for 搜/索 broken under each other)."""
    return locator.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el); "
        "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )


def test_elder_mode_on_a_phone_keeps_search_whole_and_leaves_the_screen_to_the_page(
    new_context, seed_url, live_server, screenshots
):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(live_server.url + "/portal/")
    page.get_by_role("button", name="进入老年模式").click()
    expect(page.locator("html")).to_have_class("elder")
    search = page.locator(".site-search button")
    assert _lines(search) == 1
    box = search.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] >= 44  # still a large target
    # The header is the top of the screen, not the whole of it: the page starts above the fold.
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 0.4 * PHONE["height"], header
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshots / "portal-home-elder-phone.png"))


def test_the_seed_article_on_a_phone_shows_no_caption_without_its_photo(
    new_context, seed_url, screenshots
):
    page = new_context(viewport=PHONE, is_mobile=True).new_page()
    page.goto(seed_url)
    expect(page.locator(".article-body")).to_contain_text("发展时不我待,奋进只争朝夕。")
    expect(page.locator(".article-body img")).to_have_count(0)
    expect(page.locator(".article-body .photo-caption")).to_have_count(0)
    expect(page.locator(".article-body")).not_to_contain_text("▲")
    page.screenshot(path=str(screenshots / "portal-article-phone-captions.png"), full_page=True)


def test_open_data_on_a_phone_shows_ranks_periods_and_that_the_table_scrolls(
    new_context, live_demo, live_server, screenshots
):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(live_server.url + "/portal/")
    rows = page.locator("[aria-labelledby=data-h] tbody tr")
    expect(rows.first).to_be_visible()
    figures = rows.locator("td:nth-child(3)").all_inner_texts()
    assert figures and all(f.strip() for f in figures), figures
    assert any(f.strip().startswith("第") and f.strip().endswith("名") for f in figures), figures
    periods = rows.locator("td:nth-child(2)").all_inner_texts()
    assert "2022年上半年" in periods and "2022H1" not in periods
    page.screenshot(path=str(screenshots / "portal-home-phone.png"), full_page=True)

    page.goto(live_server.url + "/portal/open-data/")
    frame = page.locator(".scroll-frame")
    expect(frame).to_have_class("scroll-frame scrolls more-right")
    expect(frame.locator(".scroll-hint")).to_have_text("左右滑动查看更多")
    expect(page.locator("tbody")).to_contain_text("第1名")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshots / "portal-open-data-phone.png"))
