"""The language switch in a browser with script turned off: it is a plain form."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP

pytestmark = pytest.mark.browser


def test_switching_to_english_and_back_works_without_javascript(
    new_context, live_server, live_demo
):
    page = new_context(viewport=DESKTOP, java_script_enabled=False).new_page()

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("h2")).to_have_text("账号登录")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h2")).to_have_text("Account login")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The cookie carries over to the public portal, whose own switch leads back to Chinese.
    page.goto(f"{live_server.url}/portal/")
    expect(page.locator("#latest-h")).to_have_text("Latest")
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("#latest-h")).to_have_text("最新信息")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
