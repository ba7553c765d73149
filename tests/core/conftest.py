import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    """Argon2 is deliberately slow; tests that create many users hash with MD5 instead.
    A test that checks the real hasher asks for the ``real_password_hashers`` fixture."""
    if "real_password_hashers" not in request.fixturenames:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def real_password_hashers():
    """Keep the hashers from settings.py (see ``fast_password_hashing``)."""
