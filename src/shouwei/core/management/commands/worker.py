"""`shouwei worker`: the django-tasks database worker plus the periodic-job clock.

Run as many as you like (one per machine or more): tasks are taken from the database queue by
one worker each, and each periodic run is claimed by one worker (see shouwei.core.schedule).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from shouwei.core import schedule

logger = logging.getLogger("shouwei.schedule")


def _clock(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            schedule.tick()
        except Exception:
            # A database hiccup must not stop the clock for the worker's lifetime.
            logger.exception("schedule: tick failed")
        finally:
            close_old_connections()
        stop.wait(every)


class Command(DbWorkerCommand):
    help = "运行后台任务（大文件导入等）并按时触发定时任务（门户完整性校验、逾期问题督办）"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="只处理任务队列，不触发定时任务（另有进程负责时）",
        )
        parser.add_argument(
            "--run",
            metavar="JOB",
            help="立即在本进程运行一个定时任务后退出，如 --run portal.verify",
        )
        parser.add_argument(
            "--list-jobs", action="store_true", help="列出已登记的定时任务及其周期后退出"
        )

    def handle(self, *args, **options) -> None:
        if options["list_jobs"]:
            for job in schedule.jobs().values():
                self.stdout.write(f"{job.name}\t{job.every}")
            return
        if options["run"]:
            try:
                schedule.run_now(options["run"])
            except KeyError as exc:
                self.stderr.write(str(exc.args[0]))
                raise SystemExit(2) from None
            return
        no_schedule = options.pop("no_schedule")
        options.pop("run"), options.pop("list_jobs")
        if no_schedule:
            return super().handle(*args, **options)
        if options.get("batch"):
            # One pass for cron-style use: enqueue what is due, then drain the queue.
            schedule.tick()
            return super().handle(*args, **options)
        stop = threading.Event()
        clock = threading.Thread(
            target=_clock,
            args=(stop, settings.SHOUWEI_SCHEDULE_TICK_SECONDS),
            name="shouwei-schedule",
            daemon=True,
        )
        clock.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
