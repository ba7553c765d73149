"""Investment attraction pages: SQL queries and latency, at demo scale and on 50,000 leads.

    python benchmarks/bench_investment.py                                  # SQLite, temp dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_investment.py  # throwaway PostgreSQL

Loads the Hengyang demo (the 经济合作局's 40 leads), measures the pipeline board, the funnel,
the fulfilment tracker and the lead list, adds ``--leads`` synthetic leads of 经济合作局 spread
over the stages (a fifth of them signed, with a contract), measures again. The query count
must be the same at both sizes. Pages are fetched through ``django.test.Client`` as the demo
leader (every read through ``visible_to``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time
from datetime import date, timedelta
from decimal import Decimal

import common
from bench_projects import measure

STAGES = ("lead", "contact", "intent", "negotiation", "signed", "registered", "started")
CHANNELS = ("resident", "event", "agency", "targeted", "business")


def generate(count: int) -> None:
    from shouwei.core.models import Unit
    from shouwei.investment.models import Agency, Contract, Event, Lead, Office

    unit = Unit.objects.get(code="hy-gxq-jjhz")
    event, office, agency = Event.objects.first(), Office.objects.first(), Agency.objects.first()
    start = date(2021, 1, 1)
    leads = []
    for i in range(count):
        stage = STAGES[i % len(STAGES)]
        channel = CHANNELS[i % len(CHANNELS)]
        lead_on = start + timedelta(days=i % 540)
        signed = STAGES.index(stage) >= STAGES.index("signed")
        leads.append(
            Lead(
                project_name=f"模拟招商项目{i:06d}",
                investor=f"模拟投资方{i:06d}有限公司",
                channel=channel,
                industry="C39",
                planned_investment=Decimal(1000 + i % 50000),
                land_mu=Decimal(10 + i % 90),
                expected_tax=Decimal(100 + i % 900),
                source_event=event if channel == "event" else None,
                source_office=office if channel == "resident" else None,
                source_agency=agency if channel == "agency" else None,
                owner_unit=unit,
                stage=stage,
                lead_on=lead_on,
                contact_on=lead_on + timedelta(days=15) if STAGES.index(stage) >= 1 else None,
                intent_on=lead_on + timedelta(days=30) if STAGES.index(stage) >= 2 else None,
                negotiation_on=lead_on + timedelta(days=45) if STAGES.index(stage) >= 3 else None,
                signed_on=lead_on + timedelta(days=60) if signed else None,
                lost=i % 17 == 0,
                lost_reason="模拟流失" if i % 17 == 0 else "",
                lost_on=lead_on + timedelta(days=20) if i % 17 == 0 else None,
            )
        )
    Lead.objects.bulk_create(leads, batch_size=2000)
    signed = Lead.objects.filter(
        project_name__startswith="模拟招商项目", stage__in=("signed", "registered", "started")
    ).values_list("pk", "signed_on", "planned_investment")
    Contract.objects.bulk_create(
        [
            Contract(
                lead_id=pk,
                signed_amount=amount,
                signed_on=on,
                registration_planned=on + timedelta(days=45),
                funds_due_on=on + timedelta(days=365),
                funds_in_place=amount / 4,
                start_planned=on + timedelta(days=120),
            )
            for pk, on, amount in signed
        ],
        batch_size=2000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=50000, help="synthetic leads")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
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
            generate(args.leads)
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
