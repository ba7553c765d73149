"""Periodic jobs: what runs on its own every few minutes or hours (portal integrity checks,
escalation of overdue problems).

An app declares a job in its ``jobs.py``::

    @periodic("portal.verify", every=timedelta(minutes=10))
    def verify_portal() -> None: ...

``shouwei worker`` calls :func:`tick` twice a minute; a due job is enqueued as a django-tasks
task and run by whichever worker takes it. The schedule lives in the database (``ScheduledJob``):
any number of worker processes on any number of machines may tick, and each run is claimed by
exactly one of them with a conditional UPDATE. Nothing here assumes one process.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger("shouwei.schedule")


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    func: Callable[[], object]


_registry: dict[str, Job] = {}
_discovered = False


def periodic(name: str, *, every: timedelta) -> Callable[[Callable], Callable]:
    """Register a function without arguments to run every ``every``."""
    if every < timedelta(minutes=1):
        raise ValueError("periodic jobs run at most once a minute")

    def register(func: Callable) -> Callable:
        _registry[name] = Job(name=name, every=every, func=func)
        return func

    return register


def jobs() -> dict[str, Job]:
    global _discovered
    if not _discovered:
        autodiscover_modules("jobs")
        _discovered = True
    return dict(_registry)


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every job that is due; returns the names enqueued by this call."""
    from .models import ScheduledJob
    from .tasks import run_periodic

    now = now or timezone.now()
    enqueued = []
    for job in jobs().values():
        ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        claimed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=now + job.every, last_enqueued_at=now
        )
        if claimed:
            run_periodic.enqueue(job.name)
            enqueued.append(job.name)
    if enqueued:
        logger.info("schedule: enqueued %s", ", ".join(enqueued))
    return enqueued


def run_now(name: str) -> object:
    """Run one job in this process (the worker's task, tests, ``shouwei worker --run NAME``);
    its outcome is recorded on the schedule so operators can see a job that keeps failing."""
    from .models import ScheduledJob

    try:
        job = jobs()[name]
    except KeyError:
        raise KeyError(f"no periodic job named {name!r}; known: {sorted(jobs())}") from None
    try:
        result = job.func()
    except Exception as exc:
        ScheduledJob.objects.filter(name=name).update(last_error=traceback.format_exc()[-4000:])
        logger.exception("schedule: job %s failed", name)
        from . import alerts

        # A check that silently stopped running is worse than one that never existed.
        alerts.alert_operators(
            title=f"定时任务运行失败：{name}",
            body=f"{type(exc).__name__}: {exc}"[:1000],
            url="/admin/core/scheduledjob/",
            key=f"schedule.failed:{name}",
        )
        raise
    ScheduledJob.objects.filter(name=name).update(last_finished_at=timezone.now(), last_error="")
    return result
