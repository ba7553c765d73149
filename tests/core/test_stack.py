"""Requests and commands run below a frame that reserves a fresh stack chunk
(shouwei.core.stack: CPython's chunk thrashing, gh-142183)."""

import io
import sys

import pytest

from shouwei.core import stack


def _headroom_frames() -> int:
    """How many headroom frames are on this thread's stack."""
    frame, found = sys._getframe(), 0
    while frame is not None:
        found += frame.f_code is stack.run_with_headroom.__code__
        frame = frame.f_back
    return found


def _under_headroom() -> bool:
    return _headroom_frames() > 0


def test_the_headroom_frame_declares_more_stack_than_a_chunk_holds():
    # CPython's chunks are 16 KiB (2,048 slots); a frame larger than one always starts its own.
    assert stack.run_with_headroom.__code__.co_stacksize >= stack.HEADROOM_SLOTS > 2048


def test_run_with_headroom_returns_the_answer_and_passes_errors_on():
    assert stack.run_with_headroom(divmod, 7, 2) == (3, 1)
    with pytest.raises(ZeroDivisionError):
        stack.run_with_headroom(divmod, 1, 0)
    assert not _under_headroom()
    assert not stack.under_headroom()


def _environ(path="/healthz"):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }


def test_a_request_already_below_a_headroom_frame_gets_no_second_one():
    # A second 512 KiB frame would not fit the first's chunk: one chunk a request again.
    seen = []

    def app(environ, start_response):
        seen.append(_headroom_frames())
        return [b""]

    served = stack.with_headroom(app)
    served(_environ(), None)
    stack.run_with_headroom(served, _environ(), None)
    assert seen == [1, 1]


def test_serve_runs_gunicorn_workers_whose_loop_is_below_the_headroom(monkeypatch):
    from gunicorn.workers.sync import SyncWorker

    from shouwei.core.management.commands.serve import gunicorn_argv
    from shouwei.core.workers import HeadroomWorker

    argv = gunicorn_argv(
        bind="127.0.0.1:0",
        workers=1,
        timeout=30,
        graceful_timeout=5,
        max_requests=10,
        access_log="-",
        forwarded_allow_ips="127.0.0.1",
        pid_file=None,
    )
    assert argv[argv.index("--worker-class") + 1] == "shouwei.core.workers.HeadroomWorker"
    seen = []
    monkeypatch.setattr(SyncWorker, "run", lambda self: seen.append(stack.under_headroom()))
    HeadroomWorker.run(object.__new__(HeadroomWorker))
    assert seen == [True]
    assert not stack.under_headroom()


@pytest.mark.django_db
def test_each_request_of_the_wsgi_application_is_served_under_the_headroom(monkeypatch):
    from django.core.handlers.wsgi import WSGIHandler

    from shouwei.wsgi import application

    seen = []
    get_response = WSGIHandler.get_response

    def recording(self, request):
        seen.append(_under_headroom())
        return get_response(self, request)

    monkeypatch.setattr(WSGIHandler, "get_response", recording)
    statuses = []
    body = b"".join(application(_environ(), lambda status, headers, *a: statuses.append(status)))
    assert statuses and statuses[0].startswith(("200", "503")), (statuses, body[:200])
    assert seen == [True]


def test_every_shouwei_command_runs_under_the_headroom(monkeypatch):
    import django.core.management

    from shouwei import cli

    seen = []
    monkeypatch.setattr(sys, "argv", ["shouwei", "check"])
    monkeypatch.setattr(
        django.core.management,
        "execute_from_command_line",
        lambda argv: seen.append((argv, _under_headroom())),
    )
    cli.main()
    assert seen == [(["shouwei", "check"], True)]
