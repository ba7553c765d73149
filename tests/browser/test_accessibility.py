"""无障碍/适老化: axe-core finds nothing serious or critical on the public portal (normal and
老年模式, phone and desktop) nor on the platform's main pages, and no page logs a CSP violation.

Each test walks its pages in one browser context per mode or account (the viewport switched in
place) and reports every finding at once (rule id, impact, selector, help URL, what to fix), so
one run tells the whole story; the demo is loaded once per test, not once per page.
"""

import pytest

from .axe import axe_violations, describe
from .conftest import DESKTOP, PHONE, log_in
from .test_cockpit import collect_problems

pytestmark = pytest.mark.browser

SEED_TITLE = "衡阳高新区全方位践行“首位”理念——上半年亮点频闪,下半年奋楫争先"
VIEWPORTS = {"390px": PHONE, "1280px": DESKTOP}


def check_pages(page, base_url: str, pages: dict[str, str], label: str) -> list[str]:
    """Visit each page at each width, take the console's CSP/script errors while it loads and
    settles, then run axe on it; returns one report block per page that failed either check.
    The page keeps its context (cookies, login) throughout: only the viewport changes."""
    failures = []
    problems = collect_problems(page)
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        for name, path in pages.items():
            problems.clear()
            where = f"[{width} {label}] {name} ({path})"
            response = page.goto(base_url + path)
            if response.status != 200:
                failures.append(f"{where}: HTTP {response.status}, not the page itself")
                continue
            # ECharts draws after load; axe should see the charts' final DOM.
            page.wait_for_function(
                "[...document.querySelectorAll('[data-chart]')]"
                ".every(c => c.querySelector('canvas'))"
            )
            # Only what the page itself logged: axe runs after this, outside the page's CSP.
            if problems:
                failures.append(f"{where}: console\n    " + "\n    ".join(problems))
            violations = axe_violations(page)
            if violations:
                failures.append(describe(where, violations))
    return failures


def portal_pages() -> dict[str, str]:
    from shouwei.portal.models import Article

    return {
        # What an anonymous visitor gets at the site's root: the portal home with the login link.
        "home": "/",
        "article": Article.objects.get(title=SEED_TITLE).get_absolute_url(),
        "channel": "/portal/channel/bmdt/",
        "search": "/portal/search/?q=首位",
        "open data": "/portal/open-data/",
    }


def test_portal_pages_have_no_serious_accessibility_violations(
    transactional_db, live_server, new_context
):
    from shouwei.portal.demo import load_portal_demo

    load_portal_demo()
    pages = portal_pages()
    failures = []
    for mode in ("normal", "老年模式"):
        context = new_context()
        if mode == "老年模式":
            # As portal.js remembers the visitor's choice (the cookie backs up localStorage).
            context.add_cookies(
                [{"name": "shouwei-portal-elder", "value": "1", "url": live_server.url}]
            )
        page = context.new_page()
        failures += check_pages(page, live_server.url, pages, mode)
        elder = page.evaluate("document.documentElement.classList.contains('elder')")
        assert elder is (mode == "老年模式")
        context.close()
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


def platform_pages() -> dict[str, dict[str, str]]:
    """The main pages, by the demo account that works in them."""
    from shouwei.indicators.models import Indicator
    from shouwei.projects.models import Project

    gdp = Indicator.objects.get(code="gdp").pk
    project = Project.objects.order_by("pk").first().pk
    return {
        "leader": {
            "cockpit": "/indicators/cockpit/?unit=hy-gxq&period=2022H1",
            "indicator list": "/indicators/indicators/",
            "indicator for a unit": f"/indicators/indicators/{gdp}/unit/?unit=hy-gxq&period=2022H1",
            "observation list": "/indicators/observations/",
            "project list": "/projects/projects/",
            "project detail": f"/projects/projects/{project}/",
            "problem board": "/projects/problems/board/",
            "evaluation": "/evaluation/",
        },
        # The leader reads; a department's staff member is the one who imports.
        "staff_cyfz": {
            "imports": "/imports/",
            "import upload": "/imports/start/observations/",
            "monthly progress entry": "/projects/progress/entry/",
        },
    }


def test_platform_pages_have_no_serious_accessibility_violations(
    live_demo, live_server, new_context
):
    pages = platform_pages()
    page = new_context().new_page()
    failures = check_pages(page, live_server.url, {"login": "/accounts/login/"}, "anonymous")
    page.context.close()
    for username, user_pages in pages.items():
        page = new_context().new_page()
        log_in(page, live_server, username)
        failures += check_pages(page, live_server.url, user_pages, username)
        page.context.close()
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
