"""`shouwei serve` runs the production server: gunicorn, workers from the core count, timeouts,
an access log; the portal-only instance is served the same way."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from django.core.management import call_command

from shouwei.core.management.commands.serve import default_workers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_command_builds_gunicorn_with_workers_timeouts_and_access_log(capsys):
    call_command("serve", "--print", "--workers", "3", "--timeout", "45")
    out = capsys.readouterr().out
    assert "-m gunicorn shouwei.wsgi:application" in out
    assert "--workers 3" in out and "--timeout 45" in out and "--graceful-timeout 30" in out
    assert "--access-logfile -" in out and "--max-requests 2000" in out
    assert out.startswith("SHOUWEI_SITE=platform ")


def test_workers_follow_the_core_count(monkeypatch):
    monkeypatch.delenv("SHOUWEI_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_workers() == 5
    monkeypatch.setenv("SHOUWEI_WORKERS", "2")
    assert default_workers() == 2


def test_the_portal_instance_is_served_the_same_way(capsys):
    call_command("serve", "--print", "--site", "portal")
    assert capsys.readouterr().out.startswith("SHOUWEI_SITE=portal ")


def _serve(tmp_path, *extra):
    extra = ("--workers", "1", *extra)
    port = _free_port()
    env = {
        **os.environ,
        "SHOUWEI_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "shouwei.settings",
        "SHOUWEI_DEBUG": "0",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "shouwei.cli", "serve", "--bind", f"127.0.0.1:{port}", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                return proc, port, r.status
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(proc.stdout.read()) from None
            time.sleep(0.3)


def test_it_really_serves_and_logs_each_request(tmp_path):
    proc, port, status = _serve(tmp_path)
    try:
        assert status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/shouwei/portal.css") as r:
            assert r.status == 200  # WhiteNoise, inside the application
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert '"GET /healthz HTTP/1.1" 200' in out
    assert "ms" in out.split('"GET /healthz HTTP/1.1" 200', 1)[1].splitlines()[0]


def test_it_refuses_to_serve_with_debug_on(tmp_path):
    env = {**os.environ, "SHOUWEI_DATA_DIR": str(tmp_path), "SHOUWEI_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "shouwei.cli", "serve", "--print"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "调试模式" in result.stderr
