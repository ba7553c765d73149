"""The published seed article under load: gunicorn on loopback, page cache on and off.

    python benchmarks/bench_portal.py                                  # SQLite, temp data dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_portal.py  # throwaway PostgreSQL

Loads the Hengyang demo (``loaddemo``) into a fresh database, runs ``collectstatic`` (hashed,
gzip and brotli copies, as in production), then for each mode starts ``gunicorn shouwei.wsgi``
with ``--workers`` sync workers on 127.0.0.1, as the internet-facing instance runs
(``SHOUWEI_SITE=portal``, DEBUG off), and hammers the seed article's page for ``--seconds``
with ``--concurrency`` connections of a small threaded client in this process. Modes: "cached"
(``SHOUWEI_PORTAL_CACHE_SECONDS=300``) and "uncached" (``=0``: every request renders).

Visitors: every request carries a browser user agent numbered from a pool of ``--visitors``, all
from 127.0.0.1, so the first request of each counts a view (INSERT + UPDATE) and the rest are
refreshes, which the view counter must refuse; the count at the end is checked.

The client shares the machine's cores with the server: "server CPU ms/req" is the gunicorn
workers' own CPU time (from /proc) per request, which holds steadier than requests/s when the
machine is busy; the load average is printed too.
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import common

MODES = {"cached": "300", "uncached": "0"}
UA = "Mozilla/5.0 (X11; Linux x86_64; bench-visitor-{n}) AppleWebKit/537.36 Chrome/120"
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


@dataclass
class Result:
    mode: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    server_cpu_ms_per_request: float
    client_cpu_share: float
    bytes: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (0: state, 1: parent pid, 11–14:
    utime, stime, cutime, cstime in clock ticks); None once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def parent(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    stats = [f for f in map(_stat, pids) if f]
    return sum(int(f[11]) + int(f[12]) for f in stats) / tick  # utime + stime


def server_cpu_seconds(master: int) -> float:
    """The CPU of a server process and all its children so far (a gunicorn master and its
    workers, PostgreSQL and its backends): the live children's own, and through the master's
    cutime/cstime those it has reaped — a worker restarted after ``--max-requests`` keeps
    counting."""
    fields = _stat(master)
    own_and_reaped = sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return own_and_reaped + cpu_seconds(children(master))


def children(pid: int) -> list[int]:
    return [int(e) for e in os.listdir("/proc") if e.isdigit() and parent(int(e)) == pid]


@contextmanager
def gunicorn(env: dict, workers: int):
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "shouwei.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn 未能启动") from None
                time.sleep(0.2)
        while len(children(proc.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        yield port, children(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch(port: int, request: bytes) -> tuple[int, bytes]:
    """One request on a new connection; (status, body). Plain blocking sockets in threads: of
    the clients tried, the one that leaves the most CPU to the server."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):  # the server closes after its answer
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _, body = response.partition(b"\r\n\r\n")
    length = CONTENT_LENGTH.search(head + b"\r\n")
    if not head.startswith(b"HTTP/1.") or (length and int(length.group(1)) != len(body)):
        raise OSError("incomplete response")
    return int(head[9:12]), body


def request_bytes(path: str, n: int) -> bytes:
    # A sync gunicorn worker closes every connection after its answer: say so up front.
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {UA.format(n=n)}\r\n"
        "Accept: text/html\r\nAccept-Language: zh-CN,zh;q=0.9\r\nConnection: close\r\n\r\n"
    ).encode()


def hammer(port: int, path: str, *, seconds: float, concurrency: int, visitors: int):
    requests = [request_bytes(path, n) for n in range(visitors)]
    latencies: list[float] = []
    failures: list[str] = []
    sizes: set[int] = set()
    counter = itertools.count()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < deadline:
            req = requests[next(counter) % visitors]
            started = time.perf_counter()
            try:
                status, body = fetch(port, req)
                size = len(body)
            except OSError as exc:
                failures.append(str(exc))
                continue
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append(f"HTTP {status}")
            else:
                sizes.add(size)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, len(failures), time.perf_counter() - started, sizes


