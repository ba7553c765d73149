"""Request desk and coverage report: SQL queries and latency, on the demo and at scale.

    python benchmarks/bench_enterprises.py                                  # SQLite, temp dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_enterprises.py  # throwaway PostgreSQL

Loads the Hengyang demo (312 enterprises, 90 requests), measures, adds ``--enterprises``
synthetic enterprises (each key one with a cadre) and ``--rows`` requests in every state
(``shouwei.enterprises.demo_scale``, the writer of ``loaddemo --scale province``),
measures again. The query count must be the same at both sizes. Pages are
fetched through ``django.test.Client`` as the demo leader and the 产业发展局 clerk (every read
through ``visible_to``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time

import common
from bench_projects import measure


def generate(enterprises: int, rows: int, seed: int) -> None:
    # The same writer as `shouwei loaddemo --scale province` (one copy, not one per script).
    from django.db import transaction

    from shouwei.enterprises import demo_scale as synthetic

    with transaction.atomic():
        print(f"# {synthetic.generate(enterprises=enterprises, requests=rows, seed=seed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=200_000, help="synthetic enterprises")
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic requests")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=42, help="seed of the synthetic rows")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    database = common.setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from shouwei.core.models import Unit
    from shouwei.demo.accounts import create_demo_accounts

    print(f"# enterprise service on {database}; {common.machine_label()}")
    call_command("loaddemo", stdout=io.StringIO())
    create_demo_accounts()
    clients = {}
    for username in ("leader", "staff_cyfz"):
        clients[username] = Client()
        clients[username].force_login(get_user_model().objects.get(username=username))
    pages = {
        ("leader", "request desk, all departments"): reverse("enterprises:desk"),
        ("staff_cyfz", "request desk, 产业发展局"): reverse("enterprises:desk"),
        # One department chosen: read off the partial (assigned_department, due_on) index of
        # held requests, without visible_to (the leader reads every request under it).
        ("leader", "request desk, ?department=产业发展局"): (
            reverse("enterprises:desk") + f"?department={Unit.objects.get(code='hy-gxq-cyfz').pk}"
        ),
        ("leader", "coverage report"): reverse("enterprises:coverage"),
        ("leader", "request figures 2022"): reverse("enterprises:figures") + "?year=2022",
    }
    results = []
    sizes = f"{args.enterprises} enterprises, {args.rows} requests"
    for dataset in ("demo", sizes):
        if dataset != "demo":
            started = time.perf_counter()
            generate(args.enterprises, args.rows, args.seed)
            common.refresh_statistics()
            print(f"# generated in {time.perf_counter() - started:.1f} s")
        for (user, label), url in pages.items():
            row = {
                "dataset": dataset,
                "page": label,
                "user": user,
                **measure(clients[user], url, args.requests),
            }
            results.append(row)
            print(
                f"{dataset:<40} {label:<32} {row['queries']:>3} queries  "
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
