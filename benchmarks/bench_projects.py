"""Key-projects panel and list: SQL queries and latency, at demo scale and on 20,000 projects.

    python benchmarks/bench_projects.py                                  # SQLite, temp data dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_projects.py  # throwaway PostgreSQL

Loads the Hengyang demo (49 projects), measures, adds ``--projects`` synthetic projects under
the zone's departments with an annual plan for 2020–2022 and a progress report for each of the
36 months (``shouwei.projects.demo_scale``, the writer of ``loaddemo --scale province``),
measures again. The query count must be the same at both sizes. Pages are fetched
through ``django.test.Client`` as the demo leader (every read through ``visible_to``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time

import common


def generate(count: int, seed: int = 42) -> None:
    # The same writer as `shouwei loaddemo --scale province` (one copy, not one per script);
    # it writes each report's next_period itself, the upkeep services.progress_written does
    # after other bulk writes.
    from django.db import transaction

    from shouwei.projects import demo_scale as synthetic

    with transaction.atomic():
        print(f"# {synthetic.generate(projects=count, seed=seed)}")


def vacuum_progress() -> None:
    """PostgreSQL's autovacuum also vacuums a table after many inserts (PostgreSQL 13+,
    autovacuum_vacuum_insert_threshold), which marks its pages all-visible so that an index
    holding every column a query needs is read without the table. Do now what it does a
    minute after a bulk load, as ``refresh_statistics`` does for ANALYZE."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("projects_progressreport", "projects_annualplan", "projects_project"):
                cursor.execute(f"VACUUM {table}")


def measure(client, url: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} 返回 {response.status_code}")
        return response

    get()
    with CaptureQueriesContext(connection) as captured:
        get()
    queries = len(captured)
    samples, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        get()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    timing, cpu_timing = common.Timing(samples), common.Timing(cpu)
    # On SQLite the database works inside this process, so the CPU columns are the request's
    # whole cost, and they hold steadier than the wall clock on a shared, busy machine.
    return {
        "queries": queries,
        "p50_ms": round(timing.p50_ms, 1),
        "p95_ms": round(timing.p95_ms, 1),
        "cpu_p50_ms": round(cpu_timing.p50_ms, 1),
        "cpu_p95_ms": round(cpu_timing.p95_ms, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20000, help="synthetic projects")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=42, help="seed of the synthetic rows")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    database = common.setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from shouwei.demo.accounts import create_demo_accounts

    print(f"# key projects on {database}; {common.machine_label()}")
    call_command("loaddemo", stdout=io.StringIO())
    create_demo_accounts()
    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    listing = reverse("projects:project_list")
    pages = {
        "cockpit hy-gxq 2022-06 (with key-projects panel)": (
            f"{reverse('indicators:cockpit')}?unit=hy-gxq&period=2022-06"
        ),
        "project list, page 1": f"{listing}?period=2022-06",
        "project list, behind plan": f"{listing}?period=2022-06&behind=1",
        "project list, not 入库": f"{listing}?period=2022-06&not_entered=1",
    }
    results = []
    for dataset in ("demo", f"{args.projects} projects × 36 months"):
        if dataset != "demo":
            started = time.perf_counter()
            generate(args.projects, args.seed)
            common.refresh_statistics()
            vacuum_progress()
            print(f"# generated in {time.perf_counter() - started:.1f} s")
        for label, url in pages.items():
            row = {"dataset": dataset, "page": label, **measure(client, url, args.requests)}
            results.append(row)
            print(
                f"{dataset:<28} {label:<50} {row['queries']:>3} queries  "
                f"p50 {row['p50_ms']:>8} ms  p95 {row['p95_ms']:>8} ms  "
                f"CPU p50 {row['cpu_p50_ms']:>8} ms  CPU p95 {row['cpu_p95_ms']:>8} ms"
            )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"# load average at the end: {load}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"database": database, "results": results}, fh, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
