"""API clients: a demo account's bearer token, sent on every request."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The demo fixture sets nine passwords; argon2 takes seconds for that, MD5 milliseconds.
    # Nothing here tests password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _jjhz_reports_an_indicator(jjhz_indicator):
    """The API tests file figures as the 经济合作局, which reports only its own indicators."""
