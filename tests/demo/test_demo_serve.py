"""`shouwei demo` serves with `shouwei worker` beside the server (escalation and seal checks run
on their own), and stops it with the server, however the server ends."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command

from shouwei.demo.management.commands import demo as demo_command

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


@pytest.fixture
def started(monkeypatch):
    """The worker's processes, started in place of `shouwei worker` by a process that sleeps."""
    processes = []
    real_popen = subprocess.Popen

    def popen(args):
        assert args == demo_command.worker_command()
        process = real_popen(SLEEPER)
        processes.append(process)
        return process

    monkeypatch.setattr(demo_command.subprocess, "Popen", popen)
    return processes


def test_the_worker_runs_while_the_server_serves_and_stops_with_it(started):
    seen = []
    demo_command.serve_with_worker(lambda: seen.append(started[0].poll()))
    assert seen == [None]  # running while serving
    assert started[0].poll() is not None


def test_the_worker_stops_when_the_server_is_interrupted(started):
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        demo_command.serve_with_worker(interrupted)
    assert started[0].poll() is not None


def test_the_worker_stops_when_the_demo_is_terminated(started):
    def terminated():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler interrupts this at once

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit):
        demo_command.serve_with_worker(terminated)
    assert started[0].poll() is not None
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_busy_port_is_refused_before_anything_starts(started):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match=f"无法在 127.0.0.1:{port} 启动服务"):
            call_command("demo", port=port)
    assert started == []


def test_the_worker_beside_the_server_is_shouwei_worker_with_the_periodic_jobs(tmp_path):
    env = {**os.environ, "SHOUWEI_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [*demo_command.worker_command(), "--list-jobs"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    jobs = {line.split("\t")[0] for line in result.stdout.splitlines()}
    assert {"projects.escalate_overdue", "portal.verify"} <= jobs
