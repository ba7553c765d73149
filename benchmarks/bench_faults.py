"""Faults survived: a worker killed mid-write, PostgreSQL restarted under load, the disk full.

    python benchmarks/bench_faults.py kill             # SQLite; or under with_postgres.sh
    bash benchmarks/with_postgres.sh python benchmarks/bench_faults.py restart
    python benchmarks/bench_faults.py disk-full        # as root: mounts a small tmpfs

``kill``: ``shouwei import observations`` of a ``--rows`` (50,000) row file is killed with
SIGKILL in the middle of its commit (once the batch says 写入中 and rows are being written),
and a report build in ``shouwei worker`` is killed while it says 生成中. Checked: no figure
was written and the batch is still 写入中 until the dead process is noticed; then (what the
worker's periodic job does after a restart) the batch is 失败 with the reason and the report
too, nothing half-written (the report holds no document); the same batch then commits all its
rows and the report builds again.

``restart``: ``shouwei serve`` (2 workers) under a steady load of the cockpit and an API read,
while the script stops PostgreSQL (``pg_ctl stop -m fast``), keeps it down for ``--down``
seconds and starts it again. Checked: while it is down every answer is a 503 with Retry-After
(no 500, no request hanging past the timeout); once it is back the same workers answer 200
again without being restarted, within a few seconds.

``disk-full``: the data directory (SQLite, uploads) on a tmpfs of ``--size`` MB. The demo is
loaded, the rest of the space filled, then an import is committed: it must fail with a clear
message and change nothing. After the filler is removed, ``PRAGMA integrity_check`` says ok,
the row counts are as before, and the same import commits.

Exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

import common
from bench_load import request_bytes
from bench_portal import fetch, free_port

failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(("  ok   " if ok else "  FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def _wait_for(what: str, condition, seconds: float = 300, every: float = 0.02):
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    raise SystemExit(f"等待超时：{what}")


def kill(args) -> None:
    data_dir = tempfile.mkdtemp(prefix="shouwei-bench.")
    os.environ.update(SHOUWEI_DATA_DIR=data_dir, SHOUWEI_LOG_LEVEL="ERROR")
    database = common.setup_django()
    from bench_import import build_csv
    from django.core.management import call_command
    from django.db import close_old_connections, connection
    from django.db.models import F

    from shouwei.demo.accounts import create_demo_accounts
    from shouwei.demo.synthetic import generate
    from shouwei.imports import jobs as import_jobs
    from shouwei.imports import services as import_services
    from shouwei.imports.models import ImportBatch, ImportStatus
    from shouwei.indicators.models import Observation
    from shouwei.reports import services as report_services
    from shouwei.reports.models import Report

    print(f"# a worker killed mid-write; {database}; {common.machine_label()}")
    call_command("loaddemo", "--real-date", stdout=io.StringIO())
    create_demo_accounts()
    indicators = -(-args.rows // (args.units * 12))  # enough figures for the rows asked
    generate(scale="custom", units=args.units, indicators=indicators, months=12)
    csv = os.path.join(data_dir, "import.csv")
    with open(csv, "wb") as fh:
        fh.write(build_csv(args.rows))
    figures_before = Observation.objects.count()
    connection.close()
    shouwei = os.path.join(os.path.dirname(sys.executable), "shouwei")

    # 1. The import, killed while it writes.
    started = time.perf_counter()
    child = subprocess.Popen(
        [shouwei, "import", "observations", csv, "--user", "admin"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )

    def writing():
        # The commit validates again (processed_rows counts up), then writes every row in one
        # transaction: processed_rows == total_rows means that transaction has begun.
        close_old_connections()
        return ImportBatch.objects.filter(
            status=ImportStatus.COMMITTING, total_rows__gt=0, processed_rows=F("total_rows")
        ).first()

    batch = _wait_for("导入进入写入事务", writing, every=0.02)
    time.sleep(args.into)  # into the write, not at its first row
    child.send_signal(signal.SIGKILL)
    child.wait()
    batch.refresh_from_db()
    print(
        f"  import killed after {time.perf_counter() - started:.1f} s at "
        f"{batch.processed_rows:,} of {batch.total_rows:,} rows ({batch.get_status_display()})"
    )
    check(
        child.returncode == -signal.SIGKILL,
        f"the import process died of SIGKILL {args.into} s into its write transaction",
    )
    check(Observation.objects.count() == figures_before, "no figure of the killed import written")
    check(batch.status == ImportStatus.COMMITTING, "until it is noticed the batch says 写入中")
    check(import_jobs.recover_stale_batches() == 1, "the worker's periodic job finds the batch")
    batch.refresh_from_db()
    check(batch.status == ImportStatus.FAILED, f"the batch is failed: {batch.message}")
    check("意外终止" in batch.message, "with the reason")
    again = import_services.batch_commit(batch=batch, user=batch.committed_by, inline=True)
    check(again.status == ImportStatus.COMMITTED, "the same batch commits again")
    check(
        Observation.objects.count() == figures_before + args.rows,
        f"all {args.rows:,} rows, once",
    )

    # 2. A report build in the task worker, killed while it builds.
    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.get(username="leader")
    report = report_services.request_report(
        kind="half-year", unit="hy-gxq", period="2022H1", by=leader
    )
    connection.close()
    worker = subprocess.Popen(
        [shouwei, "worker", "--no-schedule"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )

    def building():
        close_old_connections()
        return Report.objects.filter(pk=report.pk, status="building").exists()

    try:
        _wait_for("报告进入生成中", building, every=0.005)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
    report.refresh_from_db()
    print(f"  report killed at {report.progress} % ({report.get_status_display()})")
    check(report.status == "building" and report.document is None, "nothing of it stored")
    check(report_services.recover_stale() == 1, "the worker's periodic job finds the report")
    report.refresh_from_db()
    check(report.status == "failed" and "意外终止" in report.error, f"failed: {report.error}")
    rebuilt = report_services.rebuild(report=report, by=leader, inline=True)
    check(rebuilt.status == "built", "the report builds again")
    shutil.rmtree(data_dir, ignore_errors=True)


def restart(args) -> None:
    pg_bin, pg_dir, pg_port = (
        os.environ.get(f"SHOUWEI_BENCH_PG_{k}") for k in ("BIN", "DIR", "PORT")
    )
    if not pg_bin:
        sys.exit("需要 PostgreSQL：bash benchmarks/with_postgres.sh python … restart")
    data_dir = tempfile.mkdtemp(prefix="shouwei-bench.")
    os.environ.update(SHOUWEI_DATA_DIR=data_dir, SHOUWEI_DEBUG="0", SHOUWEI_LOG_LEVEL="ERROR")
    database = common.setup_django()
    from django.core.management import call_command
    from django.db import connections

    from shouwei.core.models import ApiToken
    from shouwei.demo.accounts import create_demo_accounts

    print(f"# PostgreSQL restarted under load; {database}; {common.machine_label()}")
    call_command("loaddemo", stdout=io.StringIO())
    create_demo_accounts()
    from django.contrib.auth import get_user_model

    _token, key = ApiToken.issue(user=get_user_model().objects.get(username="leader"), name="f")
    connections.close_all()
    requests = [
        request_bytes("/api/indicators", {"Authorization": f"Bearer {key}"}),
        request_bytes("/api/observations?unit=hy-gxq", {"Authorization": f"Bearer {key}"}),
    ]

    port = free_port()
    shouwei = os.path.join(os.path.dirname(sys.executable), "shouwei")
    server = subprocess.Popen(
        [
            *(shouwei, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"),
            *("--timeout", "30", "--access-log", os.devnull),
        ],
        env=dict(os.environ),
        stderr=subprocess.DEVNULL,
    )
    log: list[tuple[float, str, float, int]] = []  # (time, phase, seconds, status)
    phase = {"now": "before"}
    stop = threading.Event()

    def load() -> None:
        n = 0
        while not stop.is_set():
            started = time.perf_counter()
            try:
                status, _size = fetch(port, requests[n % len(requests)])
            except OSError:
                status = 0
            log.append((started, phase["now"], time.perf_counter() - started, status))
            n += 1
            time.sleep(0.05)

    pg_ctl = ["runuser", "-u", "postgres", "--", f"{pg_bin}/pg_ctl", "-D", f"{pg_dir}/data"]
    options = f"-p {pg_port} -k {pg_dir}/sock -c listen_addresses=127.0.0.1 -c fsync=off"
    try:
        for _ in range(300):
            try:
                if fetch(port, requests[0])[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        threads = [threading.Thread(target=load) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(args.before)
        # Requests in flight while it stops may finish either way: "stopping" is not judged.
        phase["now"] = "stopping"
        subprocess.run([*pg_ctl, "-m", "fast", "-w", "stop"], check=True, capture_output=True)
        phase["now"] = "down"
        down_at = time.perf_counter()
        time.sleep(args.down)
        phase["now"] = "starting"
        subprocess.run(
            [*pg_ctl, "-w", "-l", f"{pg_dir}/log", "-o", options, "start"],
            check=True,
            capture_output=True,
        )
        up_at = time.perf_counter()
        phase["now"] = "after"
        time.sleep(args.after)
        stop.set()
        for t in threads:
            t.join()
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=60)

    by_phase: dict[str, Counter] = {}
    for _t, ph, _s, status in log:
        by_phase.setdefault(ph, Counter())[status] += 1
    for ph in ("before", "stopping", "down", "starting", "after"):
        print(f"  {ph:9} {dict(by_phase.get(ph, Counter()))}")
    down = [entry for entry in log if entry[1] == "down"]
    check(bool(down), "requests were made while the database was down")
    check(
        all(status == 503 for _t, _p, _s, status in down),
        "while it was down every answer was a 503 (no 500, no dropped connection)",
    )
    slowest = max((s for _t, _p, s, _st in down), default=0)
    check(slowest < 10, f"no request hung while it was down (slowest {slowest:.2f} s)")
    after = [entry for entry in log if entry[0] >= up_at]
    first_ok = next((t for t, _p, _s, status in after if status == 200), None)
    check(first_ok is not None, "the app answered 200 again after the restart")
    if first_ok is not None:
        print(
            f"  down {up_at - down_at:.1f} s; first 200 {first_ok - up_at:.2f} s after "
            "PostgreSQL was up again"
        )
    tail = [status for t, _p, _s, status in after if first_ok and t > first_ok + 1]
    check(bool(tail) and all(s == 200 for s in tail), "from then on every answer was a 200")
    check(alive, "the same gunicorn master served throughout (no restart of the app)")
    shutil.rmtree(data_dir, ignore_errors=True)


def disk_full(args) -> None:
    if os.environ.get("SHOUWEI_DATABASE_URL"):
        sys.exit("disk-full 检查的是数据目录里的 SQLite：不要设 SHOUWEI_DATABASE_URL")
    mount = tempfile.mkdtemp(prefix="shouwei-full.")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={args.size}m,mode=0700", "tmpfs", mount],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"无法挂载 tmpfs（需要 root）：{done.stderr.strip()}")
    try:
        _disk_full_in(mount, args)
    finally:
        from django.db import connections

        connections.close_all()
        subprocess.run(["umount", "-l", mount], check=False)
        shutil.rmtree(mount, ignore_errors=True)


def _disk_full_in(mount: str, args) -> None:
    os.environ.update(SHOUWEI_DATA_DIR=os.path.join(mount, "data"), SHOUWEI_LOG_LEVEL="ERROR")
    database = common.setup_django()
    from bench_import import build_csv
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from shouwei.demo.synthetic import generate

    print(f"# data directory's disk full; {database} on a {args.size} MB tmpfs")
    call_command("loaddemo", "--real-date", stdout=io.StringIO())
    from shouwei.demo.accounts import create_demo_accounts

    create_demo_accounts()
    generate(scale="custom", units=20, indicators=10, months=12)
    csv = os.path.join(mount, "import.csv")
    with open(csv, "wb") as fh:
        fh.write(build_csv(args.rows))

    def counts() -> dict[str, int]:
        return {m._meta.label: m._default_manager.count() for m in apps.get_models()}

    before = counts()
    connection.close()
    filler = os.path.join(mount, "filler")
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * (1 << 20))
                fh.flush()
        except OSError:
            pass
    left = shutil.disk_usage(mount).free
    print(f"  filled: {left} bytes free")
    shouwei = os.path.join(os.path.dirname(sys.executable), "shouwei")
    env = dict(os.environ)
    full = subprocess.run(
        [shouwei, "import", "observations", csv, "--user", "admin"],
        capture_output=True,
        text=True,
        env=env,
    )
    message = (full.stdout + full.stderr).strip().splitlines()
    print("  import on the full disk said:", message[-1] if message else "(nothing)")
    check(full.returncode != 0, "the import on a full disk fails")
    check(
        any("磁盘" in line or "空间" in line for line in message)
        and "Traceback" not in full.stderr,
        "with a clear message, not a traceback",
    )
    os.remove(filler)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        integrity = cursor.fetchone()[0]
    check(integrity == "ok", f"PRAGMA integrity_check: {integrity}")
    after = counts()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    # The failed batch may be recorded as failed (its history says so); no figure was written.
    changed.pop("imports.ImportBatch", None)
    check(not changed, f"no table changed ({changed or 'none'})")
    connection.close()
    again = subprocess.run(
        [shouwei, "import", "observations", csv, "--user", "admin"],
        capture_output=True,
        text=True,
        env=env,
    )
    said = (again.stdout + again.stderr).strip().splitlines()
    check(again.returncode == 0, f"with space again, the same import commits ({said[-1:]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="fault", required=True)
    k = sub.add_parser("kill", help="a worker killed mid-write (an import, a report)")
    k.add_argument("--rows", type=int, default=50_000, help="rows of the import")
    k.add_argument("--units", type=int, default=100, help="synthetic units the rows cover")
    k.add_argument("--into", type=float, default=1.0, help="seconds into the write to kill it")
    r = sub.add_parser("restart", help="PostgreSQL restarted under load")
    r.add_argument("--before", type=float, default=4)
    r.add_argument("--down", type=float, default=4)
    r.add_argument("--after", type=float, default=8)
    d = sub.add_parser("disk-full", help="the data directory's disk full")
    d.add_argument("--size", type=int, default=96, help="tmpfs size in MB")
    d.add_argument("--rows", type=int, default=2000, help="rows of the import")
    args = parser.parse_args()
    {"kill": kill, "restart": restart, "disk-full": disk_full}[args.fault](args)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    print("all checks passed")


if __name__ == "__main__":
    main()
