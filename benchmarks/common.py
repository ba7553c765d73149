"""Set-up shared by the benchmark scripts: a fresh database, Django, and what the machine is.

The scripts are run by hand (see docs/benchmarks.md), never by ``pytest``: they load hundreds of
thousands of rows and take minutes.
"""

from __future__ import annotations

import atexit
import os
import platform
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from datetime import date


def setup_django() -> str:
    """Point the settings at a fresh database, start Django and migrate; return where it is.

    Without ``SHOUWEI_DATABASE_URL`` the database is SQLite in a temporary data dir that is
    removed at exit. With it, the database must be empty: the figures are only comparable when
    each run starts from nothing.
    """
    if not os.environ.get("SHOUWEI_DATABASE_URL") and not os.environ.get("SHOUWEI_DATA_DIR"):
        data_dir = tempfile.mkdtemp(prefix="shouwei-bench.")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        os.environ["SHOUWEI_DATA_DIR"] = data_dir
    # django.test.Client sends Host: testserver.
    hosts = os.environ.get("SHOUWEI_ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ["SHOUWEI_ALLOWED_HOSTS"] = f"{hosts},testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwei.settings")

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    # A page timed in this process is asked for again and again: kept per person (the cockpit's
    # blocks, the menu, the drop-downs) it would be timed as a cache hit. Pages are timed doing
    # their work, as the tests count their queries; bench_load's own server keeps the cache.
    settings.SHOUWEI_PERSON_CACHE_SECONDS = 0

    call_command("migrate", verbosity=0)
    from shouwei.indicators.models import Observation

    if Observation.objects.exists():
        sys.exit("需要一个空数据库：该数据库已有观测值（结果只有从空库开始才可比）")
    return database_label()


def refresh_statistics() -> None:
    """After the bulk load, give PostgreSQL's planner the statistics autovacuum would gather a
    minute later; measuring before that times plans made for an empty table. SQLite keeps no
    statistics unless someone runs ANALYZE, and production does not, so it is left alone."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def seven_peers(description: str) -> None:
    """syn-0144…syn-0150 also form the group syn-7, which sorts before syn-peers and so is
    their default group: syn-0150's cockpit has the same 60 indicators × 36 months as
    syn-0001's, among 7 peers instead of 150."""
    from shouwei.core.models import PeerGroup, PeerGroupMembership, Unit
    from shouwei.indicators import ranks

    seven = PeerGroup.objects.create(code="syn-7", name="模拟七区", description=description)
    PeerGroupMembership.objects.bulk_create(
        PeerGroupMembership(group=seven, unit=u, year=y)
        for u in Unit.objects.filter(code__in=[f"syn-{n:04d}" for n in range(144, 151)])
        for y in (2020, 2021, 2022)
    )
    ranks.refresh_for_group_years([(seven.pk, y) for y in (2020, 2021, 2022)])


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def machine_label() -> str:
    import django

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    # Other work on the machine moves the figures: the load average says how busy it was.
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, Django {django.get_version()}, load average {load}"
    )


@dataclass
class Timing:
    samples: list[float]  # seconds

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        if len(self.samples) < 2:
            return self.samples[0] * 1000
        return statistics.quantiles(self.samples, n=100, method="inclusive")[94] * 1000


def markdown_table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
