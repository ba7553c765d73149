import pytest


@pytest.fixture(autouse=True)
def import_settings(settings, tmp_path):
    # Uploaded files go to a per-test directory; everything runs inline unless a test says
    # otherwise; argon2 would spend seconds hashing the demo accounts' passwords.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHOUWEI_IMPORT_INLINE_ROWS = 1_000_000
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings
