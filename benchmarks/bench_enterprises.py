"""Request desk and coverage report: SQL queries and latency, on the demo and at scale.

    python benchmarks/bench_enterprises.py                                  # SQLite, temp dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_enterprises.py  # throwaway PostgreSQL

Loads the Hengyang demo (312 enterprises, 90 requests), measures, adds ``--enterprises``
synthetic enterprises (each key one with a cadre) and ``--rows`` requests spread over 2022
in every state, measures again. The query count must be the same at both sizes. Pages are
fetched through ``django.test.Client`` as the demo leader and the 产业发展局 clerk (every read
through ``visible_to``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time
from datetime import date, timedelta

import common
from bench_projects import measure


def generate(enterprises: int, rows: int) -> None:
    from django.contrib.auth import get_user_model

    from shouwei.core.models import Unit
    from shouwei.enterprises.choices import SLA_DAYS, RequestStatus
    from shouwei.enterprises.models import Enterprise, LiaisonAssignment, Request
    from shouwei.enterprises.uscc import check_character

    units = {u.code: u for u in Unit.objects.filter(code__startswith="hy-gxq")}
    departments = [u for u in units.values() if u.kind == "department"]
    streets = [units["hy-gxq-hx"], units["hy-gxq-tms"], None]
    cadres = list(get_user_model().objects.filter(username__startswith="cadre"))

    def code(i: int) -> str:
        body = f"91430400MB{i:07d}"
        return body + check_character(body)

    batch = []
    for i in range(enterprises):
        batch.append(
            Enterprise(
                uscc=code(i),
                name=f"模拟企业{i:06d}",
                industry="C39",
                scale="above" if i % 4 == 0 else "below",
                is_key=i % 4 == 0,
                street=streets[i % 3] if i % 4 else streets[0],
                liaison_unit=departments[i % len(departments)],
            )
        )
        if len(batch) == 5000:
            Enterprise.objects.bulk_create(batch)
            batch = []
    Enterprise.objects.bulk_create(batch)
    ids = list(Enterprise.objects.filter(name__startswith="模拟企业").values_list("pk", flat=True))
    LiaisonAssignment.objects.bulk_create(
        (
            LiaisonAssignment(
                cadre=cadres[n % len(cadres)],
                unit=departments[n % len(departments)],
                enterprise_id=pk,
                starts_on=date(2022, 1, 1),
            )
            for n, pk in enumerate(ids[::4])
        ),
        batch_size=5000,
    )
    categories = list(SLA_DAYS)
    states = [s for s, _label in RequestStatus.choices]
    batch = []
    for n in range(rows):
        filed = date(2022, 1, 1) + timedelta(days=n % 360)
        category = categories[n % len(categories)]
        status = states[n % len(states)]
        accepted = status != RequestStatus.PENDING
        due = filed + timedelta(days=1 + SLA_DAYS[category]) if accepted else None
        answered = status in ("answered", "revisited", "rated")
        batch.append(
            Request(
                enterprise_id=ids[n % len(ids)],
                category=category,
                description=f"模拟诉求{n}",
                channel="phone",
                filed_on=filed,
                status=status,
                assigned_department=departments[n % len(departments)] if accepted else None,
                accepted_on=filed + timedelta(days=1) if accepted else None,
                due_on=due,
                answered_on=due - timedelta(days=n % 3) + timedelta(days=n % 5 // 4 * 4)
                if answered
                else None,
                satisfaction=5 - n % 5 if status == "rated" else None,
            )
        )
        if len(batch) == 20000:
            Request.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Request.objects.bulk_create(batch, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=200_000, help="synthetic enterprises")
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic requests")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    database = common.setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

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
        ("leader", "coverage report"): reverse("enterprises:coverage"),
        ("leader", "request figures 2022"): reverse("enterprises:figures") + "?year=2022",
    }
    results = []
    sizes = f"{args.enterprises} enterprises, {args.rows} requests"
    for dataset in ("demo", sizes):
        if dataset != "demo":
            started = time.perf_counter()
            generate(args.enterprises, args.rows)
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
