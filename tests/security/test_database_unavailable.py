"""A database that cannot be reached — restarting, down, its disk full, an SQLite write lock
held past the timeout — gets a 503 with Retry-After, not a 500: nothing of the page is a bug,
and the client should simply try again. (The real restart and the real full disk are driven by
benchmarks/bench_faults.py.)"""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    def switch():
        monkeypatch.setattr(CursorWrapper, "execute", refuse)
        monkeypatch.setattr(CursorWrapper, "executemany", refuse)

    return switch


@pytest.mark.django_db
def test_a_page_while_the_database_is_down_is_a_503_to_retry(demo, database_down, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(demo["leader"])
    database_down()
    response = client.get("/indicators/cockpit/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "服务暂时不可用" in response.content.decode()
    assert any("database unavailable" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_an_api_call_while_the_database_is_down_is_a_json_503(demo, api_for, database_down):
    client = api_for("leader")
    client.raise_request_exception = False
    database_down()
    response = client.get("/api/indicators")
    assert response.status_code == 503
    assert response.json()["detail"] == "数据库暂时不可用，请稍后重试"


@pytest.mark.django_db
def test_a_full_disk_is_a_503_too(demo, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(demo["leader"])

    def full(self, *args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(CursorWrapper, "execute", full)
    response = client.get("/projects/projects/")
    assert response.status_code == 503
    assert "存储空间已满" in response.content.decode()


@pytest.mark.django_db
def test_a_bug_is_still_a_500(demo, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(demo["leader"])

    def bug(self, *args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(CursorWrapper, "execute", bug)
    response = client.get("/projects/projects/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_command_on_a_full_disk_says_so_without_a_traceback(tmp_path):
    import subprocess
    import sys

    # The `shouwei` entry point turns the machine's faults into one sentence and exit code 1.
    script = (
        "import sys; sys.argv = ['shouwei', 'check'];"
        "import django.core.management as m;"
        "from django.db import OperationalError;"
        "m.execute_from_command_line = lambda argv: (_ for _ in ()).throw("
        "OperationalError('database or disk is full'));"
        "from shouwei.cli import main; main()"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1
    assert "磁盘空间已满" in done.stderr
    assert "Traceback" not in done.stderr


def test_faults_are_told_apart():
    import errno

    from shouwei.core.faults import explain, is_disk_full

    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(OperationalError("disk I/O error"))
    assert not is_disk_full(OperationalError("connection refused"))
    assert "稍后重试" in explain(OperationalError("connection refused"))
