"""A bounded mixed load against ``shouwei serve`` on loopback: the cockpit, lists, API reads
and portal pages at once, with an import committing in the middle of it.

    python benchmarks/bench_load.py                                  # SQLite, temp data dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_load.py  # throwaway PostgreSQL

Loads the demo (with today's date, so that an import of 2023 figures is not refused as a
future period) and a small synthetic province corner, then starts ``shouwei serve`` (gunicorn,
``--workers`` sync workers, production settings, DEBUG off) and drives it for ``--seconds``
with ``--concurrency`` connections of a threaded client in this process. Each connection
takes its next request from one weighted schedule (``MIX``), so that the kinds of visitor
arrive in the proportions a platform with a public website sees: the public reading the
portal most (home page, an article, a search), then an API client reading with a token, a
clerk paging through the lists and the leader opening the cockpit. A third of the way through,
``shouwei import observations`` commits ``--import-rows`` figures into the same database.
Reported: requests/s held, p50/p95 per kind, errors (any status but 200, a page without the
text it must show — a login page or an error page instead of the real one —, any connection
failure), the server's own CPU per request (master and workers, a worker restarted after
``--max-requests`` too), PostgreSQL's (its server process and backends, when it runs here),
the client's, and the import's time.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict

import common
from bench_import import build_csv
from bench_portal import children, fetch, free_port, parent, server_cpu_seconds

SEARCH = "%E9%AB%98%E6%96%B0%E5%8C%BA"  # 高新区, percent-encoded as a browser sends it

# Requests out of every 100, by visitor kind: the public portal gets most of the traffic.
MIX = {"portal (public)": 70, "API reads (token)": 10, "lists (clerk)": 12, "cockpit (leader)": 8}


def request_bytes(path: str, headers: dict[str, str]) -> bytes:
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}"
        "Accept-Language: zh-CN,zh;q=0.9\r\nConnection: close\r\n\r\n"
    ).encode()


def visits(leader: str, clerk: str, key: str, article) -> dict[str, list[tuple[str, dict, str]]]:
    """Each kind of visitor's requests: (path, headers, text the answer must hold), with the
    leader's and the clerk's session cookies and the API client's token."""
    return {
        "cockpit (leader)": [("/indicators/cockpit/", {"Cookie": leader}, "targets-title")],
        "lists (clerk)": [
            (path, {"Cookie": clerk}, "<tbody")
            for path in (
                "/projects/projects/",
                "/indicators/observations/",
                "/enterprises/enterprises/",
                "/projects/projects/?page=2",
                "/indicators/observations/?q=GDP",
            )
        ],
        "API reads (token)": [
            (path, {"Authorization": f"Bearer {key}"}, text)
            for path, text in (
                ("/api/indicators", '"code"'),
                ("/api/observations?unit=hy-gxq", '"period"'),
                ("/api/projects", '"name"'),
            )
        ],
        "portal (public)": [
            (path, {"User-Agent": "Mozilla/5.0 (load visitor)"}, text)
            for path, text in (
                ("/", "latest-h"),
                (article.get_absolute_url(), article.title[:12]),
                (f"/portal/search/?q={SEARCH}", "高新区"),
            )
        ],
    }


