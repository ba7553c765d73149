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
    assert client.get("/projects/projects/").status_code == 503


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
