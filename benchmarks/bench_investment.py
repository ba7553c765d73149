"""Investment attraction pages: SQL queries and latency, at demo scale and on 50,000 leads.

    python benchmarks/bench_investment.py                                  # SQLite, temp dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_investment.py  # throwaway PostgreSQL

Loads the Hengyang demo (the 经济合作局's 40 leads), measures the pipeline board, the funnel,
the fulfilment tracker and the lead list, adds ``--leads`` synthetic leads of 经济合作局 spread
over the stages (the signed ones with a contract; ``shouwei.investment.demo_scale``, the
writer of ``loaddemo --scale province``), measures again. The query count
must be the same at both sizes. Pages are fetched through ``django.test.Client`` as the demo
leader (every read through ``visible_to``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time

import common
from bench_projects import measure


def generate(count: int, seed: int = 42) -> None:
    # The same writer as `shouwei loaddemo --scale province` (one copy, not one per script).
    from django.db import transaction

    from shouwei.investment import demo_scale as synthetic

    with transaction.atomic():
        print(f"# {synthetic.generate(leads=count, seed=seed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=50000, help="synthetic leads")
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

    print(f"# investment on {database}; {common.machine_label()}")
    call_command("loaddemo", "--no-synthetic", stdout=io.StringIO())
    create_demo_accounts()
    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    pages = {
        "pipeline board": reverse("investment:board"),
        "funnel (all leads)": reverse("investment:funnel"),
        "funnel 2022Q1": f"{reverse('investment:funnel')}?quarter=2022Q1",
        "fulfilment tracker": reverse("investment:fulfilment"),
        "fulfilment, overdue only": f"{reverse('investment:fulfilment')}?overdue=1",
        "lead list, page 1": reverse("investment:lead_list"),
    }
    results = []
    for dataset in ("demo", f"{args.leads} leads"):
        if dataset != "demo":
            started = time.perf_counter()
            generate(args.leads, args.seed)
            common.refresh_statistics()
            print(f"# generated in {time.perf_counter() - started:.1f} s")
        for label, url in pages.items():
            row = {"dataset": dataset, "page": label, **measure(client, url, args.requests)}
            results.append(row)
            print(
                f"{dataset:<14} {label:<28} {row['queries']:>3} queries  "
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
