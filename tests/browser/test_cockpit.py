"""The 驾驶舱 and the indicator-for-a-unit page in a real browser: figures, charts, phone
layout, and a clean console under the strict CSP."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

COCKPIT = "/indicators/cockpit/?unit=hy-gxq&period=2022H1"

# The article's headline figures for 2022年1—6月 and their ranks among the 五区两园.
HEADLINE = {
    "gdp": ("6.9%", "第1名"),
    "industrial_va": ("11.5%", "第2名"),
    "service_revenue": ("13.1%", "第1名"),
    "retail_sales": ("1.7%", "第3名"),
}
# Four peer-comparison bar charts, four trend lines and one rank history.
COCKPIT_CHARTS = 9


def indicator_page_url(live_server, code: str) -> str:
    from shouwei.indicators.models import Indicator

    pk = Indicator.objects.get(code=code).pk
    return f"{live_server.url}/indicators/indicators/{pk}/unit/?unit=hy-gxq&period=2022H1"


def wait_for_charts(page, expected: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart] canvas').length >= n", arg=expected
    )
    # ECharts animates for 300 ms; let it settle before measuring or taking a picture.
    page.wait_for_timeout(500)


def test_leader_sees_the_headline_figures_with_their_ranks(
    leader_page, leader_phone, live_server, screenshots
):
    page = leader_page
    page.goto(live_server.url + COCKPIT)
    for code, (growth, rank) in HEADLINE.items():
        card = page.locator(f'[data-indicator="{code}"]')
        expect(card.locator(".kpi-growth")).to_have_text(growth)
        expect(card.locator(".kpi-rank")).to_have_text(rank)
        expect(card.locator(".kpi-group")).to_contain_text("五区两园")
    wait_for_charts(page, COCKPIT_CHARTS)
    page.screenshot(path=str(screenshots / "cockpit.png"), full_page=True)

    leader_phone.goto(live_server.url + COCKPIT)
    expect(leader_phone.locator('[data-indicator="gdp"] .kpi-growth')).to_have_text("6.9%")
    wait_for_charts(leader_phone, COCKPIT_CHARTS)
    leader_phone.screenshot(path=str(screenshots / "cockpit-phone.png"), full_page=True)


def test_a_published_rank_is_badged_as_published(leader_page, live_server):
    leader_page.goto(live_server.url + COCKPIT)
    # 争先创优 has only the zone's published rank: no peer figures to compute one from.
    card = leader_page.locator('[data-indicator="hq_contest"]')
    expect(card.locator(".kpi-rank")).to_have_text("第1名")
    expect(card.locator(".kpi-published")).to_have_text("公布排名")
    # GDP's rank is computed from the peers' (simulated) figures, and says so.
    gdp = leader_page.locator('[data-indicator="gdp"]')
    expect(gdp.locator(".kpi-published")).to_have_count(0)
    expect(gdp.locator(".kpi-synthetic")).to_be_visible()


def test_a_card_figure_leads_to_the_record_it_came_from(leader_page, live_server):
    page = leader_page
    page.goto(live_server.url + COCKPIT)
    page.locator('[data-indicator="gdp"] .kpi-growth').click()
    expect(page.locator("main")).to_contain_text("数据来源")
    expect(page.locator("main")).to_contain_text("衡阳高新区2022年上半年经济工作报告")

    page.goto(live_server.url + COCKPIT)
    page.locator('[data-indicator="gdp"] .kpi-rank').click()
    own = page.locator('#peers tr[data-unit="hy-gxq"]')
    expect(own).to_contain_text("第1名")
    expect(own).to_contain_text("6.9%")
    expect(own).to_contain_text("一致")


@pytest.mark.parametrize("which", ["cockpit", "indicator"])
def test_pages_fit_a_390px_phone(leader_phone, live_server, which):
    page = leader_phone
    if which == "cockpit":
        page.goto(live_server.url + COCKPIT)
    else:
        page.goto(indicator_page_url(live_server, "gdp"))
    wait_for_charts(page, COCKPIT_CHARTS if which == "cockpit" else 2)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The menu folds behind the toggler and opens from it.
    menu = page.locator("#navbar-menu")
    expect(menu).to_be_hidden()
    page.locator(".navbar-toggler").click()
    expect(menu).to_be_visible()

    # The unit/period picker wraps onto a second line inside the screen.
    unit = page.locator(".unit-period-form select").bounding_box()
    button = page.locator(".unit-period-form button").bounding_box()
    assert button["y"] >= unit["y"] + unit["height"]
    for box in (unit, button):
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def collect_problems(page) -> list[str]:
    """Console errors (a CSP violation is logged as one) and uncaught script errors."""
    problems: list[str] = []
    # Reported by the browser itself even where the page's own scripts never see it.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )

    def on_console(msg):
        # Pages without the icon link (the admin's, Swagger's) make Chromium ask for
        # /favicon.ico; that 404 is not a fault of the page under test.
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"console: {msg.text} ({msg.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    return problems


def test_pages_run_without_csp_violations_or_script_errors(leader_page, live_server):
    page = leader_page
    problems = collect_problems(page)
    for url, charts in (
        (live_server.url + COCKPIT, COCKPIT_CHARTS),
        (indicator_page_url(live_server, "gdp"), 2),
        (indicator_page_url(live_server, "tech_sme_registered"), 1),
    ):
        page.set_viewport_size(DESKTOP)
        page.goto(url)
        wait_for_charts(page, charts)
        # Tooltips and a window resize run the rest of charts.js.
        for chart in page.locator("[data-chart]").all():
            chart.scroll_into_view_if_needed()
            chart.hover()
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(300)
    assert problems == []


def test_every_chart_draws_on_a_canvas(leader_page, live_server):
    page = leader_page
    for url, expected in (
        (live_server.url + COCKPIT, COCKPIT_CHARTS),
        (indicator_page_url(live_server, "gdp"), 2),
    ):
        page.goto(url)
        wait_for_charts(page, expected)
        charts = page.locator("[data-chart]")
        expect(charts).to_have_count(expected)
        for chart in charts.all():
            canvas = chart.locator("canvas")
            expect(canvas).to_have_count(1)
            assert canvas.evaluate("c => c.width > 0 && c.height > 0")


def test_charts_follow_the_window_width(leader_page, live_server):
    page = leader_page
    page.goto(live_server.url + COCKPIT)
    wait_for_charts(page, COCKPIT_CHARTS)
    rank = page.locator('[data-chart="chart-rank-history"] canvas')
    wide = rank.bounding_box()["width"]
    page.set_viewport_size(PHONE)
    page.wait_for_function(
        "w => document.querySelector('[data-chart=\"chart-rank-history\"] canvas')"
        ".getBoundingClientRect().width < w",
        arg=wide,
    )
    container = page.locator('[data-chart="chart-rank-history"]').bounding_box()
    assert rank.bounding_box()["width"] <= container["width"] + 1
