"""`shouwei backup -o FILE` and `shouwei restore FILE`: a round trip into an empty instance
keeps every table equal, and a damaged or foreign archive is refused."""

import io
import json
import os
import subprocess
import sys
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shouwei.core.backup import backup, table_digests


def _env(data_dir) -> dict:
    return {
        **os.environ,
        "SHOUWEI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "shouwei.settings",
        "SHOUWEI_DATABASE_URL": "",
    }


DIGESTS = (
    "import json, django; django.setup();"
    "from shouwei.core.backup import table_digests; print(json.dumps(table_digests()))"
)


@pytest.mark.django_db(transaction=False)
def test_a_backup_restored_into_an_empty_instance_is_equal_table_by_table(demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "imports").mkdir(parents=True)
    (tmp_path / "media" / "imports" / "a.xlsx").write_bytes(b"original import file")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    before = table_digests()

    target = tmp_path / "restored"
    run = subprocess.run(
        [sys.executable, "-m", "shouwei.cli", "restore", str(archive)],
        env=_env(target),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    after = json.loads(
        subprocess.run(
            [sys.executable, "-c", DIGESTS], env=_env(target), capture_output=True, text=True
        ).stdout
    )
    differing = sorted(k for k in before if before[k] != after.get(k))
    assert differing == []
    assert (target / "media" / "imports" / "a.xlsx").read_bytes() == b"original import file"

    # Restoring again into the now-filled instance is refused, nothing loaded twice.
    again = subprocess.run(
        [sys.executable, "-m", "shouwei.cli", "restore", str(archive)],
        env=_env(target),
        capture_output=True,
        text=True,
    )
    assert again.returncode != 0 and "空实例" in again.stderr


def _rewrite(archive, out, change):
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()
            data = change(info.name, data)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def test_a_tampered_archive_is_refused(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "b.tar.gz"
    backup(archive)
    bad = tmp_path / "bad.tar.gz"
    _rewrite(
        archive,
        bad,
        lambda n, d: d.replace(b'"is_superuser"', b'"is_superuser" ') if n == "data.json" else d,
    )
    with pytest.raises(CommandError, match="校验失败"):
        call_command("restore", str(bad))


def test_something_that_is_not_a_backup_is_refused(db, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="无法读取"):
        call_command("restore", str(junk))
