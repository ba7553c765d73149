"""The bad inputs of issue 14 and the notice and extension flows."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouwei.supervision import services
from shouwei.supervision.choices import ExtensionStatus, NoticeStatus
from shouwei.supervision.models import Milestone, SupervisionNotice
from tests.factories import GoalFactory, MilestoneFactory, SupervisionNoticeFactory, TaskBookFactory

pytestmark = pytest.mark.django_db


def test_a_milestone_due_after_its_goals_year_is_refused(people):
    goal = GoalFactory(year=2022)
    milestone = Milestone(
        goal=goal, title="x", deliverable="y", due=date(2023, 1, 5), lead_unit=people.cyfz
    )
    with pytest.raises(ValidationError) as exc:
        milestone.full_clean()
    assert "晚于目标年度 2022 年" in str(exc.value.message_dict["due"])


def test_a_report_dated_today_is_not_flagged(people, frozen):
    frozen(date(2022, 8, 1))
    m = MilestoneFactory()
    report = services.report_create(
        by=people.clerk,
        milestone=m,
        unit=people.cyfz,
        reported_on=date(2022, 8, 1),
        text="推进中",
        percent=40,
    )
    assert report.backdated is False


def test_a_backdated_report_needs_a_reason(people, frozen):
    frozen(date(2022, 8, 1))
    m = MilestoneFactory()
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            by=people.clerk,
            milestone=m,
            unit=people.cyfz,
            reported_on=date(2022, 7, 20),
            text="补报七月进展",
            percent=30,
        )
    assert "补报原因" in str(exc.value.message_dict["backdate_reason"])
    assert not m.progress_reports.exists()


def test_a_backdated_report_with_a_reason_is_kept_and_flagged(people, frozen):
    frozen(date(2022, 8, 1))
    m = MilestoneFactory()
    report = services.report_create(
        by=people.clerk,
        milestone=m,
        unit=people.cyfz,
        reported_on=date(2022, 7, 20),
        text="补报七月进展",
        percent=30,
        backdate_reason="系统维护期间未能报送",
    )
    assert report.backdated is True
    assert report.history.first().history_user == people.clerk


def test_a_department_cannot_report_on_another_departments_milestone(people, frozen):
    frozen(date(2022, 8, 1))
    m = MilestoneFactory(lead_unit=people.cyfz)
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            by=people.other,
            milestone=m,
            unit=people.jjhz,
            reported_on=date(2022, 8, 1),
            text="x",
            percent=10,
        )
    assert "责任部门" in str(exc.value)


def test_a_co_operating_department_of_the_task_book_may_report(people, frozen):
    frozen(date(2022, 8, 1))
    book = TaskBookFactory(lead_unit=people.cyfz)
    book.co_units.add(people.jjhz)
    m = MilestoneFactory(goal=book.goal, lead_unit=people.cyfz)
    report = services.report_create(
        by=people.other,
        milestone=m,
        unit=people.jjhz,
        reported_on=date(2022, 8, 1),
        text="配合推进",
        percent=10,
    )
    assert report.pk


def test_a_report_of_100_percent_completes_the_milestone(people, frozen):
    frozen(date(2022, 8, 20))
    m = MilestoneFactory(due=date(2022, 8, 31))
    services.report_create(
        by=people.clerk,
        milestone=m,
        unit=people.cyfz,
        reported_on=date(2022, 8, 20),
        text="完成",
        percent=100,
    )
    m.refresh_from_db()
    assert m.completed_on == date(2022, 8, 20)


def _issued(people, frozen):
    frozen(date(2022, 9, 1))
    notice = SupervisionNoticeFactory(unit=people.cyfz, deadline=date(2022, 9, 10))
    return services.notice_issue(by=people.office, notice=notice)


def test_issuing_numbers_the_notice_and_tells_the_department(people, frozen):
    notice = _issued(people, frozen)
    assert notice.number == "督办〔2022〕1号"
    assert notice.status == NoticeStatus.ISSUED
    assert people.clerk.notifications.filter(key=f"supervision.notice-issued:{notice.pk}").exists()


def test_sign_answer_close(people, frozen):
    notice = _issued(people, frozen)
    services.notice_sign(by=people.clerk, notice=notice)
    services.notice_answer(by=people.clerk, notice=notice, answer="已完成首单报关")
    closed = services.notice_close(by=people.office, notice=notice, note="同意办结")
    assert closed.status == NoticeStatus.CLOSED
    assert closed.signed_by == people.clerk and closed.answered_by == people.clerk
    assert [h.status for h in closed.history.order_by("history_id")] == [
        "draft",
        "issued",
        "signed",
        "answered",
        "closed",
    ]


def test_another_department_can_neither_sign_nor_answer(people, frozen):
    notice = _issued(people, frozen)
    with pytest.raises(PermissionDenied):
        services.notice_sign(by=people.other, notice=notice)
    services.notice_sign(by=people.clerk, notice=notice)
    with pytest.raises(PermissionDenied):
        services.notice_answer(by=people.other, notice=notice, answer="不是我们的")
    assert SupervisionNotice.objects.get(pk=notice.pk).status == NoticeStatus.SIGNED


def test_a_notice_cannot_be_answered_before_it_is_signed(people, frozen):
    notice = _issued(people, frozen)
    with pytest.raises(PermissionDenied):
        services.notice_answer(by=people.clerk, notice=notice, answer="先答复")


def test_a_department_cannot_issue_or_close(people, frozen):
    frozen(date(2022, 9, 1))
    notice = SupervisionNoticeFactory(unit=people.cyfz)
    with pytest.raises(PermissionDenied):
        services.notice_issue(by=people.clerk, notice=notice)


def test_an_extension_asked_after_the_due_date_needs_a_reason(people, frozen):
    frozen(date(2022, 9, 2))
    m = MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz)
    with pytest.raises(ValidationError) as exc:
        services.extension_request(by=people.clerk, milestone=m, new_due=date(2022, 9, 30))
    assert "逾期后申请延期须说明理由" in str(exc.value.message_dict["reason"])
    assert not m.extension_requests.exists()


def test_an_extension_asked_before_the_due_date_needs_no_reason(people, frozen):
    frozen(date(2022, 8, 31))  # the due day itself is still in time
    m = MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz)
    request = services.extension_request(by=people.clerk, milestone=m, new_due=date(2022, 9, 30))
    assert request.status == ExtensionStatus.PENDING


def test_an_approved_extension_moves_the_due_date_and_keeps_the_original(people, frozen):
    frozen(date(2022, 9, 2))
    m = MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz)
    request = services.extension_request(
        by=people.clerk, milestone=m, new_due=date(2022, 9, 30), reason="海关备案延后"
    )
    with pytest.raises(PermissionDenied):
        services.extension_decide(by=people.clerk, request=request, approve=True)
    services.extension_decide(by=people.office, request=request, approve=True, note="同意")
    m.refresh_from_db()
    assert (m.due, m.original_due) == (date(2022, 9, 30), date(2022, 8, 31))


def test_a_refused_extension_needs_a_reason_and_leaves_the_date(people, frozen):
    frozen(date(2022, 8, 20))
    m = MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz)
    request = services.extension_request(by=people.clerk, milestone=m, new_due=date(2022, 9, 30))
    with pytest.raises(ValidationError):
        services.extension_decide(by=people.office, request=request, approve=False)
    services.extension_decide(
        by=people.office, request=request, approve=False, note="不具备延期条件"
    )
    m.refresh_from_db()
    assert m.due == date(2022, 8, 31)


def test_only_the_milestones_department_asks_for_an_extension(people, frozen):
    frozen(date(2022, 8, 20))
    m = MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz)
    with pytest.raises(PermissionDenied):
        services.extension_request(by=people.other, milestone=m, new_due=date(2022, 9, 30))
