"""Written reports (issue 18): the half-year analysis of one unit in each registered format,
and the monthly 月分析 of 150 units in one batch — time and peak Python memory (tracemalloc).

Each step's wall clock and CPU seconds are measured under tracemalloc (which slows Python-heavy
code such as WeasyPrint's layout); a single-document render is also timed once more without it
("untraced"), the figure to hold against the issue's target (a .docx with charts under 3 s).

    python benchmarks/bench_reports.py                                  # SQLite, temp data dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_reports.py  # throwaway PostgreSQL

Loads the Hengyang demo, builds hy-gxq 2022H1 inline as the demo admin (the document once,
then each format rendered from it, as a download does); then adds ``--units`` zones under the
city, each with ``--indicators`` approved figures for 2022-06 (value and growth, peers in one
group so that stored ranks exist), and builds every unit's monthly report in one batch.
"""

from __future__ import annotations

import argparse
import io
import time
import tracemalloc
from datetime import date
from decimal import Decimal

import common


def measured(fn):
    """(result, wall seconds, CPU seconds, peak MiB) of ``fn()`` under tracemalloc."""
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, cpu, peak / 2**20


def untraced(fn) -> str:
    started = time.perf_counter()
    fn()
    return f"{time.perf_counter() - started:.2f}"


def generate(*, units: int, indicators: int) -> list[str]:
    from shouwei.core.models import PeerGroup, PeerGroupMembership, Unit
    from shouwei.indicators.models import Indicator, Observation

    city = Unit.objects.get(code="hy")
    group = PeerGroup.objects.create(code="syn-bench", name="模拟比较组")
    zones = [
        Unit.objects.create(
            code=f"syn-zone-{i:03d}", name=f"模拟园区{i:03d}", kind="zone", parent=city
        )
        for i in range(units)
    ]
    PeerGroupMembership.objects.bulk_create(
        [PeerGroupMembership(group=group, unit=u, year=2022) for u in zones]
    )
    inds = [
        Indicator.objects.create(
            code=f"syn_ind_{j:02d}", name=f"模拟指标{j:02d}", measure="亿元", category="economy"
        )
        for j in range(indicators)
    ]
    Observation.objects.bulk_create(
        [
            Observation(
                unit=u,
                indicator=ind,
                period="2022-06",
                period_kind="month",
                period_end=date(2022, 6, 30),
                value=Decimal(100 + (i * 7 + j * 3) % 90),
                growth=Decimal((i * 13 + j * 5) % 150) / 10 - 3,
                status="approved",
            )
            for i, u in enumerate(zones)
            for j, ind in enumerate(inds)
        ]
    )
    return [u.code for u in zones]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument(
        "--batch-formats",
        default="",
        help="comma-separated formats to render the batch in (default: every monthly format)",
    )
    args = parser.parse_args()
    database = common.setup_django()

    from django.core.management import call_command

    from shouwei.demo.accounts import create_demo_accounts

    print(f"# reports on {database}; {common.machine_label()}")
    call_command("loaddemo", stdout=io.StringIO())
    create_demo_accounts()
    from django.contrib.auth import get_user_model

    from shouwei.reports.renderers import FORMATS, formats_for
    from shouwei.reports.services import request_report

    admin = get_user_model().objects.get(username="admin")
    rows = []
    report, seconds, cpu, peak = measured(
        lambda: request_report(
            kind="half-year", unit="hy-gxq", period="2022H1", by=admin, inline=True
        )
    )
    assert report.status == "built", report.error
    rows.append(
        ["half-year build (document)", "—", f"{seconds:.2f}", f"{cpu:.2f}", "—", f"{peak:.1f}"]
    )
    doc = report.as_document()
    # The .xlsx is offered for the monthly sheet only; rendered here from the same document
    # so that all formats compare on one report.
    half_year = [*formats_for("half-year"), *(f for f in FORMATS.values() if f.key == "xlsx")]
    for fmt in half_year:
        if fmt.missing():
            rows.append([f"half-year → {fmt.key}", "unavailable", "—", "—", "—", "—"])
            continue
        try:
            fmt.render(doc)  # once first: imports, font loading
        except Exception as exc:  # the .xlsx is not made for this document: say so, go on
            rows.append([f"half-year → {fmt.key}", f"fails: {exc!r}", "—", "—", "—", "—"])
            continue
        content, seconds, cpu, peak = measured(lambda fmt=fmt: fmt.render(doc))
        again = untraced(lambda fmt=fmt: fmt.render(doc))
        rows.append(
            [
                f"half-year → {fmt.key}",
                len(content),
                f"{seconds:.3f}",
                f"{cpu:.3f}",
                again,
                f"{peak:.1f}",
            ]
        )

    codes = generate(units=args.units, indicators=args.indicators)

    def batch():
        built = [
            request_report(kind="monthly", unit=c, period="2022-06", by=admin, inline=True)
            for c in codes
        ]
        assert all(r.status == "built" for r in built), [r.error for r in built if r.error]
        return built

    built, seconds, cpu, peak = measured(batch)
    n = len(built)
    rows.append(
        [f"monthly × {n} units (build)", "—", f"{seconds:.2f}", f"{cpu:.2f}", "—", f"{peak:.1f}"]
    )
    docs = [r.as_document() for r in built]
    wanted = [k for k in args.batch_formats.split(",") if k]
    for fmt in formats_for("monthly"):
        if (wanted and fmt.key not in wanted) or fmt.missing():
            continue
        sizes, seconds, cpu, peak = measured(
            lambda fmt=fmt, docs=docs: sum(len(fmt.render(d)) for d in docs)
        )
        rows.append(
            [
                f"monthly × {n} → {fmt.key}",
                sizes,
                f"{seconds:.2f}",
                f"{cpu:.2f}",
                "—",
                f"{peak:.1f}",
            ]
        )
    print(f"at the end: {common.machine_label()}")
    print()
    headers = ["what", "bytes", "seconds", "CPU s", "seconds untraced", "peak MiB (tracemalloc)"]
    print(common.markdown_table(headers, rows))


if __name__ == "__main__":
    main()
