"""Shared fixtures: the demo data, logged-in clients per role, and the browser switch."""

import os
import shutil

import pytest

from tests.factories import UserFactory  # noqa: F401  (re-exported for tests)

REQUIRE_BROWSER = os.environ.get("SHOUWEI_REQUIRE_BROWSER") == "1"


def chromium_path() -> str | None:
    explicit = os.environ.get("SHOUWEI_CHROMIUM")
    if explicit and os.path.exists(explicit):
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if "browser" in i.keywords]
    if not browser_items or chromium_path():
        return
    if REQUIRE_BROWSER:
        # CI installs chromium and sets SHOUWEI_REQUIRE_BROWSER=1: a missing browser is a failure.
        raise pytest.UsageError(
            "SHOUWEI_REQUIRE_BROWSER=1 but no chromium found (apt-get install chromium)"
        )
    skip = pytest.mark.skip(
        reason="no chromium on this machine: browser tests skipped "
        "(apt-get install chromium; CI requires them)"
    )
    for item in browser_items:
        item.add_marker(skip)


def _load_demo():
    from django.test import override_settings

    from shouwei.demo.accounts import create_demo_accounts
    from shouwei.demo.loader import load_hengyang

    # MD5 here only to keep the set-up fast; the demo command itself hashes with argon2.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_hengyang()
        create_demo_accounts()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Hengyang demo once into the test database; each test runs in a transaction that
    is rolled back, so every test starts from the same demo."""
    with django_db_blocker.unblock():
        _load_demo()
        _DEMO_SNAPSHOT.take()


class _Snapshot:
    """The demo's rows, copied table by table inside the database once it is loaded, so that a
    transactional test's flush is undone by a few INSERT … SELECT instead of loading the demo
    again (2–4 s each, and CI runs dozens of live-server tests on two databases). The copies
    live where Django's flush and introspection do not look: an attached database on SQLite,
    a schema of their own on PostgreSQL. Same rows, same ids as the session's first load."""

    NAME = "shouwei_test_snapshot"

    def __init__(self):
        self.tables: list[str] = []
        self.attached_to = None  # SQLite: the DB-API connection the copy is attached to

    def take(self) -> None:
        from django.db import connection

        qn = connection.ops.quote_name
        tables = sorted(connection.introspection.django_table_names(only_existing=True))
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"ATTACH DATABASE ':memory:' AS {self.NAME}")
                self.attached_to = connection.connection
            else:
                cursor.execute(f"DROP SCHEMA IF EXISTS {self.NAME} CASCADE")
                cursor.execute(f"CREATE SCHEMA {self.NAME}")
            for table in tables:
                cursor.execute(f"CREATE TABLE {self.NAME}.{qn(table)} AS SELECT * FROM {qn(table)}")
        self.tables = tables

    def usable(self) -> bool:
        from django.db import connection

        if not self.tables:
            return False
        # The attached copy lives as long as the SQLite connection it was attached to.
        return connection.vendor != "sqlite" or (
            connection.connection is not None and connection.connection is self.attached_to
        )

    def restore(self) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.core.management.color import no_style
        from django.db import connection, transaction

        qn = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            # The flush left what post_migrate recreates (content types, permissions): out too.
            if connection.vendor == "postgresql":
                cursor.execute("TRUNCATE " + ", ".join(qn(t) for t in self.tables))
            else:
                for table in self.tables:
                    cursor.execute(f"DELETE FROM {qn(table)}")
            # Foreign keys are DEFERRABLE INITIALLY DEFERRED on both: any order, checked at commit.
            for table in self.tables:
                cursor.execute(f"INSERT INTO {qn(table)} SELECT * FROM {self.NAME}.{qn(table)}")
            if connection.vendor == "postgresql":
                from django.apps import apps

                for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                    cursor.execute(sql)
        ContentType.objects.clear_cache()


_DEMO_SNAPSHOT = _Snapshot()