def prepare_visits() -> dict[str, list[tuple[str, dict, str]]]:
    """Load the demo (with today's date) and a small synthetic province corner into the set-up
    database; the visitors' requests against it (``visits``)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from shouwei.core.models import ApiToken
    from shouwei.demo.accounts import create_demo_accounts
    from shouwei.demo.synthetic import generate
    from shouwei.portal.models import Article

    call_command("loaddemo", "--real-date", stdout=io.StringIO())
    create_demo_accounts()
    generate(scale="custom", units=20, indicators=10, months=12)
    statistician = get_user_model().objects.get(username="statistician")
    _token, key = ApiToken.issue(user=statistician, name="load", days=1)
    article = Article.objects.filter(status="published").order_by("-published_at").first()
    return visits(session_cookie("leader"), session_cookie("staff_cyfz"), key, article)


def session_cookie(username: str) -> str:
    """A logged-in session for the demo account, as the login page would leave it."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="timed seconds")
    parser.add_argument("--concurrency", type=int, default=16, help="connections in flight")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--import-rows", type=int, default=2000, help="rows of the import")
    args = parser.parse_args()

    if not os.environ.get("SHOUWEI_DATA_DIR"):
        data_dir = tempfile.mkdtemp(prefix="shouwei-bench.")
        os.environ["SHOUWEI_DATA_DIR"] = data_dir
    os.environ.update(SHOUWEI_DEBUG="0", SHOUWEI_LOG_LEVEL="WARNING")
    database = common.setup_django()

    from django.db import connections

    print(f"# mixed load on {database}; {common.machine_label()}")
    requests_by_kind = prepare_visits()
    csv_path = os.path.join(os.environ["SHOUWEI_DATA_DIR"], "load-import.csv")
    with open(csv_path, "wb") as fh:
        fh.write(build_csv(args.import_rows))
    postmaster = postmaster_pid()
    connections.close_all()

    # (request, text the answer must hold): a login page, a 403 or an empty list is an error.
    kinds = {
        name: [(request_bytes(path, headers), text) for path, headers, text in requests]
        for name, requests in requests_by_kind.items()
    }
    schedule = [name for name, weight in MIX.items() for _ in range(weight)]
    random.Random(16).shuffle(schedule)

    port = free_port()
    serve = [os.path.join(os.path.dirname(sys.executable), "shouwei"), "serve"]
    serve += ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    server = subprocess.Popen([*serve, "--access-log", os.devnull], env=dict(os.environ))
    try:
        _wait_for(port, server)
        # Every request once, to fail early on a wrong path or a page that is not the real one,
        # and to warm the workers.
        for name, requests in kinds.items():
            for req, text in requests:
                status, body = fetch(port, req)
                if status != 200 or text.encode() not in body:
                    sys.exit(f"{name}: {req.split(b' ')[1].decode()} 返回 {status}，或缺少“{text}”")
        for _ in range(args.workers * 4):
            for requests in kinds.values():
                for req, _text in requests:
                    fetch(port, req)

        latencies: dict[str, list[float]] = defaultdict(list)
        failures: dict[str, list[str]] = defaultdict(list)
        counter = itertools.count()
        turns = defaultdict(itertools.count)
        deadline = time.perf_counter() + args.seconds
        names = list(kinds)

        def visitor(n: int) -> None:
            while time.perf_counter() < deadline:
                name = schedule[next(counter) % len(schedule)]
                requests = kinds[name]
                req, text = requests[next(turns[name]) % len(requests)]
                started = time.perf_counter()
                try:
                    status, body = fetch(port, req)
                except OSError as exc:
                    failures[name].append(str(exc))
                    continue
                latencies[name].append(time.perf_counter() - started)
                if status != 200:
                    failures[name].append(f"HTTP {status}")
                elif text.encode() not in body:
                    failures[name].append(f"no {text!r} in {req.split(b' ')[1].decode()}")

        imported: dict[str, object] = {}

        def run_import() -> None:
            time.sleep(args.seconds / 3)
            started = time.perf_counter()
            done = subprocess.run(
                [serve[0], "import", "observations", csv_path, "--user", "admin"],
                capture_output=True,
                text=True,
                env=dict(os.environ),
            )
            imported.update(
                seconds=time.perf_counter() - started,
                ok=done.returncode == 0,
                output=(done.stdout + done.stderr).strip().splitlines()[-4:],
            )

        threads = [threading.Thread(target=visitor, args=(n,)) for n in range(args.concurrency)]
        importer = threading.Thread(target=run_import)
        # After the warm-up: the master listens before it has forked every worker.
        pids = children(server.pid)
        if len(pids) != args.workers:
            sys.exit(f"{len(pids)} 个工作进程，应为 {args.workers}")
        cpu_before = server_cpu_seconds(server.pid)
        database_before = server_cpu_seconds(postmaster) if postmaster else 0.0
        client_before = sum(os.times()[:2])
        started = time.perf_counter()
        for t in [*threads, importer]:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        server_cpu = server_cpu_seconds(server.pid) - cpu_before
        database_cpu = server_cpu_seconds(postmaster) - database_before if postmaster else None
        restarted = len(set(pids) - set(children(server.pid)))
        client_cpu = sum(os.times()[:2]) - client_before
        importer.join()
    finally:
        server.terminate()
        server.wait(timeout=60)

    total = sum(len(v) for v in latencies.values())
    errors = sum(len(v) for v in failures.values())
    print(
        f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} req/s held, "
        f"{errors} errors; server CPU {server_cpu * 1000 / max(total, 1):.1f} ms/req, "
        f"client {client_cpu * 1000 / max(total, 1):.1f} ms/req; "
        f"{args.concurrency} connections, {args.workers} workers "
        f"({restarted} restarted after --max-requests during the run, their CPU counted)"
        + (
            f"; PostgreSQL's own CPU {database_cpu * 1000 / max(total, 1):.1f} ms/req"
            if database_cpu is not None
            else ""
        )
    )
    print("| visitor | share | requests | req/s | p50 ms | p95 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        timing = common.Timing(latencies[name])
        print(
            f"| {name} | {MIX[name]}% | {len(latencies[name])} | "
            f"{len(latencies[name]) / elapsed:.1f} | "
            f"{timing.p50_ms:.0f} | {timing.p95_ms:.0f} | {len(failures[name])} |"
        )
    everything = common.Timing([x for v in latencies.values() for x in v])
    print(
        f"| all | 100% | {total} | {total / elapsed:.1f} | {everything.p50_ms:.0f} | "
        f"{everything.p95_ms:.0f} | {errors} |"
    )
    print(
        f"import of {args.import_rows} rows during the load: "
        f"{'committed' if imported.get('ok') else 'FAILED'} in {imported.get('seconds', 0):.1f} s "
        f"{imported.get('output')}"
    )
    for name, messages in failures.items():
        if messages:
            print(f"{name}: {sorted(set(messages))[:5]}")
    print(f"at the end: {common.machine_label()}")
    shutil.rmtree(os.environ["SHOUWEI_DATA_DIR"], ignore_errors=True)
    if errors or not imported.get("ok"):
        sys.exit(1)


def postmaster_pid() -> int | None:
    """The PostgreSQL server the settings point at, when it runs on this machine: the parent
    of this connection's backend (its backends are its children)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    return parent(backend)


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("shouwei serve 未能启动") from None
            time.sleep(0.2)


if __name__ == "__main__":
    main()
