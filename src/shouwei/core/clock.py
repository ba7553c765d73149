"""Business "today": the date every overdue count, pace, deadline, escalation and default
report period asks for, instead of ``timezone.localdate()`` / ``date.today()``.

It is the real local date, unless a demo set an "as of" date: the Hengyang demo's data end with
the half-year meeting of 2022-07-29, and run "as of" that day (``shouwei demo``). The date is a
row in the database (``DemoClock``), so the server, the worker and every app server read the
same one; the 演示日期 badge in the page header says when it is set.

Audit times are not business dates and stay real: history, upload and login times, read marks,
token expiry, the schedule of periodic jobs (docs/decisions/0007-demo-clock.md).
"""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import DemoClock

CACHE_KEY = "shouwei.clock.as_of"
# Each process reads the row once a minute at most; a change reaches a process that does not
# share the cache (locmem) within that time, one that does (redis, file) at once.
CACHE_SECONDS = 60
_UNSET = ""


def demo_date() -> date | None:
    """The date the demo runs as of, or None when business dates are real dates."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        day = DemoClock.objects.filter(pk=1).values_list("as_of", flat=True).first()
        cached = remember(day)
    return date.fromisoformat(cached) if cached else None


def today() -> date:
    return demo_date() or timezone.localdate()


def remember(day: date | None) -> str:
    """Cache what the database says the demo date is (None: not set)."""
    value = day.isoformat() if day else _UNSET
    cache.set(CACHE_KEY, value, CACHE_SECONDS)
    return value


@transaction.atomic
def set_demo_date(day: date | None) -> None:
    """Run business dates as of ``day`` (None: the real date again). Only the demo commands
    call this."""
    if day is None:
        DemoClock.objects.filter(pk=1).delete()
    else:
        DemoClock.objects.update_or_create(pk=1, defaults={"as_of": day})
    remember(day)
    # Processes sharing the cache read the row again once this commits.
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
