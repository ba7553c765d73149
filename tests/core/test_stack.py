"""Requests and commands run below a frame that reserves a fresh stack chunk
(shouwei.core.stack: CPython's chunk thrashing, gh-142183)."""

import io
import sys

import pytest

from shouwei.core import stack


def _under_headroom() -> bool:
    frame = sys._getframe()
    while frame is not None:
        if frame.f_code is stack.run_with_headroom.__code__:
            return True
        frame = frame.f_back
    return False


def test_the_headroom_frame_declares_more_stack_than_a_chunk_holds():
    # CPython's chunks are 16 KiB (2,048 slots); a frame larger than one always starts its own.
    assert stack.run_with_headroom.__code__.co_stacksize >= stack.HEADROOM_SLOTS > 2048


def test_run_with_headroom_returns_the_answer_and_passes_errors_on():
    assert stack.run_with_headroom(divmod, 7, 2) == (3, 1)
    with pytest.raises(ZeroDivisionError):
        stack.run_with_headroom(divmod, 1, 0)
    assert not _under_headroom()


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
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/healthz",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }
    statuses = []
    body = b"".join(application(environ, lambda status, headers, *a: statuses.append(status)))
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
