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
