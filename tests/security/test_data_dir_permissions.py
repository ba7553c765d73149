"""The SQLite file and media were 0644: the data directory is 0700, its files 0600."""

import os
import stat
import subprocess
import sys

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_fresh_data_dir_is_private(tmp_path):
    data = tmp_path / "data"
    env = {
        **os.environ,
        "SHOUWEI_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "shouwei.settings",
        # The SQLite file in the data dir is the point: not the PostgreSQL of a CI run.
        "SHOUWEI_DATABASE_URL": "",
    }
    code = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('migrate', 'contenttypes', verbosity=0)"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert _mode(data) == 0o700
    assert _mode(data / "shouwei.sqlite3") == 0o600
    assert _mode(data / "secret_key") == 0o600


def test_an_existing_open_data_dir_is_tightened(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "shouwei.sqlite3").write_bytes(b"")
    os.chmod(data, 0o755)
    os.chmod(data / "shouwei.sqlite3", 0o644)
    env = {
        **os.environ,
        "SHOUWEI_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "shouwei.settings",
        # The SQLite file in the data dir is the point: not the PostgreSQL of a CI run.
        "SHOUWEI_DATABASE_URL": "",
    }
    subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, check=True)
    assert _mode(data) == 0o700
    assert _mode(data / "shouwei.sqlite3") == 0o600


def test_uploads_are_written_0600_in_0700_directories(tmp_path):
    storage = FileSystemStorage(location=tmp_path / "media")
    name = storage.save("portal/2026/12/a.pdf", ContentFile(b"%PDF-1.4"))
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert _mode(storage.path(name)) == 0o600
    assert _mode(os.path.dirname(storage.path(name))) == 0o700
