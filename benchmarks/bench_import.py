"""Import 100,000 observations from one CSV: shouwei's import framework vs django-import-export.

    python benchmarks/bench_import.py                                  # SQLite, temp data dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_import.py  # throwaway PostgreSQL

The database holds the Hengyang demo and the synthetic province (324,526 observations) first,
so both importers look codes up and check for existing rows in a database of realistic size.
The CSV has the import template's Chinese headers (单位代码, 指标代码, 期间, 数值, 同比增长(%))
and new rows only: synthetic units × indicators for the months of 2023.

* ours: ``imports.services.batch_upload`` (keeps the file, dry run) then ``batch_commit``
  (validates again as the committing user, writes all rows with history in one transaction),
  both inline, as the demo admin.
* django-import-export: a ``ModelResource`` for Observation with units and indicators by code
  (``ForeignKeyWidget``), ``import_data(dataset, dry_run=False, use_transactions=True)`` on a
  tablib Dataset read from the same CSV; its defaults otherwise (one ``save()`` per row, so
  simple-history records each row too).

After ours the rows it wrote (and their history) are deleted with plain SQL, outside the clock,
so that django-import-export imports the very same rows into the same starting state.

"CPU s" is this process's CPU time: steadier than the wall clock on a shared machine, and on
SQLite nearly all of the work (on PostgreSQL the server's share is not in it).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import time
from dataclasses import asdict, dataclass

import common
import numpy as np


@dataclass
class ImportResult:
    engine: str
    rows: int
    seconds: float
    cpu_seconds: float
    queries: int
    phases: dict[str, float]

    @property
    def rows_per_second(self) -> int:
        return round(self.rows / self.seconds)


class QueryCounter:
    """Counts statements without keeping them (Django's query log stops at 9,000)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def build_csv(rows: int) -> bytes:
    from shouwei.core.models import Unit
    from shouwei.core.periods import period_range
    from shouwei.demo.synthetic import figures, indicator_code, profile_for, unit_code
    from shouwei.indicators.choices import IndicatorKind
    from shouwei.indicators.models import Indicator

    n_units = Unit.objects.filter(code__startswith="syn-0").count()
    n_ind = Indicator.objects.filter(code__startswith="syn-ind-").count()
    periods = period_range("2023-01", "2023-12")
    if n_units * n_ind * len(periods) < rows:
        raise SystemExit(f"合成数据只够 {n_units * n_ind * len(periods)} 行，少于 {rows} 行")
    values, growths = figures(
        seed=42,
        units=np.arange(1, n_units + 1),
        indicators=np.arange(1, n_ind + 1),
        periods=periods,
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["单位代码", "指标代码", "期间", "数值", "同比增长(%)"])
    written = 0
    for m, period in enumerate(periods):
        for u in range(n_units):
            for i in range(n_ind):
                profile = profile_for(i + 1)
                growth = "" if profile.kind == IndicatorKind.RATE else f"{growths[u, i, m]:.1f}"
                writer.writerow(
                    [
                        unit_code(u + 1),
                        indicator_code(i + 1),
                        period.code,
                        f"{values[u, i, m]:.{profile.decimals}f}",
                        growth,
                    ]
                )
                written += 1
                if written == rows:
                    return out.getvalue().encode("utf-8")
    return out.getvalue().encode("utf-8")


def run_ours(content: bytes, user, rows: int) -> ImportResult:
    from django.db import connection

    from shouwei.imports.models import ImportStatus
    from shouwei.imports.registry import get_importer
    from shouwei.imports.services import batch_commit, batch_upload

    importer = get_importer("observations")
    if importer is None:
        raise SystemExit("导入框架中没有注册 observations 导入器")
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started, started_cpu = time.perf_counter(), time.process_time()
        batch = batch_upload(
            importer=importer, content=content, filename="bench.csv", user=user, inline=True
        )
        validated = time.perf_counter()
        if batch.status != ImportStatus.VALID:
            raise SystemExit(f"校验未通过：{batch.get_status_display()} {batch.errors[:5]}")
        batch = batch_commit(batch=batch, user=user, inline=True)
        finished, cpu = time.perf_counter(), time.process_time() - started_cpu
    if batch.status != ImportStatus.COMMITTED or batch.created_count != rows:
        raise SystemExit(f"导入未完成：{batch.get_status_display()} {batch.message}")
    _delete_batch(batch.pk)
    return ImportResult(
        engine="shouwei imports (upload + dry run, commit)",
        rows=rows,
        seconds=round(finished - started, 1),
        cpu_seconds=round(cpu, 1),
        queries=counter.count,
        phases={
            "upload + dry run": round(validated - started, 1),
            "commit (re-validate + write)": round(finished - validated, 1),
        },
    )


def _delete_batch(batch_pk: int) -> None:
    """Remove what the batch wrote, history included, without a history record per row."""
    from django.db import connection, transaction

    from shouwei.indicators.models import Observation

    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Observation, Observation.history.model):
            cursor.execute(
                f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn('import_batch_id')} = %s",
                [batch_pk],
            )


