"""Every generic list's page 1 and last page, and the observation list's free-text search, at
province scale.

    python benchmarks/bench_lists.py                                  # SQLite, temp data dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_lists.py  # throwaway PostgreSQL
    SHOUWEI_BENCH_PG_CTYPE=C.UTF-8 bash benchmarks/with_postgres.sh \\
        python benchmarks/bench_lists.py --search-only                 # pg_trgm's best case

The observation list's last page is also requested as it was read before
``DeepPagePaginator.from_the_end`` (``OFFSET`` from the top), and its middle page.

Loads the Hengyang demo and the synthetic province (150 units × 60 indicators × 36 months),
then requests, as the demo leader through ``django.test.Client``, page 1 and the last page of
every list of an ``ObjectViewSet`` (each twice to warm up, once with its queries captured,
then ``--requests`` times on the clock), and the observation list's search with each
candidate index (docs/decisions/0009):

- ``plain``: the search before: ``icontains`` over six columns across three tables, one OR;
- ``bigram GIN``: core/search.py, the index ``shouwei_bigrams(period, source)``, with the
  planner statistics of indicators migration 0007 (``CreateSearchStatistics``);
- ``bigram GIN, no statistics``: the same without them (as before that migration: the
  statistics object dropped, the keys' targets reset, ``ANALYZE``), restored afterwards;
- ``pg_trgm GIN``: ``gin_trgm_ops`` over the same columns, the same query without the bigram
  condition (PostgreSQL serves ``ILIKE '%…%'`` from it directly). In a database whose
  ``lc_ctype`` is C (CI's, and ``initdb --locale=C``'s) it holds no Chinese trigram.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import common

SEARCHES = ("模拟指标07", "高新区", "GDP", "2022-06", "区")


@dataclass
class Result:
    what: str
    url: str
    queries: int
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float
    shown: str


def measure(client, what: str, url: str, requests: int) -> Result:
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
    queries = len(captured)
    samples, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        get()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    timing = common.Timing(samples)
    table = response.context["table"] if response.context else None
    shown = ""
    if table is not None and getattr(table, "paginator", None) is not None:
        p = table.paginator
        shown = f"{'约' if getattr(p, 'estimated', False) else '共'} {p.count:,}"
    return Result(
        what=what,
        url=url,
        queries=queries,
        p50_ms=round(timing.p50_ms, 1),
        p95_ms=round(timing.p95_ms, 1),
        cpu_p50_ms=round(common.Timing(cpu).p50_ms, 1),
        shown=shown,
    )


def list_pages(user) -> list[tuple[str, str]]:
    """Page 1 and the last page of every view set's list, as ``user`` sees it."""
    from django.urls import NoReverseMatch, reverse

    from shouwei.core.generic.naming import _viewsets

    out = []
    for model, viewset in sorted(_viewsets.items(), key=lambda kv: kv[0]._meta.label):
        if not viewset.may_open(user):
            continue
        try:
            url = reverse(viewset.url_name("list"))
        except NoReverseMatch:
            continue
        rows = model.objects.visible_to(user).count()
        last = max(1, math.ceil(rows / viewset.per_page))
        label = str(model._meta.verbose_name_plural)
        out.append((f"{label} ({model._meta.label}), page 1", f"{url}?page=1"))
        if last > 1:
            out.append((f"{label}, last page ({last:,})", f"{url}?page={last}"))
    return out


def deep_pages(user) -> list[tuple[str, str]]:
    """The observation list's middle page and its last page (the latter measured again with
    ``read_forward``)."""
    from django.urls import reverse

    from shouwei.indicators.models import Observation

    url = reverse("indicators:observation_list")
    last = max(1, math.ceil(Observation.objects.visible_to(user).count() / 25))
    return [
        (f"观测值, middle page ({last // 2:,})", f"{url}?page={last // 2}"),
        (FORWARD + f" ({last:,})", f"{url}?page={last}"),
    ]


FORWARD = "观测值, last page, OFFSET from the top (before)"


@contextmanager
def read_forward(what: str):
    """For ``FORWARD``: every page read from the top, as before DeepPagePaginator.from_the_end."""
    from shouwei.core.generic import DeepPagePaginator

    saved = DeepPagePaginator.from_the_end
    if what.startswith(FORWARD):
        DeepPagePaginator.from_the_end = lambda self, number: False
    try:
        yield
    finally:
        DeepPagePaginator.from_the_end = saved