def ensure_demo() -> None:
    """The demo in the database, committed: a transactional test's flush left it empty."""
    from shouwei.core.models import Unit

    if not Unit.objects.filter(code="hy-gxq").exists():
        _demo_back()


def _demo_back() -> None:
    """After a transactional test emptied the tables: the demo's rows back, as first loaded."""
    if _DEMO_SNAPSHOT.usable():
        _DEMO_SNAPSHOT.restore()
    else:
        _load_demo()
        _DEMO_SNAPSHOT.take()


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test's database is rolled back, the cache is not: a page or a view mark cached by
    one test must not answer in the next (the portal caches pages and marks visitors)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    from shouwei.core import clock

    # The test database holds no demo date (the session loads the demo without the `demo`
    # command, and a test that sets one rolls back): telling the clock so keeps its
    # once-a-minute read out of every page's pinned query count.
    clock.remember(None)


@pytest.fixture(autouse=True)
def _no_person_cache(settings):
    """Pages cached per person and data version (the cockpit's blocks) are rendered afresh in
    tests, so that a test requesting a page twice counts the same queries both times; the tests
    of that cache (tests/indicators/test_cockpit_cache.py) switch it on with ``person_cache``."""
    settings.SHOUWEI_PERSON_CACHE_SECONDS = 0


@pytest.fixture
def person_cache(settings):
    settings.SHOUWEI_PERSON_CACHE_SECONDS = 600


@pytest.fixture(autouse=True)
def _default_language():
    """A request through the test client leaves its language active in the thread (Django's
    LocaleMiddleware activates, nothing deactivates): a test that browsed in English must not
    make the next one's lazy labels English. Each test starts in the site's language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _demo_present(request, django_db_blocker):
    """A transactional test (live_server, a worker in another process) empties the tables when
    it ends, and pytest-django may run database tests after it. Before a test that runs in a
    rolled-back transaction, put the demo back — committed, once, not inside each test."""
    marker = request.node.get_closest_marker("django_db")
    fixtures = request.fixturenames
    transactional = (
        "transactional_db" in fixtures
        or "live_server" in fixtures
        or (
            marker is not None
            and bool(marker.kwargs.get("transaction", marker.args[:1] == (True,)))
        )
    )
    if transactional or ("db" not in fixtures and marker is None):
        return
    with django_db_blocker.unblock():
        ensure_demo()


@pytest.fixture
def demo(db):
    """The Hengyang demo with its accounts; returns {username: user}."""
    from django.contrib.auth import get_user_model

    # A transactional test (live_server) empties the tables when it ends: back again then.
    ensure_demo()
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def client_for(client, demo):
    """``client_for("leader")`` → a test client logged in as that demo account."""

    def make(username: str):
        from django.test import Client

        c = Client()
        c.force_login(demo[username])
        return c

    return make


@pytest.fixture
def security_log(caplog):
    """``shouwei.security`` does not propagate (settings.LOGGING): attach caplog to it."""
    import logging

    logger = logging.getLogger("shouwei.security")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="shouwei.security")
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.fixture
def jjhz_indicator(db):
    """An indicator the 经济合作局 reports (the demo's catalogue gives it none: its figures are
    derived from leads), so that its clerk has figures of its own to import."""
    from shouwei.core.models import Unit
    from tests.factories import IndicatorFactory

    return IndicatorFactory(
        code="jjhz-signed",
        name="签约项目数",
        measure="个",
        category="investment",
        owner_unit=Unit.objects.get(code="hy-gxq-jjhz"),
    )


@pytest.fixture
def api_for(demo):
    """``api_for("leader")`` → a test client that sends a fresh token of that demo account."""

    from django.test import Client

    from shouwei.core.models import ApiToken

    def make(username: str):
        _token, key = ApiToken.issue(user=demo[username], name="tests")
        return Client(headers={"authorization": f"Bearer {key}"})

    return make
