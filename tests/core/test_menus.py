"""The menu offers only what opens: every item of every demo role's menu answers 200."""

import pytest
from django.test import RequestFactory

from shouwei.core.navigation import menu_for
from shouwei.demo.accounts import DEMO_ACCOUNTS

ROLES = [username for username, *_rest in DEMO_ACCOUNTS]


def _menu_urls(user) -> list[tuple[str, str]]:
    request = RequestFactory().get("/")
    request.user = user
    return [(str(i["label"]), i["url"]) for g in menu_for(request) for i in g["items"]]


@pytest.mark.parametrize("username", ROLES)
def test_every_menu_item_of_a_demo_role_opens(username, demo, client_for):
    client = client_for(username)
    items = _menu_urls(demo[username])
    assert items, f"{username} has an empty menu"
    refused = [
        (label, url, status)
        for label, url in items
        if (status := client.get(url).status_code) != 200
    ]
    assert refused == []


def test_a_cached_menu_is_each_persons_own(demo, settings, monkeypatch):
    # With the per-person cache on (as in production), each role still gets exactly the menu
    # its checks give, however many people asked before it; the second time, no page's check
    # is asked again.
    from shouwei.core import navigation

    settings.SHOUWEI_PERSON_CACHE_SECONDS = 0
    fresh = {name: _menu_urls(demo[name]) for name in ROLES}
    settings.SHOUWEI_PERSON_CACHE_SECONDS = 600
    cached = {name: _menu_urls(demo[name]) for name in ROLES}
    asked = []
    real = navigation.may_open
    monkeypatch.setattr(navigation, "may_open", lambda u, url: asked.append(url) or real(u, url))
    cached_again = {name: _menu_urls(demo[name]) for name in ROLES}
    assert cached == fresh == cached_again
    assert asked == []
    assert len({tuple(items) for items in fresh.values()}) > 1


def test_a_new_role_shows_in_the_cached_menu(demo, person_cache):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from shouwei.core.models import Role, RoleAssignment, Unit

    user = get_user_model().objects.get(username="enterprise")
    before = _menu_urls(user)
    RoleAssignment.objects.create(user=user, unit=Unit.objects.get(code="hy-gxq"), role=Role.ADMIN)
    connection.run_on_commit.clear()
    after = _menu_urls(get_user_model().objects.get(username="enterprise"))
    assert set(before) < set(after)


def test_the_active_item_follows_the_path_not_the_cache(demo, person_cache):
    request = RequestFactory().get("/")
    request.user = demo["leader"]
    first_url = next(i["url"] for g in menu_for(request) for i in g["items"] if i["url"] != "/")
    request = RequestFactory().get(first_url)
    request.user = demo["leader"]
    active = [i["url"] for g in menu_for(request) for i in g["items"] if i["active"]]
    assert first_url in active
