"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

tests/conftest.py skips tests marked ``browser`` when no chromium is installed (and fails the
run when SHOUWEI_REQUIRE_BROWSER=1, as CI sets it).
"""

import os
from pathlib import Path

import pytest

from tests.conftest import chromium_path

# Playwright's sync API runs an asyncio loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is safe. Here it is: the loop only drives the
# browser, and the fixtures' ORM calls never run inside it. Set before any fixture touches the db.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's chromium as CI runs it (see DESIGN.md, "CI on these machines"); `playwright install`
# is never run: no browser download is possible on these machines.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PASSWORD = "browser-test-pw-2022"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where browser tests save their pictures: docs/screenshots (the README's) when
    SHOUWEI_SCREENSHOTS=1, else a temp dir, so that a test run leaves the checkout clean."""
    if os.environ.get("SHOUWEI_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Chinese browser: Accept-Language picks the Chinese UI, as on the zone's own machines.
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def live_demo(transactional_db):
    """The Hengyang demo in a database the live server's thread can see; every demo account's
    password is ``PASSWORD`` (hashed by whichever hasher the test runs with: the autouse
    ``fast_password_hashing`` of this directory runs before it). Returns {username: user}."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from tests.conftest import ensure_demo

    ensure_demo()
    users = get_user_model().objects
    # One UPDATE for every account (a save each would write 182 rows and their history).
    users.update(password=make_password(PASSWORD))
    return {u.username: u for u in users.all()}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; the login form works the same with a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(page, live_server, username: str) -> None:
    """Log in through the real login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    # The login form's own button: the page has other forms (the language switch).
    page.click("form:has(#id_password) button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def leader_page(new_context, live_server, live_demo):
    """A desktop page logged in as the zone's leader."""
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, live_server, "leader")
    return page


@pytest.fixture
def leader_phone(new_context, leader_page):
    """A 390-px phone page sharing the leader's session."""
    context = new_context(
        viewport=PHONE,
        storage_state=leader_page.context.storage_state(),
        is_mobile=True,
        has_touch=True,
    )
    return context.new_page()
