"""API clients: a demo account's bearer token, sent on every request."""

import pytest
from django.test import Client

from shouwei.core.models import ApiToken


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The demo fixture sets nine passwords; argon2 takes seconds for that, MD5 milliseconds.
    # Nothing here tests password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_for(demo):
    """``api_for("leader")`` → a test client that sends a fresh token of that demo account."""

    def make(username: str) -> Client:
        _token, key = ApiToken.issue(user=demo[username], name="tests")
        return Client(headers={"authorization": f"Bearer {key}"})

    return make
