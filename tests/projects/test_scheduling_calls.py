"""调度任务: a call is issued, each unit answers its own rows on the monthly entry screen (the
answer is the progress report), late units are reminded and escalated, and the 周调度 sheet is
built from the answers."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from shouwei.core import clock, schedule
from shouwei.core.models import Notification
from shouwei.projects import services
from shouwei.projects.choices import ProjectLevel, Stage
from shouwei.projects.models import CallRow, ProgressReport, SchedulingCall

from .conftest import login, make_project, make_report

DEADLINE = date(2022, 7, 29)  # a Friday; the call is for ISO week 30 (25–31 July)
JOB = "projects.remind_calls"


def issue(zone, **extra) -> SchedulingCall:
    fields = {
        "issuing_unit": zone.gxq,
        "period_kind": "week",
        "period": "2022-W30",
        "deadline": DEADLINE,
        "question": "本周是否具备开工条件",
    }
    return services.call_issue(by=zone.staff_cyfz, **(fields | extra))


@pytest.fixture
def projects(zone):
    """Two projects of 产业发展局, one of 经济合作局 (each reported June)."""
    out = {
        "a": make_project(zone.cyfz, code="cy-001"),
        "b": make_project(zone.cyfz, code="cy-002", level=ProjectLevel.PROVINCIAL),
        "c": make_project(zone.jjhz, code="jj-001"),
    }
    for p in out.values():
        make_report(p, "2022-06", "6")
    return out


def figures(ytd="7", **extra) -> dict:
    return {
        "invested_this_month": Decimal("1"),
        "invested_ytd": Decimal(ytd),
        "stage": Stage.CONSTRUCTION,
        **extra,
    }


def row_of(call, project) -> CallRow:
    return CallRow.objects.get(call=call, project=project)


@pytest.fixture
def frozen(db):
    def at(day: date) -> None:
        clock.set_demo_date(day)

    yield at
    clock.set_demo_date(None)


def told(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("key", flat=True))


# --- issuing -----------------------------------------------------------------------------------
def test_a_call_asks_every_project_its_filter_selects_with_the_unit_responsible(zone, projects):
    call = issue(zone)
    rows = {r.project.code: r.unit for r in call.rows.select_related("project", "unit")}
    assert rows == {"cy-001": zone.cyfz, "cy-002": zone.cyfz, "jj-001": zone.jjhz}
    assert call.report_month == "2022-07"  # week 30's Thursday is 28 July
    assert call.issued_by == zone.staff_cyfz
    assert call.history.first().history_user == zone.staff_cyfz
    first = call.rows.first().history.get()
    assert (first.history_type, first.history_user) == ("+", zone.staff_cyfz)


def test_a_call_filters_by_level_and_department(zone, projects):
    assert set(
        issue(zone, level=ProjectLevel.PROVINCIAL).rows.values_list("project", flat=True)
    ) == {projects["b"].pk}
    by_dept = issue(zone, department=zone.jjhz)
    assert list(by_dept.rows.values_list("project", flat=True)) == [projects["c"].pk]


def test_a_call_that_selects_no_project_is_refused_and_nothing_is_written(zone, projects):
    with pytest.raises(ValidationError, match="没有符合条件的项目"):
        issue(zone, stage=Stage.OPERATING)
    assert not SchedulingCall.objects.exists()


def test_a_week_that_does_not_exist_is_refused(zone, projects):
    with pytest.raises(ValidationError) as exc:
        issue(zone, period="2022-W60")
    assert "period" in exc.value.message_dict


def test_a_department_cannot_issue_a_call_for_another_department(zone, projects):
    with pytest.raises(PermissionDenied):
        services.call_issue(
            by=zone.staff_jjhz,
            issuing_unit=zone.cyfz,
            period_kind="month",
            period="2022-07",
            deadline=DEADLINE,
        )


def test_the_scope_of_an_issued_call_cannot_be_changed(zone, projects):
    call = issue(zone)
    with pytest.raises(ValidationError, match="不能修改期间和调度范围"):
        services.call_update(by=zone.staff_cyfz, instance=call, period="2022-W31")
    moved = services.call_update(by=zone.staff_cyfz, instance=call, deadline=date(2022, 7, 30))
    assert moved.deadline == date(2022, 7, 30)


# --- answering ---------------------------------------------------------------------------------
def test_an_answer_is_the_projects_progress_report_for_the_calls_month(zone, projects, frozen):
    frozen(date(2022, 7, 28))
    call = issue(zone)
    row = services.call_answer(
        by=zone.staff_cyfz, row=row_of(call, projects["a"]), answer="具备", **figures()
    )
    report = ProgressReport.objects.get(project=projects["a"], period="2022-07")
    assert row.report == report and report.invested_ytd == Decimal("7")
    assert row.answered_on == date(2022, 7, 28) and not row.late and not row.after_close
    assert row.answer == "具备"


def test_an_answer_for_another_units_project_is_refused(zone, projects):
    call = issue(zone)
    with pytest.raises(PermissionDenied, match="不是您单位负责的"):
        services.call_answer(by=zone.staff_cyfz, row=row_of(call, projects["c"]), **figures())
    assert not ProgressReport.objects.filter(period="2022-07").exists()
    assert not row_of(call, projects["c"]).answered


def test_an_answer_breaking_a_progress_rule_is_refused_like_the_monthly_entry(zone, projects):
    call = issue(zone)
    with pytest.raises(ValidationError):
        services.call_answer(by=zone.staff_cyfz, row=row_of(call, projects["a"]), **figures("5"))
    assert not row_of(call, projects["a"]).answered


def test_an_answer_after_the_deadline_is_kept_and_marked_late(zone, projects, frozen):
    call = issue(zone)
    frozen(DEADLINE + timedelta(days=1))
    row = services.call_answer(by=zone.staff_cyfz, row=row_of(call, projects["a"]), **figures())
    assert row.late and not row.after_close


def test_an_answer_after_the_call_was_closed_is_kept_as_late_and_flagged(zone, projects, frozen):
    frozen(date(2022, 7, 28))
    call = issue(zone)
    services.call_close(by=zone.staff_cyfz, call=call)
    row = services.call_answer(by=zone.staff_jjhz, row=row_of(call, projects["c"]), **figures())
    assert row.late and row.after_close
    assert ProgressReport.objects.filter(project=projects["c"], period="2022-07").exists()
    assert row.history.first().history_change_reason == "调度关闭后填报"


def test_the_unit_answers_on_the_monthly_entry_screen_with_the_calls_rows(zone, projects):
    call = issue(zone)
    c = login(zone.staff_cyfz)
    url = reverse("projects:progress_entry") + f"?call={call.pk}"
    page = c.get(url)
    assert page.status_code == 200
    assert {p.code for p, _f in page.context["rows"]} == {"cy-001", "cy-002"}
    a = projects["a"]
    response = c.post(
        url,
        {
            f"p{a.pk}-invested_this_month": "1",
            f"p{a.pk}-invested_ytd": "7",
            f"p{a.pk}-stage": Stage.CONSTRUCTION,
            f"a{a.pk}-answer": "具备开工条件",
            f"a{a.pk}-problems": "用电报装待批",
        },
    )
    assert response.status_code == 302
    row = row_of(call, a)
    assert row.answered and row.answer == "具备开工条件" and row.problems == "用电报装待批"
    assert row.report.period == "2022-07"
    assert not row_of(call, projects["b"]).answered  # untouched row left alone


def test_the_entry_screen_never_offers_another_units_rows(zone, projects):
    call = issue(zone)
    c = login(zone.staff_cyfz)
    url = reverse("projects:progress_entry") + f"?call={call.pk}"
    other = projects["c"]
    c.post(url, {f"p{other.pk}-invested_this_month": "1", f"p{other.pk}-invested_ytd": "7"})
    assert not row_of(call, other).answered
    assert not ProgressReport.objects.filter(project=other, period="2022-07").exists()


def test_each_unit_sees_its_own_todo(zone, projects, frozen):
    frozen(date(2022, 7, 28))
    call = issue(zone)
    services.call_answer(by=zone.staff_cyfz, row=row_of(call, projects["a"]), **figures())
    todo = login(zone.staff_cyfz).get(reverse("projects:call_todo")).context["todo"]
    assert [(t.call, t.mine, t.unanswered) for t in todo] == [(call, 2, 1)]
    todo = login(zone.staff_jjhz).get(reverse("projects:call_todo")).context["todo"]
    assert [(t.call, t.mine, t.unanswered) for t in todo] == [(call, 1, 1)]


# --- the board ---------------------------------------------------------------------------------
def test_the_board_counts_asked_answered_and_late_per_unit(zone, projects, frozen):
    frozen(date(2022, 7, 28))
    call = issue(zone)
    services.call_answer(by=zone.staff_cyfz, row=row_of(call, projects["a"]), **figures())
    frozen(DEADLINE + timedelta(days=1))
    page = login(zone.leader).get(call.get_absolute_url())
    board = {
        u.unit.code: (u.asked, u.answered, u.unanswered, u.behind) for u in page.context["board"]
    }
    assert board == {"hy-gxq-cyfz": (2, 1, 1, 1), "hy-gxq-jjhz": (1, 0, 1, 1)}
    assert page.context["can_remind"]


def test_one_click_reminds_a_unit_once_until_read(zone, projects, frozen):
    frozen(date(2022, 7, 28))
    call = issue(zone)
    c = login(zone.leader)
    url = reverse("projects:call_remind", args=[call.pk, zone.jjhz.pk])
    assert c.post(url).status_code == 302
    assert told(zone.staff_jjhz) == [f"projects.call-remind:{call.pk}:{zone.jjhz.pk}"]
    c.post(url)
    assert Notification.objects.filter(recipient=zone.staff_jjhz).count() == 1
    assert told(zone.staff_cyfz) == []


def test_a_closed_call_is_not_reminded_by_hand(zone, projects):
    call = issue(zone)
    services.call_close(by=zone.staff_cyfz, call=call)
    response = login(zone.leader).post(
        reverse("projects:call_remind", args=[call.pk, zone.jjhz.pk])
    )
    assert response.status_code == 403


# --- 催报 by the job, at the boundaries -------------------------------------------------
def test_the_reminder_job_is_registered_hourly():
    assert schedule.jobs()[JOB].every == timedelta(hours=1)


def test_reminders_before_and_after_the_deadline_and_escalation(zone, projects, frozen):
    call = issue(zone)  # remind 1 day before, escalate 2 days after
    services.call_answer(by=zone.staff_cyfz, row=row_of(call, projects["a"]), **figures())
    before = f"projects.call-before:{call.pk}"
    after = f"projects.call-after:{call.pk}"
    escalate = f"projects.call-escalate:{call.pk}"

    frozen(DEADLINE - timedelta(days=2))  # too early: nobody
    assert schedule.run_now(JOB) == {"before": 0, "after": 0, "escalate": 0}
    assert told(zone.staff_cyfz) == told(zone.staff_jjhz) == []

    frozen(DEADLINE - timedelta(days=1))  # the first day of the window: both units
    assert schedule.run_now(JOB) == {"before": 2, "after": 0, "escalate": 0}
    assert told(zone.staff_cyfz) == [f"{before}:{zone.cyfz.pk}"]
    assert told(zone.staff_jjhz) == [f"{before}:{zone.jjhz.pk}"]

    frozen(DEADLINE)  # the deadline itself: already reminded, nobody twice
    assert schedule.run_now(JOB)["before"] == 0

    frozen(DEADLINE + timedelta(days=1))  # past it: 逾期未报, not yet the leader
    services.call_answer(by=zone.staff_cyfz, row=row_of(call, projects["b"]), **figures())
    assert schedule.run_now(JOB) == {"before": 0, "after": 1, "escalate": 0}
    assert f"{after}:{zone.jjhz.pk}" in told(zone.staff_jjhz)
    assert told(zone.leader) == []

    frozen(DEADLINE + timedelta(days=2))  # still late: escalated to the unit's leader
    assert schedule.run_now(JOB) == {"before": 0, "after": 0, "escalate": 1}
    assert told(zone.leader) == [f"{escalate}:{zone.jjhz.pk}"]
    assert row_of(call, projects["c"]).escalated_at is not None
    assert schedule.run_now(JOB) == {"before": 0, "after": 0, "escalate": 0}  # once


def test_a_closed_call_reminds_no_one(zone, projects, frozen):
    call = issue(zone)
    services.call_close(by=zone.staff_cyfz, call=call)
    frozen(DEADLINE + timedelta(days=5))
    assert schedule.run_now(JOB) == {"before": 0, "after": 0, "escalate": 0}


# --- the 周调度 sheet ---------------------------------------------------------------------------
def test_the_weekly_sheet_is_built_from_the_answered_call(zone, projects, frozen):
    frozen(date(2022, 7, 28))
    call = issue(zone)
    services.call_answer(
        by=zone.staff_cyfz, row=row_of(call, projects["a"]), problems="用电报装待批", **figures()
    )
    frozen(DEADLINE + timedelta(days=1))
    response = login(zone.leader).get(reverse("projects:call_sheet", args=[call.pk]))
    assert response.status_code == 200
    book = load_workbook(
        BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    sheet = book["周调度"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "序号")
    rows = {r[1]: r for r in values[header + 1 :] if r[1]}
    assert (
        rows["cy-001"][5] == "已报"
        and rows["cy-001"][9] == 7
        and rows["cy-001"][13] == "用电报装待批"
    )
    assert rows["cy-002"][5] == "逾期未报" and rows["cy-002"][9] is None
    assert rows["jj-001"][5] == "逾期未报"
    notes = " ".join(str(r[0]) for r in values[:header])
    assert "应报3个项目，已报1个，未报2个" in notes
    missing = [[c.value for c in row] for row in book["未报项目"].iter_rows()]
    assert {r[1] for r in missing} >= {"cy-002", "jj-001"}


# --- the API, under the same contract --------------------------------------------------------
def test_the_api_answers_a_call_as_the_page_does_and_refuses_another_units_row(
    zone, projects, frozen
):
    from .test_imports_and_api import api

    frozen(date(2022, 7, 28))
    call = issue(zone)
    url = f"/api/scheduling-calls/{call.pk}/answers"
    body = {"invested_this_month": "1", "invested_ytd": "7", "stage": Stage.CONSTRUCTION}
    client = api(zone.staff_cyfz)
    response = client.post(
        url, {"project": "cy-001", "answer": "具备", **body}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["late"] is False
    assert row_of(call, projects["a"]).report.period == "2022-07"
    refused = client.post(url, {"project": "jj-001", **body}, content_type="application/json")
    assert refused.status_code == 403
    assert not row_of(call, projects["c"]).answered
    board = {
        u["unit"]["code"]: u for u in client.get(f"/api/scheduling-calls/{call.pk}/board").json()
    }
    assert board["hy-gxq-cyfz"]["answered"] == 1 and board["hy-gxq-jjhz"]["unanswered"] == 1
