"""Stored ranks: the cockpit among 150 peers against the cockpit among 7, computed vs stored,
in one run on one database.

    python benchmarks/bench_ranks.py                                  # SQLite, temp data dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_ranks.py  # throwaway PostgreSQL

Loads the Hengyang demo and the synthetic province (150 units × 60 indicators × 36 months),
timing the stored ranks' share of the generation, and puts syn-0144…syn-0150 in a group of
their own (syn-7, their default group). Then requests cockpits through ``django.test.Client``
as the demo leader: syn-0150 2022-12 among 7 peers and syn-0001 2022-12 among 150 (the same
60 indicators × 36 months: only the number of peers differs), and hy-gxq 2022H1 (the demo's
五区两园) — each twice: "computed", with the rank histories ranking
every peer's history on each request as they did before the stored ranks (the function as it
stood, kept below) and the cards ranking every peer (``selectors.STORED_CARD_RANKS`` off), and
"stored", both reading ``StoredRank``. Then one indicator ranked across the
150 units for one period: ``ranking_for`` (computed from the figures) against reading the
stored rows. Keep ``--requests`` small on a shared machine: a 150-peer cockpit computed costs
about a second of CPU.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

import common


@dataclass
class Result:
    page: str
    mode: str
    queries: int
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float


def computed_rank_histories(*, unit, indicators, group, period, user, years=3):
    """``selectors.rank_histories`` as it was before the stored ranks (commit db3073d): every
    peer's approved figures over the years read and ranked per request."""
    from shouwei.core.models import PeerGroupMembership
    from shouwei.core.periods import Period
    from shouwei.indicators.models import Observation
    from shouwei.indicators.selectors import (
        RANK_ROW_FIELDS,
        PeerCell,
        RankPoint,
        RankRow,
        _month_ending,
        _point_label,
        pick_observation,
        rank_basis_for,
    )

    p = Period.parse(period)
    first_year = p.year - years + 1
    members_by_year = defaultdict(list)
    for m in (
        PeerGroupMembership.objects.filter(group=group, year__range=(first_year, p.year))
        .select_related("unit")
        .order_by("year", "unit__sort_order", "unit__code")
    ):
        members_by_year[m.year].append(m.unit)
    unit_pks = {u.pk for us in members_by_year.values() for u in us} | {unit.pk}
    ind_by_pk = {i.pk: i for i in indicators}
    cells = defaultdict(lambda: defaultdict(list))
    for o in (
        Observation.objects.visible_to(user)
        .approved()
        .filter(
            unit_id__in=unit_pks,
            indicator_id__in=list(ind_by_pk),
            period_end__gte=date(first_year, 1, 1),
            period_end__lte=p.end,
        )
        .values_list(*RANK_ROW_FIELDS)
    ):
        row = RankRow(*o)
        row.indicator = ind_by_pk[row.indicator_id]
        cells[(row.indicator_id, row.period_end)][row.unit_id].append(row)
    result = {pk: [] for pk in ind_by_pk}
    for ind_pk, end in sorted(cells, key=lambda key: (key[1], key[0])):
        by_unit = cells[(ind_pk, end)]
        if unit.pk not in by_unit:
            continue
        month = _month_ending(end)
        chosen = {pk: pick_observation(obs, month) for pk, obs in by_unit.items()}
        mine = chosen[unit.pk]
        cell = PeerCell(
            members=members_by_year.get(end.year, []),
            chosen=chosen,
            indicator=ind_by_pk[ind_pk],
            basis=rank_basis_for(mine),
        )
        computed = cell.rank_of(unit)
        published = mine.published_rank if mine.rank_group_id in (None, group.pk) else None
        if computed is None and published is None:
            continue
        result[ind_pk].append(
            RankPoint(
                label=_point_label(mine, end),
                period_end=end,
                computed_rank=computed,
                published_rank=published,
                group_size=len(cell.members),
                observation=mine,
                peers_synthetic=computed is not None and cell.peers_synthetic(unit),
            )
        )
    return result


