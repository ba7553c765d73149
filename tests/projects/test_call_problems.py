"""Problems typed in a scheduling call's answer become the project's problems (项目问题): one
per answer, kept in step with it, raised by the answering unit and linked to the answer."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shouwei.projects import services
from shouwei.projects.choices import ProblemStatus, Stage
from shouwei.projects.models import Problem

from .conftest import login
from .test_scheduling_calls import figures, frozen, issue, projects, row_of

__all__ = ["frozen", "projects"]  # fixtures shared with the scheduling-call tests

TODAY = date(2022, 7, 28)


def answer(zone, call, project, problems: str, *, by=None):
    return services.call_answer(
        by=by or zone.staff_cyfz, row=row_of(call, project), problems=problems, **figures()
    )


def test_a_problem_in_an_answer_becomes_the_projects_problem(zone, projects, frozen):
    frozen(TODAY)
    call = issue(zone)
    row = answer(zone, call, projects["a"], "  用电报装待供电公司审批  ")
    problem = Problem.objects.get()
    assert problem.project == projects["a"]
    assert problem.description == "用电报装待供电公司审批"
    assert problem.reporting_unit == zone.cyfz and problem.owner_unit == zone.cyfz
    assert problem.source_row == row and row.raised_problem == problem
    assert problem.status == ProblemStatus.OPEN
    assert problem.deadline == TODAY + timedelta(days=services.CALL_PROBLEM_DAYS)
    assert problem.history.first().history_user == zone.staff_cyfz
    assert problem.history.first().history_change_reason == "调度填报提出"


def test_an_empty_problem_raises_none(zone, projects):
    call = issue(zone)
    answer(zone, call, projects["a"], "   ")
    assert not Problem.objects.exists()


def test_an_edited_answer_updates_its_problem_not_a_second_one(zone, projects, frozen):
    frozen(TODAY)
    call = issue(zone)
    answer(zone, call, projects["a"], "用电报装待批")
    frozen(TODAY + timedelta(days=1))
    answer(zone, call, projects["a"], "用电报装待批，已催供电公司")
    problem = Problem.objects.get()
    assert problem.description == "用电报装待批，已催供电公司"
    assert problem.deadline == TODAY + timedelta(days=services.CALL_PROBLEM_DAYS)  # unchanged
    assert problem.history.count() == 2


def test_saving_the_same_answer_again_writes_nothing_new(zone, projects):
    call = issue(zone)
    answer(zone, call, projects["a"], "用电报装待批")
    answer(zone, call, projects["a"], "用电报装待批")
    assert Problem.objects.get().history.count() == 1


def test_a_problem_cleared_from_the_answer_is_closed_as_withdrawn_and_can_come_back(zone, projects):
    call = issue(zone)
    answer(zone, call, projects["a"], "用电报装待批")
    answer(zone, call, projects["a"], "")
    problem = Problem.objects.get()
    assert problem.status == ProblemStatus.RESOLVED and problem.resolution == services.WITHDRAWN
    answer(zone, call, projects["a"], "用电报装待批")
    problem.refresh_from_db()
    assert (problem.status, problem.resolution) == (ProblemStatus.OPEN, "")
    assert Problem.objects.count() == 1


def test_a_problem_the_department_resolved_is_not_reopened_by_the_same_answer(zone, projects):
    call = issue(zone)
    answer(zone, call, projects["a"], "用电报装待批")
    problem = Problem.objects.get()
    problem.status, problem.resolution = ProblemStatus.RESOLVED, "已通电"
    problem.save()
    answer(zone, call, projects["a"], "用电报装待批")  # the figures corrected, the text kept
    problem.refresh_from_db()
    assert (problem.status, problem.resolution) == (ProblemStatus.RESOLVED, "已通电")


def test_each_answer_raises_its_own_problem(zone, projects):
    call = issue(zone)
    answer(zone, call, projects["a"], "用电报装待批")
    answer(zone, call, projects["b"], "征拆未完成")
    later = issue(zone, period="2022-W31", deadline=date(2022, 8, 5))
    services.call_answer(
        by=zone.staff_cyfz,
        row=row_of(later, projects["a"]),
        problems="用电报装仍待批",
        **figures("8"),
    )
    texts = list(Problem.objects.values_list("description", flat=True))
    assert sorted(texts) == sorted(["用电报装仍待批", "用电报装待批", "征拆未完成"])


def test_another_units_project_is_refused_and_raises_no_problem(zone, projects):
    call = issue(zone)
    with pytest.raises(PermissionDenied, match="不是您单位负责的"):
        answer(zone, call, projects["c"], "土地未摘牌", by=zone.staff_cyfz)
    assert not Problem.objects.exists()
    assert row_of(call, projects["c"]).problems == ""


def test_the_entry_screen_raises_the_problem_and_the_problem_page_names_its_source(zone, projects):
    call = issue(zone)
    c = login(zone.staff_cyfz)
    a = projects["a"]
    url = reverse("projects:progress_entry") + f"?call={call.pk}"
    response = c.post(
        url,
        {
            f"p{a.pk}-invested_this_month": "1",
            f"p{a.pk}-invested_ytd": "7",
            f"p{a.pk}-stage": Stage.CONSTRUCTION,
            f"a{a.pk}-problems": "用电报装待批",
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    page = c.get(problem.get_absolute_url()).content.decode()
    assert "提出单位" in page and "产业发展局" in page
    assert call.get_absolute_url() in page  # the source answer, on its call's board