def static_files(port: int, path: str) -> list[str]:
    """The page's stylesheet and script as served: hashed names, and the bytes sent to a
    browser that accepts brotli, gzip or neither."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"User-Agent": "shouwei-bench-bot"})  # not a view
    page = conn.getresponse().read().decode()
    lines = []
    for url in re.findall(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"', page):
        sizes = []
        for encoding in ("br", "gzip", "identity"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", url, headers={"Accept-Encoding": encoding})
            response = conn.getresponse()
            body = response.read()
            sent = response.getheader("Content-Encoding") or "identity"
            sizes.append(f"{encoding}: {len(body):,} B ({sent}, HTTP {response.status})")
        lines.append(f"{url}  " + "; ".join(sizes))
    return lines


def run_mode(mode: str, env: dict, path: str, args) -> Result:
    env = {**env, "SHOUWEI_PORTAL_CACHE_SECONDS": MODES[mode]}
    with gunicorn(env, args.workers) as (port, pids):
        if mode == "cached":
            for line in static_files(port, path):
                print(line)
        # Warm-up: both workers load their code, templates and (cached mode) the page.
        hammer(port, path, seconds=args.warmup, concurrency=args.concurrency, visitors=1)
        cpu_before, client_before = cpu_seconds(pids), time.process_time()
        latencies, errors, elapsed, sizes = hammer(
            port, path, seconds=args.seconds, concurrency=args.concurrency, visitors=args.visitors
        )
        server_cpu = cpu_seconds(pids) - cpu_before
        client_cpu = time.process_time() - client_before
    done = len(latencies)
    timing = common.Timing(latencies)
    p99 = sorted(latencies)[int(0.99 * (done - 1))] * 1000 if done else 0.0
    return Result(
        mode=mode,
        requests=done,
        errors=errors,
        seconds=round(elapsed, 1),
        rps=round(done / elapsed, 1),
        p50_ms=round(timing.p50_ms, 1),
        p95_ms=round(timing.p95_ms, 1),
        p99_ms=round(p99, 1),
        server_cpu_ms_per_request=round(server_cpu * 1000 / max(done, 1), 2),
        client_cpu_share=round(client_cpu / elapsed, 2),
        bytes=max(sizes) if sizes else 0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="timed seconds per mode")
    parser.add_argument("--warmup", type=float, default=3, help="untimed seconds first")
    parser.add_argument("--concurrency", type=int, default=16, help="connections in flight")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--visitors", type=int, default=500, help="distinct browsers")
    parser.add_argument("--modes", default="cached,uncached", help="cached,uncached")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--collected",
        metavar="DIR",
        help="keep the collected static files here and reuse them on the next run "
        "(collectstatic with brotli takes minutes)",
    )
    args = parser.parse_args()

    # The portal-only instance with production settings; one data dir for this process and
    # the servers (the secret key, the SQLite file, the collected static files).
    if not os.environ.get("SHOUWEI_DATA_DIR"):
        data_dir = tempfile.mkdtemp(prefix="shouwei-bench.")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        os.environ["SHOUWEI_DATA_DIR"] = data_dir
    static_root = os.path.join(os.environ["SHOUWEI_DATA_DIR"], "static")
    if args.collected and not os.path.exists(static_root):
        os.makedirs(args.collected, exist_ok=True)
        os.symlink(os.path.abspath(args.collected), static_root)
    os.environ.update(
        SHOUWEI_SITE="portal",
        SHOUWEI_DEBUG="0",
        SHOUWEI_COLLECTED_STATIC="1",
        SHOUWEI_ALLOWED_HOSTS="127.0.0.1",
        SHOUWEI_LOG_LEVEL="WARNING",
    )
    database = common.setup_django()

    import io

    from django.core.management import call_command
    from django.db import connections

    from shouwei.portal.models import Article, ArticleView

    machine = common.machine_label()
    print(f"# portal article page on {database}; {machine}")
    # collectstatic first, as an installation does: the demo's articles are sealed with the
    # hashed files WhiteNoise serves. Sealed before, every page would be refused as tampered
    # (503) — the files changed under the seal; a release does `shouwei portal reseal`.
    started = time.perf_counter()
    if args.collected and os.path.exists(os.path.join(args.collected, "staticfiles.json")):
        print(f"collectstatic: reusing {args.collected}")
    else:
        call_command("collectstatic", "--noinput", verbosity=0)
        print(f"collectstatic (hashed + gzip + brotli): {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call_command("loaddemo", stdout=io.StringIO())
    print(f"loaddemo: {time.perf_counter() - started:.1f} s")
    seed = Article.objects.get(title__startswith="衡阳高新区全方位践行")
    path = seed.get_absolute_url()
    views_before = seed.view_count
    connections.close_all()

    env = dict(os.environ)
    results = []
    for mode in args.modes.split(","):
        result = run_mode(mode, env, path, args)
        results.append(result)
        print(
            f"{mode:9} {result.rps:8.1f} req/s  p50 {result.p50_ms:6.1f} ms  "
            f"p95 {result.p95_ms:6.1f} ms  errors {result.errors}  "
            f"server CPU {result.server_cpu_ms_per_request} ms/req"
        )

    # Every visitor of the pool was counted once, whatever the mode and the repeats.
    views = Article.objects.values_list("view_count", flat=True).get(pk=seed.pk)
    marks = ArticleView.objects.filter(article=seed).count()
    print(f"views counted: {views - views_before} (distinct visitors: {args.visitors})")
    if views - views_before != marks or marks > args.visitors:
        sys.exit(f"浏览量错误：计数增加 {views - views_before}，访客记录 {marks}")

    print()
    print(
        f"{database}; gunicorn {args.workers} sync workers on 127.0.0.1; client: threads, "
        f"{args.concurrency} connections, {args.seconds:g} s per mode, {args.visitors} "
        f"visitors; page {path} ({results[0].bytes / 1024:.0f} KiB)"
    )
    print(f"at the end: {common.machine_label()}")
    print()
    print(
        common.markdown_table(
            [
                "mode",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "errors",
                "requests",
                "server CPU ms/req",
                "client CPU share",
            ],
            [
                [
                    r.mode,
                    r.rps,
                    r.p50_ms,
                    r.p95_ms,
                    r.p99_ms,
                    r.errors,
                    r.requests,
                    r.server_cpu_ms_per_request,
                    r.client_cpu_share,
                ]
                for r in results
            ],
        )
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "database": database,
                    "machine_at_start": machine,
                    "machine_at_end": common.machine_label(),
                    "args": vars(args),
                    "views_counted": views - views_before,
                    "results": [asdict(r) for r in results],
                },
                fh,
                ensure_ascii=False,
                indent=2,
            )
    if any(r.errors for r in results):
        sys.exit("有请求失败（见上表 errors 列）")


if __name__ == "__main__":
    main()