def timed(fn, requests: int) -> tuple[common.Timing, common.Timing]:
    samples, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return common.Timing(samples), common.Timing(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10, help="timed requests per page")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--time-refresh",
        action="store_true",
        help="also time recomputing the province's stored ranks alone (minutes)",
    )
    args = parser.parse_args()

    database = common.setup_django()

    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from shouwei.core.models import PeerGroup
    from shouwei.core.periods import Period
    from shouwei.demo.accounts import create_demo_accounts
    from shouwei.demo.synthetic import GROUP_CODE, generate
    from shouwei.indicators import ranks, selectors
    from shouwei.indicators.models import Indicator, StoredRank

    machine = common.machine_label()
    print(f"# stored ranks on {database}; {machine}")
    call_command("loaddemo", stdout=io.StringIO())
    create_demo_accounts()
    started = time.perf_counter()
    generate(scale="province")
    generation_seconds = round(time.perf_counter() - started, 1)
    group = PeerGroup.objects.get(code=GROUP_CODE)
    stored_rows = refresh_seconds = None
    if args.time_refresh:
        started = time.perf_counter()
        stored_rows = ranks.refresh_for_group_years([(group.pk, y) for y in (2020, 2021, 2022)])
        refresh_seconds = round(time.perf_counter() - started, 1)
    # A unit of the same shape (60 indicators × 36 months) among 7 peers.
    common.seven_peers("bench_ranks")
    common.refresh_statistics()
    print(
        f"province generated in {generation_seconds} s (stored ranks included); "
        f"recomputing its {stored_rows} stored ranks alone: {refresh_seconds} s"
    )

    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    cockpit = reverse("indicators:cockpit")
    pages = [
        ("cockpit syn-0150 2022-12 (7 peers)", f"{cockpit}?unit=syn-0150&period=2022-12"),
        ("cockpit syn-0001 2022-12 (150 peers)", f"{cockpit}?unit=syn-0001&period=2022-12"),
        ("cockpit hy-gxq 2022H1 (demo, 7 peers)", f"{cockpit}?unit=hy-gxq&period=2022H1"),
    ]
    stored_impl = selectors.rank_histories
    results: list[Result] = []
    bodies: dict[tuple[str, str], bytes] = {}
    for mode, impl in (("computed", computed_rank_histories), ("stored", stored_impl)):
        selectors.rank_histories = impl
        selectors.STORED_CARD_RANKS = mode == "stored"
        for label, url in pages:

            def get(url=url):
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url} 返回 {response.status_code}")
                return response

            get()
            with CaptureQueriesContext(connection) as captured:
                bodies[(label, mode)] = get().content
            queries = len(captured)
            wall, cpu = timed(get, args.requests)
            results.append(
                Result(
                    page=label,
                    mode=mode,
                    queries=queries,
                    p50_ms=round(wall.p50_ms, 1),
                    p95_ms=round(wall.p95_ms, 1),
                    cpu_p50_ms=round(cpu.p50_ms, 1),
                )
            )
            print(f"{mode:8} {label:40} {queries:3} q {wall.p50_ms:8.1f} ms p50")
    selectors.rank_histories = stored_impl
    same = all(
        _strip_csrf(bodies[(label, "computed")]) == _strip_csrf(bodies[(label, "stored")])
        for label, _url in pages
    )

    # One indicator across the 150 units for one period.
    ind = Indicator.objects.get(code="syn-ind-01")
    leader = get_user_model().objects.get(username="leader")
    period = Period.parse("2022-12")
    ranking_wall, _c = timed(
        lambda: selectors.ranking_for(
            group=group, indicator=ind, period=period, basis="growth", user=leader
        ),
        args.requests,
    )
    stored_wall, _c = timed(
        lambda: list(
            StoredRank.objects.filter(group=group, indicator=ind, period_end=period.end)
            .select_related("unit")
            .order_by("growth_rank")
        ),
        args.requests,
    )

    by = {(r.page, r.mode): r for r in results}
    print()
    print(f"{database}, {args.requests} timed requests per page")
    print(f"at the end: {common.machine_label()}")
    print(f"pages identical computed vs stored (CSRF tokens aside): {same}")
    print()
    print(
        common.markdown_table(
            ["page", "rank histories", "queries", "p50 ms", "p95 ms", "CPU p50 ms"],
            [[r.page, r.mode, r.queries, r.p50_ms, r.p95_ms, r.cpu_p50_ms] for r in results],
        )
    )
    print()
    for mode in ("computed", "stored"):
        a, b = by[(pages[1][0], mode)], by[(pages[0][0], mode)]
        print(
            f"150-peer / 7-peer, {mode}: wall p50 {a.p50_ms / b.p50_ms:.2f}×, "
            f"CPU p50 {a.cpu_p50_ms / b.cpu_p50_ms:.2f}×"
        )
    print(
        f"ranking 150 units on syn-ind-01 2022-12: ranking_for {ranking_wall.p50_ms:.1f} ms p50, "
        f"stored rows {stored_wall.p50_ms:.1f} ms p50"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "database": database,
                    "machine_at_start": machine,
                    "machine_at_end": common.machine_label(),
                    "requests": args.requests,
                    "generation_seconds": generation_seconds,
                    "refresh_seconds": refresh_seconds,
                    "stored_rows": stored_rows,
                    "identical": same,
                    "results": [asdict(r) for r in results],
                    "ranking_for_p50_ms": round(ranking_wall.p50_ms, 1),
                    "stored_ranking_p50_ms": round(stored_wall.p50_ms, 1),
                },
                fh,
                ensure_ascii=False,
                indent=2,
            )


def _strip_csrf(body: bytes) -> bytes:
    import re

    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"|csrf[^"]*"[^"]*"', b"", body)


if __name__ == "__main__":
    main()
