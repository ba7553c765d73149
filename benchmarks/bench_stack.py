"""Requests called with and without the stack headroom (shouwei.core.stack), side by side.

    python benchmarks/bench_stack.py                                  # SQLite, temp data dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_stack.py  # throwaway PostgreSQL

Two measurements in one run:

1. CPython alone: a loop of calls to a one-line function, made from every depth 0–599 below
   this script's frame; the worst and best nanoseconds per call, plainly and from inside
   ``run_with_headroom``. At a depth where the loop's frame is the last to fit a stack chunk,
   every call allocates and frees a chunk (gh-142183).
2. The platform: bench_load's visitors' requests (the same demo, the same paths, the person
   cache on as in production) sent straight to the WSGI application in this process, Django's
   plain handler against ``shouwei.wsgi``'s (the same handler under the headroom frame); CPU
   milliseconds a request weighted by bench_load's mix. Whether a plain request thrashes
   depends on how deep it starts, so each handler is measured from ``--depths`` starting
   depths, 4 frames apart: best, median and worst. No server, no client: what is measured is
   the request's own work.
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import time

import common


def _leaf(x: int) -> int:
    return x + 1


def _loop(calls: int) -> float:
    started = time.perf_counter()
    for i in range(calls):
        _leaf(i)
    return (time.perf_counter() - started) * 1e9 / calls


def _at_depth(depth: int, calls: int) -> float:
    return _loop(calls) if depth == 0 else _at_depth(depth - 1, calls)


def calls_by_depth() -> None:
    from shouwei.core.stack import run_with_headroom

    plain = [_at_depth(d, 5000) for d in range(600)]
    headroom = [run_with_headroom(_at_depth, d, 5000) for d in range(600)]
    print("| calls of a one-line function, depth 0–599 | best ns/call | worst ns/call |")
    print("|---|---|---|")
    print(f"| plain | {min(plain):.0f} | {max(plain):.0f} (depth {plain.index(max(plain))}) |")
    print(f"| under run_with_headroom | {min(headroom):.0f} | {max(headroom):.0f} |")


def requests_by_kind(repeat: int, depths: list[int]) -> None:
    from bench_load import MIX, prepare_visits
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.test.client import RequestFactory

    from shouwei.wsgi import application as headroom

    # As production runs (common.setup_django turns it off for page timings).
    settings.SHOUWEI_PERSON_CACHE_SECONDS = 600
    visits = prepare_visits()
    logging.disable(logging.CRITICAL)
    factory = RequestFactory()
    handlers = {"Django's handler": get_wsgi_application(), "shouwei.wsgi (headroom)": headroom}

    def call(app, path: str, headers: dict, text: str) -> None:
        route, _, query = path.partition("?")
        environ = factory._base_environ(
            PATH_INFO=route,
            QUERY_STRING=query,
            HTTP_HOST="127.0.0.1",
            HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9",
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
        )
        environ["wsgi.input"] = io.BytesIO(b"")
        statuses: list[str] = []
        body = b"".join(app(environ, lambda status, *_: statuses.append(status)))
        if not statuses[0].startswith("200") or text.encode() not in body:
            raise SystemExit(f"{path}: {statuses[0]}，或缺少“{text}”")

    for app in handlers.values():  # warm: templates compiled, caches filled
        for requests in visits.values():
            for request in requests:
                for _ in range(3):
                    call(app, *request)

    def mix_at(depth: int, app) -> dict[str, float]:
        if depth:
            return mix_at(depth - 1, app)
        per_kind = {}
        for kind, requests in visits.items():
            times = []
            for request in requests:
                started = time.process_time()
                for _ in range(repeat):
                    call(app, *request)
                times.append((time.process_time() - started) * 1000 / repeat)
            per_kind[kind] = statistics.mean(times)
        return per_kind

    def weigh(per_kind: dict[str, float]) -> float:
        return sum(MIX[k] * v for k, v in per_kind.items()) / sum(MIX.values())

    rows, medians = [], {}
    for label, app in handlers.items():
        runs = [mix_at(depth, app) for depth in depths]
        mixes = sorted(weigh(r) for r in runs)
        lists = sorted(r["lists (clerk)"] for r in runs)
        medians[label] = statistics.median(mixes)
        rows.append(
            [
                label,
                f"{mixes[0]:.2f}",
                f"{medians[label]:.2f}",
                f"{mixes[-1]:.2f}",
                f"{lists[0]:.1f} – {lists[-1]:.1f}",
            ]
        )
    print(
        f"\nbench_load's requests, each kind's paths {repeat}× each, from "
        f"{len(depths)} starting depths ({depths[0]}–{depths[-1]} frames below this script):"
    )
    print(
        common.markdown_table(
            [
                "handler",
                "best ms/req",
                "median ms/req",
                "worst ms/req",
                "lists (clerk) ms, best – worst",
            ],
            rows,
        )
    )
    plain, ours = medians.values()
    print(f"median, headroom / plain: {ours / plain:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="requests per path and depth")
    parser.add_argument("--depths", type=int, default=12, help="starting depths, 4 frames apart")
    args = parser.parse_args()
    database = common.setup_django()
    print(f"# stack headroom on {database}; {common.machine_label()}")
    calls_by_depth()
    requests_by_kind(args.repeat, list(range(0, args.depths * 4, 4)))
    print(f"at the end: {common.machine_label()}")


if __name__ == "__main__":
    main()
