import shutil

import pytest

from shouwei.core.choices import Role
from shouwei.portal import integrity
from shouwei.portal.demo import load_portal_demo
from shouwei.portal.models import Article, Channel
from tests.browser.conftest import (  # noqa: F401  (Debian's chromium for test_browser.py)
    browser_context_args,
    browser_type_launch_args,
    live_demo,
    screenshots,
)
from tests.factories import UnitFactory, user_with_role


@pytest.fixture
def portal_demo(db) -> None:
    """The portal's demo channels and articles alone (the full demo takes much longer)."""
    load_portal_demo()


@pytest.fixture
def seed(portal_demo) -> Article:
    """The seed article as the demo publishes it."""
    return Article.objects.get(title__startswith="衡阳高新区全方位践行")


@pytest.fixture
def bmdt(portal_demo) -> Channel:
    return Channel.objects.get(slug="bmdt")


@pytest.fixture
def people(db) -> dict:
    """Two editors and a reviewer at one zone; a reviewer is also a person who can write."""
    zone = UnitFactory()
    return {
        "editor": user_with_role(Role.EDITOR, zone, username="editor1"),
        "editor2": user_with_role(Role.EDITOR, zone, username="editor2"),
        "reviewer": user_with_role(Role.REVIEWER, zone, username="reviewer1"),
        "reviewer2": user_with_role(Role.REVIEWER, zone, username="reviewer2"),
        "staff": user_with_role(Role.STAFF, zone, username="staff1"),
    }


@pytest.fixture
def assets_copy(tmp_path, monkeypatch):
    """The page's static files and templates, copied where the test may change them."""
    copies = {}
    for path in integrity.STATIC_ASSETS:
        src = integrity.static_file(path)
        dst = tmp_path / "static" / path
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dst)
        copies[path] = dst
    for name in integrity.TEMPLATES:
        dst = tmp_path / "templates" / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(integrity.template_file(name), dst)
        copies[name] = dst
    monkeypatch.setattr(integrity, "static_file", lambda path: copies[path])
    monkeypatch.setattr(integrity, "template_file", lambda name: copies[name])
    return copies


@pytest.fixture
def sealed(assets_copy, portal_demo):
    """The demo articles sealed against the copied files."""
    for article in Article.objects.published():
        integrity.seal(article)
        article.save()
    return assets_copy
