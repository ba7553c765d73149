"""Cockpit and observation-list pages: SQL queries and latency, at demo and province scale.

    python benchmarks/bench_pages.py                                  # SQLite, temp data dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_pages.py  # throwaway PostgreSQL

Loads the Hengyang demo, measures, adds the synthetic province (150 units × 60 indicators ×
36 months = 324,000 observations; syn-0001 among 150 peers, syn-0150 also in a group of 7),
measures again. Each page is requested twice to warm up,
once with its queries captured, then ``--requests`` times with the clock running, through
``django.test.Client`` logged in as the demo leader (a role at hy-gxq, so every read goes
through the ``visible_to`` filter as it does for real users).

Wall-clock latency moves with whatever else the machine runs; "CPU" is this process's own CPU
time per request (on SQLite that is nearly all the work, on PostgreSQL the server's share is
not in it), which holds steadier on a shared machine. The load average is printed at the start
and the end.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import time
from dataclasses import asdict, dataclass

import common


@dataclass
class PageResult:
    dataset: str
    page: str
    url: str
    queries: int
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float
    bytes: int


def pages(dataset: str) -> list[tuple[str, str]]:
    from django.urls import reverse

    from shouwei.core.models import Unit
    from shouwei.indicators.models import Indicator, Observation

    cockpit = reverse("indicators:cockpit")
    listing = reverse("indicators:observation_list")
    zone = Unit.objects.get(code="hy-gxq")
    out = [
        ("cockpit hy-gxq 2022H1", f"{cockpit}?unit=hy-gxq&period=2022H1"),
        ("observation list, page 1", f"{listing}?page=1"),
        ("observation list, unit=hy-gxq & approved", f"{listing}?unit={zone.pk}&status=approved"),
    ]
    if dataset == "province":
        ind = Indicator.objects.get(code="syn-ind-01")
        # The leader sees every row (all are approved); the list shows 25 a page.
        last = math.ceil(Observation.objects.count() / 25)
        out[1:1] = [
            ("cockpit syn-0150 2022-12 (7 peers)", f"{cockpit}?unit=syn-0150&period=2022-12"),
            ("cockpit syn-0001 2022-12 (150 peers)", f"{cockpit}?unit=syn-0001&period=2022-12"),
        ]
        out += [
            (
                "observation list, indicator=syn-ind-01 & 2022-12",
                f"{listing}?indicator={ind.pk}&period=2022-12",
            ),
            ("observation list, search q=模拟指标07", f"{listing}?q=模拟指标07"),
            (f"observation list, last page ({last})", f"{listing}?page={last}"),
        ]
    return out


def measure(client, dataset: str, label: str, url: str, requests: int) -> PageResult:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} 返回 {response.status_code}")
        return response

    get()
    get()
    with CaptureQueriesContext(connection) as captured:
        response = get()
    # Count now: the captured list is read from the connection's log, which the next request
    # clears.
    queries = len(captured)
    samples, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        get()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    timing = common.Timing(samples)
    return PageResult(
        dataset=dataset,
        page=label,
        url=url,
        queries=queries,
        p50_ms=round(timing.p50_ms, 1),
        p95_ms=round(timing.p95_ms, 1),
        cpu_p50_ms=round(common.Timing(cpu).p50_ms, 1),
        bytes=len(response.content),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    database = common.setup_django()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from shouwei.demo.accounts import create_demo_accounts
    from shouwei.demo.synthetic import generate
    from shouwei.indicators.models import Observation

    machine = common.machine_label()
    print(f"# pages on {database}; {machine}")
    call_command("loaddemo", stdout=io.StringIO())
    create_demo_accounts()
    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))

    results: list[PageResult] = []
    sizes: dict[str, int] = {}
    generation_seconds = None
    for dataset in ("demo", "province"):
        if dataset == "province":
            started = time.perf_counter()
            generate(scale="province", progress=print)
            generation_seconds = round(time.perf_counter() - started, 1)
            common.seven_peers("bench_pages")
            common.refresh_statistics()
            print(f"province generated in {generation_seconds} s")
        sizes[dataset] = Observation.objects.count()
        for label, url in pages(dataset):
            result = measure(client, dataset, label, url, args.requests)
            results.append(result)
            print(f"{dataset:9} {label:50} {result.queries:3} q  {result.p50_ms:8.1f} ms p50")

    print()
    print(f"{database}, {args.requests} timed requests per page")
    print(f"at the end: {common.machine_label()}")
    print(f"observations: demo {sizes['demo']:,}, province {sizes['province']:,}")
    print(f"province generation (generate(scale='province')): {generation_seconds} s")
    print()
    print(
        common.markdown_table(
            ["dataset", "page", "queries", "p50 ms", "p95 ms", "CPU p50 ms", "KiB"],
            [
                [
                    r.dataset,
                    r.page,
                    r.queries,
                    r.p50_ms,
                    r.p95_ms,
                    r.cpu_p50_ms,
                    round(r.bytes / 1024),
                ]
                for r in results
            ],
        )
    )
    by = {r.page: r for r in results if r.dataset == "province"}
    many, few = by["cockpit syn-0001 2022-12 (150 peers)"], by["cockpit syn-0150 2022-12 (7 peers)"]
    print()
    print(
        "cockpit 150-peer / 7-peer (same run, same database): "
        f"p50 {many.p50_ms / few.p50_ms:.2f}×, "
        f"p95 {many.p95_ms / few.p95_ms:.2f}×, CPU p50 {many.cpu_p50_ms / few.cpu_p50_ms:.2f}×; "
        f"queries {many.queries} / {few.queries}"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "database": database,
                    "machine_at_start": machine,
                    "machine_at_end": common.machine_label(),
                    "requests": args.requests,
                    "observations": sizes,
                    "generation_seconds": generation_seconds,
                    "results": [asdict(r) for r in results],
                },
                fh,
                ensure_ascii=False,
                indent=2,
            )


if __name__ == "__main__":
    main()