@contextmanager
def search_mode(mode: str):
    """Serve the observation search with one candidate index."""
    from django.apps import apps
    from django.db import connection, models

    from shouwei.core import search
    from shouwei.indicators.filters import ObservationFilterSet

    class NoBigrams(models.Func):
        output_field = models.BooleanField()

        def as_sql(self, compiler, connection, **extra):
            return "TRUE", ()

    saved = (search.BigramsContain, ObservationFilterSet.search_index)
    try:
        if mode == "bigram GIN, no statistics":
            with connection.cursor() as cursor:
                cursor.execute("DROP STATISTICS IF EXISTS indicators_observation_search_upper")
                for key in ("unit_id", "indicator_id"):
                    cursor.execute(
                        f"ALTER TABLE indicators_observation ALTER COLUMN {key} SET STATISTICS -1"
                    )
                cursor.execute("ANALYZE indicators_observation")
        if mode == "plain":
            ObservationFilterSet.search_index = False
        elif mode == "pg_trgm GIN":
            search.BigramsContain = NoBigrams
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute(
                    "CREATE INDEX IF NOT EXISTS bench_observation_trgm ON indicators_observation "
                    "USING gin (period gin_trgm_ops, source gin_trgm_ops)"
                )
                cursor.execute("ANALYZE indicators_observation")
        yield
    finally:
        search.BigramsContain, ObservationFilterSet.search_index = saved
        if mode == "pg_trgm GIN":
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX IF EXISTS bench_observation_trgm")
        if mode == "bigram GIN, no statistics":
            from django.db.migrations.state import ProjectState

            from shouwei.core.search import CreateSearchStatistics

            state = ProjectState.from_apps(apps)
            with connection.schema_editor() as editor:
                CreateSearchStatistics(
                    "observation", ("period", "source"), keys=("unit", "indicator")
                ).database_forwards("indicators", editor, state, state)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE indicators_observation")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10, help="timed requests per page")
    parser.add_argument("--search-only", action="store_true", help="only the search candidates")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    database = common.setup_django()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from shouwei.demo.accounts import create_demo_accounts
    from shouwei.demo.synthetic import generate

    ctype = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW lc_ctype")
            ctype = cursor.fetchone()[0]
    print(f"# lists on {database} (lc_ctype {ctype or '-'}); {common.machine_label()}")
    call_command("loaddemo", stdout=io.StringIO())
    create_demo_accounts()
    started = time.perf_counter()
    generate(scale="province", progress=print)
    print(f"province generated in {time.perf_counter() - started:.1f} s")
    common.refresh_statistics()
    leader = get_user_model().objects.get(username="leader")
    client = Client()
    client.force_login(leader)

    results: list[Result] = []
    if not args.search_only:
        for what, url in list_pages(leader) + deep_pages(leader):
            with read_forward(what):
                r = measure(client, what, url, args.requests)
            results.append(r)
            print(f"{what:70} {r.queries:3} q {r.p50_ms:8.1f} ms p50 {r.p95_ms:8.1f} p95")

    listing = reverse("indicators:observation_list")
    modes = ["plain", "bigram GIN"]
    if connection.vendor == "postgresql":
        modes += ["bigram GIN, no statistics", "pg_trgm GIN"]
    else:
        modes = ["plain"]  # SQLite keeps its search: the bigram condition is PostgreSQL's
    for mode in modes:
        with search_mode(mode):
            for q in SEARCHES:
                r = measure(client, f"search {q} [{mode}]", f"{listing}?q={q}", args.requests)
                results.append(r)
                print(f"{r.what:70} {r.queries:3} q {r.p50_ms:8.1f} ms p50 {r.p95_ms:8.1f} p95")

    print()
    print(f"{database} (lc_ctype {ctype or '-'}), {args.requests} timed requests per page")
    print(f"at the end: {common.machine_label()}")
    print()
    print(
        common.markdown_table(
            ["page", "queries", "p50 ms", "p95 ms", "CPU p50 ms", "rows shown"],
            [[r.what, r.queries, r.p50_ms, r.p95_ms, r.cpu_p50_ms, r.shown] for r in results],
        )
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "database": database,
                    "lc_ctype": ctype,
                    "requests": args.requests,
                    "results": [asdict(r) for r in results],
                },
                fh,
                ensure_ascii=False,
                indent=2,
            )


if __name__ == "__main__":
    main()
