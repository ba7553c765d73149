"""The province at scale: ``shouwei loaddemo --scale province`` (issue 17.4).

One generator per app (the app's ``demo_scale.py``, registered with
``shouwei.demo.registry.register_scale_generator``, so this module imports no app), all
writing through ``bulk.RowWriter`` (executemany on SQLite, COPY on PostgreSQL); the benchmarks
call the same functions instead of keeping writers of their own:

- ``indicators``: ``shouwei.demo.synthetic`` — 150 units under 模拟省 × 60 indicators × the
  months (36 by default, up to 120 with ``months``), with their stored ranks;
- ``enterprises``: 200,000 enterprises with valid USCCs, 1,000,000 requests;
- ``projects``: 20,000 key projects with a report for each of 36 months;
- ``investment``: 50,000 leads;
- ``goals``: a goal a year and a milestone a quarter for each synthetic unit.

The app rows hang under 衡阳高新区 (demo accounts read them), so the Hengyang demo is loaded
first. Deterministic: the same seed gives the same rows. A second run skips an app whose rows
all exist and refuses (``bulk.PartialData``) one whose count differs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.db import transaction

from shouwei.demo import synthetic
from shouwei.demo.bulk import PartialData, bulk_loading
from shouwei.demo.loader import AS_OF
from shouwei.demo.registry import ScaleContext, scale_generators

__all__ = ["APPS", "SIZES", "PartialData", "ProgressBar", "Size", "generate"]

APPS = ("indicators", "enterprises", "projects", "investment", "goals")


@dataclass(frozen=True)
class Size:
    units: int
    indicators: int
    months: int
    enterprises: int
    requests: int
    projects: int
    leads: int


SIZES = {
    # For the tests: every app, a few rows each.
    "tiny": Size(
        units=3, indicators=2, months=3, enterprises=40, requests=200, projects=5, leads=30
    ),
    "city": Size(
        units=15,
        indicators=30,
        months=24,
        enterprises=20_000,
        requests=100_000,
        projects=2_000,
        leads=5_000,
    ),
    "province": Size(
        units=150,
        indicators=60,
        months=36,
        enterprises=200_000,
        requests=1_000_000,
        projects=20_000,
        leads=50_000,
    ),
}


Tick = Callable[[str, int, int], object]


def generate(
    *,
    scale: str = "province",
    seed: int = 42,
    only: Iterable[str] | None = None,
    months: int | None = None,
    tick: Tick | None = None,
    say: Callable[[str], object] | None = None,
) -> dict[str, dict]:
    """Generate ``scale`` for the apps in ``only`` (all by default), each app in its own
    transaction (a failure leaves the apps done before it in place, and the failing one
    unwritten). Returns per app the counts written and the seconds taken."""
    size = SIZES[scale]
    if months is not None:
        size = replace(size, months=months)
    apps = list(APPS if only is None else only)
    unknown = [a for a in apps if a not in APPS]
    if unknown:
        raise ValueError(f"未知的应用 {'、'.join(unknown)}：应为 {'、'.join(APPS)} 之一")
    tick = tick or (lambda *_a: None)
    say = say or (lambda _m: None)
    runs: dict[str, Callable[[], dict]] = {
        "indicators": lambda: synthetic.generate(
            scale="custom",
            units=size.units,
            indicators=size.indicators,
            months=size.months,
            seed=seed,
            progress=say,
            tick=tick,
        ),
    }
    context = ScaleContext(
        size=size,
        seed=seed,
        tick=tick,
        as_of=AS_OF,
        source=synthetic.SOURCE,
        synthetic_units=lambda count: synthetic._ensure_units(count)[0],
    )
    for name, generator in scale_generators().items():
        runs[name] = lambda generator=generator: generator(context)
    missing = [a for a in apps if a not in runs]
    if missing:
        raise ValueError(f"应用 {'、'.join(missing)} 未安装（没有登记规模数据生成器）")
    report = {}
    for app in APPS:
        if app not in apps:
            continue
        started, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic(), bulk_loading():
            stats = dict(runs[app]())
        stats.pop("seconds", None)
        stats["seconds"] = round(time.perf_counter() - started, 1)
        stats["cpu_seconds"] = round(time.process_time() - cpu, 1)
        report[app] = stats
        say(f"  {app}: {stats}")
    return report


class ProgressBar:
    """A one-line bar on stderr (redrawn in place on a terminal, a line per tenth otherwise,
    so that a log stays short)."""

    WIDTH = 30

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self.last: tuple[str, int] | None = None

    def __call__(self, what: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        tenth = int(share * 10)
        if not self.tty and self.last == (what, tenth):
            return
        self.last = (what, tenth)
        filled = int(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"{what:<18} [{bar}] {share:4.0%} {done:>10,} / {total:,}"
        if self.tty:
            end = "\n" if done >= total else ""
            self.stream.write(f"\r{line}{end}")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
