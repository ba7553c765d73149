"""Overdue problems are escalated by the hourly job, and the right people are told once."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shouwei.core import schedule
from shouwei.core.models import Notification
from shouwei.projects.choices import ProblemStatus
from shouwei.projects.models import Problem

from .conftest import make_project

JOB = "projects.escalate_overdue"


def problem(project, owner, *, days_left: int, **extra) -> Problem:
    return Problem.objects.create(
        project=project,
        description=extra.pop("description", "用地报批未完成"),
        owner_unit=owner,
        deadline=timezone.localdate() + timedelta(days=days_left),
        **extra,
    )


def told(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("key", flat=True))


@pytest.fixture
def project(zone):
    return make_project(zone.cyfz, start=date(2021, 1, 1))


def test_the_job_is_registered_to_run_hourly():
    assert schedule.jobs()[JOB].every == timedelta(hours=1)


def test_an_overdue_problem_is_escalated_and_its_people_told(zone, project):
    late = problem(project, zone.jjhz, days_left=-3)
    assert schedule.run_now(JOB) == 1
    late.refresh_from_db()
    assert late.escalated_at is not None
    key = f"projects.problem-overdue:{late.pk}"
    # The zone's leader (over the project's department) and the owning department's staff.
    assert told(zone.leader) == [key]
    assert told(zone.staff_jjhz) == [key]
    assert told(zone.staff_cyfz) == []
    note = Notification.objects.get(recipient=zone.leader)
    assert note.url == reverse("projects:problem_board")
    assert project.name in note.title and "已逾期 3 天" in note.body
    assert late.history.first().history_change_reason == "逾期未解决，提交领导协调"


def test_running_again_tells_no_one_twice(zone, project):
    problem(project, zone.jjhz, days_left=-1)
    schedule.run_now(JOB)
    Notification.objects.filter(recipient=zone.leader).update(read_at=timezone.now())
    assert schedule.run_now(JOB) == 0
    assert Notification.objects.count() == 2


def test_a_problem_not_yet_due_or_resolved_is_left_alone(zone, project):
    due_today = problem(project, zone.jjhz, days_left=0)
    problem(project, zone.jjhz, days_left=5, description="环评在办")
    problem(
        project,
        zone.jjhz,
        days_left=-9,
        description="已解决的",
        status=ProblemStatus.RESOLVED,
        resolution="已办结",
    )
    assert schedule.run_now(JOB) == 0
    due_today.refresh_from_db()
    assert due_today.escalated_at is None
    assert not Notification.objects.exists()