def observation_resource():
    from import_export import fields, resources, widgets

    from shouwei.core.models import Unit
    from shouwei.indicators.models import Indicator, Observation

    class ObservationResource(resources.ModelResource):
        unit = fields.Field(
            attribute="unit", column_name="单位代码", widget=widgets.ForeignKeyWidget(Unit, "code")
        )
        indicator = fields.Field(
            attribute="indicator",
            column_name="指标代码",
            widget=widgets.ForeignKeyWidget(Indicator, "code"),
        )
        period = fields.Field(attribute="period", column_name="期间")
        value = fields.Field(attribute="value", column_name="数值", widget=widgets.DecimalWidget())
        growth = fields.Field(
            attribute="growth", column_name="同比增长(%)", widget=widgets.DecimalWidget()
        )

        class Meta:
            model = Observation
            fields = ("unit", "indicator", "period", "value", "growth")
            import_id_fields = ("unit", "indicator", "period")

    return ObservationResource()


def run_import_export(content: bytes, rows: int) -> ImportResult:
    import tablib
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started, started_cpu = time.perf_counter(), time.process_time()
        dataset = tablib.Dataset().load(content.decode("utf-8"), format="csv")
        loaded = time.perf_counter()
        result = observation_resource().import_data(dataset, dry_run=False, use_transactions=True)
        finished, cpu = time.perf_counter(), time.process_time() - started_cpu
    if result.has_errors() or result.has_validation_errors():
        first = (result.base_errors or [None])[0] or result.invalid_rows[:1]
        raise SystemExit(f"django-import-export 导入出错：{first}")
    if result.totals["new"] != rows:
        raise SystemExit(f"django-import-export 只新增了 {result.totals['new']} 行")
    return ImportResult(
        engine="django-import-export (import_data)",
        rows=rows,
        seconds=round(finished - started, 1),
        cpu_seconds=round(cpu, 1),
        queries=counter.count,
        phases={
            "tablib load": round(loaded - started, 1),
            "import_data": round(finished - loaded, 1),
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the CSV")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    database = common.setup_django()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from shouwei.demo.accounts import create_demo_accounts
    from shouwei.demo.synthetic import generate
    from shouwei.indicators.models import Observation

    machine = common.machine_label()
    print(f"# import on {database}; {machine}")
    call_command("loaddemo", stdout=io.StringIO())
    create_demo_accounts()
    generate(scale="province")
    common.refresh_statistics()
    existing = Observation.objects.count()
    content = build_csv(args.rows)
    print(f"{existing:,} observations before; CSV {args.rows:,} rows, {len(content) / 1e6:.1f} MB")
    admin = get_user_model().objects.get(username="admin")

    ours = run_ours(content, admin, args.rows)
    print(f"{ours.engine}: {ours.seconds} s, {ours.queries:,} queries, {ours.phases}")
    if Observation.objects.count() != existing:
        raise SystemExit("删除本框架导入的行后，观测值数量与导入前不同")
    theirs = run_import_export(content, args.rows)
    print(f"{theirs.engine}: {theirs.seconds} s, {theirs.queries:,} queries, {theirs.phases}")
    if Observation.objects.count() != existing + args.rows:
        raise SystemExit("django-import-export 导入后观测值数量不对")
    results = [ours, theirs]

    ratio = theirs.seconds / ours.seconds
    cpu_ratio = theirs.cpu_seconds / ours.cpu_seconds
    print()
    print(f"{database}; {args.rows:,} rows into {existing:,} existing observations")
    print()
    print(
        common.markdown_table(
            ["importer", "seconds", "CPU s", "rows/s", "queries", "phases (s)"],
            [
                [
                    r.engine,
                    r.seconds,
                    r.cpu_seconds,
                    f"{r.rows_per_second:,}",
                    f"{r.queries:,}",
                    ", ".join(f"{k} {v}" for k, v in r.phases.items()),
                ]
                for r in results
            ],
        )
    )
    print()
    print(f"ratio django-import-export / ours: {ratio:.1f}× wall clock, {cpu_ratio:.1f}× CPU")
    print(f"at the end: {common.machine_label()}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "database": database,
                    "existing_observations": existing,
                    "results": [asdict(r) for r in results],
                    "ratio": round(ratio, 2),
                    "cpu_ratio": round(cpu_ratio, 2),
                    "machine_at_start": machine,
                    "machine_at_end": common.machine_label(),
                },
                fh,
                ensure_ascii=False,
                indent=2,
            )


if __name__ == "__main__":
    main()
