"""The replica router's decisions (core/replicas.py). The real thing — a streaming replica with
its replay paused — is checked by benchmarks/bench_replicas.py under
``benchmarks/with_postgres.sh --replica``; here the replica is a name and its replay position
an answer, so that every branch is pinned on any database."""

import os
import subprocess
import sys

import pytest
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from shouwei.core import replicas
from shouwei.core.replicas import ReplicaMiddleware, ReplicaRouter, RequestRouting


@pytest.fixture
def one_replica(monkeypatch):
    replayed: dict[str, object] = {"answer": True}

    def fake_replayed(alias, lsn):
        replayed["asked"] = (alias, lsn)
        answer = replayed["answer"]
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1"])
    monkeypatch.setattr(replicas, "replayed", fake_replayed)
    monkeypatch.setattr(replicas, "_down", {})
    return replayed


def _reading(**kwargs):
    routing = RequestRouting(reads_from_replica=True, **kwargs)
    token = replicas._routing.set(routing)
    return routing, token


def test_reads_outside_a_request_go_to_the_primary(one_replica):
    assert ReplicaRouter().db_for_read(None) == "default"


def test_a_page_reads_one_replica_for_the_whole_request(one_replica):
    routing, token = _reading()
    try:
        router = ReplicaRouter()
        assert router.db_for_read(None) == "replica1"
        assert routing.chosen == "replica1"
        assert "asked" not in one_replica  # no write to wait for: no query
    finally:
        replicas._routing.reset(token)


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(one_replica):
    from shouwei.core.models import Notification

    routing, token = _reading()
    try:
        router = ReplicaRouter()
        assert router.db_for_write(Notification) == "default"
        assert router.db_for_read(Notification) == "default"
        assert routing.written == {"core.Notification"}
    finally:
        replicas._routing.reset(token)


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(one_replica):
    _routing, token = _reading()
    try:
        with transaction.atomic():
            assert ReplicaRouter().db_for_read(None) == "default"
    finally:
        replicas._routing.reset(token)


def test_a_writer_reads_a_replica_only_once_it_has_replayed_the_write(one_replica):
    one_replica["answer"] = False
    routing, token = _reading(wrote_at="0/38C4630")
    try:
        assert ReplicaRouter().db_for_read(None) == "default"
        assert routing.fell_back
        assert one_replica["asked"] == ("replica1", "0/38C4630")
    finally:
        replicas._routing.reset(token)
    one_replica["answer"] = True
    routing, token = _reading(wrote_at="0/38C4630")
    try:
        assert ReplicaRouter().db_for_read(None) == "replica1"
    finally:
        replicas._routing.reset(token)


def test_an_unreachable_replica_is_left_out_and_the_primary_serves(one_replica, monkeypatch):
    one_replica["answer"] = DatabaseError("connection refused")
    monkeypatch.setattr(replicas, "connections", _Connections())
    routing, token = _reading(wrote_at="0/1")
    try:
        assert routing.alias() == "default"
    finally:
        replicas._routing.reset(token)
    assert "replica1" in replicas._down
    # While it is down, it is not even asked.
    one_replica.pop("asked")
    routing, token = _reading(wrote_at="0/1")
    try:
        assert routing.alias() == "default"
        assert "asked" not in one_replica
    finally:
        replicas._routing.reset(token)


class _Connections:
    """``connections`` whose connections are outside any transaction and close quietly."""

    class _Closed:
        in_atomic_block = False

        def close(self):
            pass

    def __getitem__(self, alias):
        return self._Closed()


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("16/B374D848", True),
        ("0/1", True),
        ("", False),
        ("16B374D848", False),
        ("1/2'; DROP TABLE x; --", False),
        ("123456789/1", False),
        ("g/1", False),
    ],
)
def test_only_a_wal_position_in_the_cookie_is_used(text, valid):
    assert replicas._valid_lsn(text) is valid


def test_a_page_view_sliding_its_session_does_not_pin_the_browser():
    assert not replicas._pins("GET", {"sessions.Session"})
    assert replicas._pins("GET", {"sessions.Session", "portal.ArticleView"})
    assert replicas._pins("POST", {"sessions.Session"})


def _middleware(write: str | None):
    def view(request):
        routing = replicas.current()
        if write:
            routing.wrote = True
            routing.written.add(write)
        return HttpResponse("ok")

    return ReplicaMiddleware(view)


def test_a_write_sets_the_cookie_with_the_primary_position(monkeypatch):
    monkeypatch.setattr(replicas, "primary_position", lambda: "0/ABC")
    request = RequestFactory().post("/core/notifications/read-all/")
    response = _middleware("core.Notification")(request)
    assert response.cookies[replicas.COOKIE].value == "0/ABC"
    assert response.cookies[replicas.COOKIE]["httponly"]


def test_a_page_that_only_slid_its_session_sets_no_cookie(monkeypatch):
    monkeypatch.setattr(replicas, "primary_position", lambda: "0/ABC")
    response = _middleware("sessions.Session")(RequestFactory().get("/"))
    assert replicas.COOKIE not in response.cookies


def test_the_cookie_s_position_reaches_the_routing():
    seen = {}

    def view(request):
        seen["routing"] = replicas.current()
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_COOKIE=f"{replicas.COOKIE}=16/B374D848")
    ReplicaMiddleware(view)(request)
    assert seen["routing"].wrote_at == "16/B374D848"
    assert seen["routing"].reads_from_replica
    assert replicas.current() is None  # reset after the request


def test_replicas_need_a_postgresql_primary():
    env = {**os.environ, "SHOUWEI_REPLICA_URLS": "postgres://r@127.0.0.1:1/x"}
    env.pop("SHOUWEI_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", "import shouwei.settings"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SHOUWEI_REPLICA_URLS 需要 PostgreSQL 主库" in result.stderr
