"""Periodic jobs: enqueued once per period whatever the number of workers, run by the worker,
failures recorded where operators look."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shouwei.core import schedule
from shouwei.core.models import Notification, ScheduledJob

CALLS: list[str] = []


@pytest.fixture
def job(monkeypatch):
    """A job of this test's own, registered beside the apps' real ones."""
    CALLS.clear()

    def count():
        CALLS.append("ran")

    monkeypatch.setattr(schedule, "_discovered", True)
    monkeypatch.setattr(schedule, "_registry", {})
    schedule.periodic("test.count", every=timedelta(minutes=10))(count)
    return "test.count"


def enqueued(name: str) -> int:
    return sum(
        1
        for r in DBTaskResult.objects.filter(task_path="shouwei.core.tasks.run_periodic")
        if r.args_kwargs["args"] == [name]
    )


@pytest.mark.django_db
def test_a_due_job_is_enqueued_once_however_many_workers_tick(job):
    now = timezone.now()
    assert schedule.tick(now) == [job]
    # A second worker ticking at the same moment finds the run already claimed.
    assert schedule.tick(now) == []
    assert schedule.tick(now + timedelta(minutes=9)) == []
    assert enqueued(job) == 1
    assert schedule.tick(now + timedelta(minutes=10)) == [job]
    assert enqueued(job) == 2


def test_run_now_records_success_and_failure(job, demo):
    schedule.tick()
    schedule.run_now(job)
    row = ScheduledJob.objects.get(name=job)
    assert CALLS == ["ran"] and row.last_finished_at is not None and row.last_error == ""

    def broken():
        raise RuntimeError("数据库不可用")

    schedule.periodic(job, every=timedelta(minutes=10))(broken)
    with pytest.raises(RuntimeError):
        schedule.run_now(job)
    assert "数据库不可用" in ScheduledJob.objects.get(name=job).last_error
    alert = Notification.objects.get(key=f"schedule.failed:{job}")
    assert alert.recipient.is_superuser and "数据库不可用" in alert.body


def test_jobs_cannot_run_more_often_than_once_a_minute():
    with pytest.raises(ValueError):
        schedule.periodic("too.often", every=timedelta(seconds=5))


# Transactional: the django-tasks worker closes its database connection between tasks, which
# on PostgreSQL would end a test that runs inside one transaction.
@pytest.mark.django_db(transaction=True)
def test_worker_batch_runs_what_is_due_and_exits(job, demo):
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert CALLS == ["ran"]
    assert ScheduledJob.objects.get(name=job).last_finished_at is not None


@pytest.mark.django_db
def test_worker_run_and_list_jobs(job, capsys):
    call_command("worker", "--list-jobs")
    assert "test.count" in capsys.readouterr().out
    call_command("worker", "--run", job)
    assert CALLS == ["ran"]
    with pytest.raises(SystemExit) as exc:
        call_command("worker", "--run", "no.such.job")
    assert exc.value.code == 2
    assert "no.such.job" in capsys.readouterr().err


def test_the_apps_register_their_jobs():
    # Autodiscovery of <app>/jobs.py: each job is a name with a period of at least a minute.
    for name, registered in schedule.jobs().items():
        assert "." in name and registered.every >= timedelta(minutes=1)
