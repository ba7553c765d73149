"""催办 before and after a due date, automatic 督办单 drafts, and the 督办单 as a .docx."""

import io
from datetime import date

import pytest
from docx import Document

from shouwei.core.models import Notification
from shouwei.core.schedule import jobs
from shouwei.supervision import docx, services
from shouwei.supervision.choices import NoticeStatus
from shouwei.supervision.models import SupervisionNotice
from tests.factories import MilestoneFactory, SupervisionNoticeFactory

pytestmark = pytest.mark.django_db


def _keys(user):
    return set(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def test_a_milestone_due_within_a_week_reminds_its_department_only(people):
    m = MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz)
    services.remind(today=date(2022, 8, 24))
    assert f"supervision.due-soon:{m.pk}" in _keys(people.clerk)
    assert not _keys(people.office) and not _keys(people.other)


def test_a_milestone_not_yet_due_soon_reminds_nobody(people):
    MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz)
    assert services.remind(today=date(2022, 8, 23)) == 0


def test_an_overdue_milestone_reminds_the_department_and_the_office_once(people):
    m = MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz)
    services.remind(today=date(2022, 9, 1))
    key = f"supervision.overdue:{m.pk}"
    assert key in _keys(people.clerk) and key in _keys(people.office)
    assert services.remind(today=date(2022, 9, 2)) == 0  # unread: not sent again


def test_a_done_milestone_reminds_nobody(people):
    MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz, completed_on=date(2022, 8, 30))
    assert services.remind(today=date(2022, 9, 5)) == 0


def test_an_overdue_milestone_gets_one_draft_notice(people):
    m = MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz, title="8月实现外贸破零")
    MilestoneFactory(due=date(2022, 9, 30), lead_unit=people.cyfz)  # not yet due
    [draft] = services.draft_overdue_notices(today=date(2022, 9, 1))
    assert (draft.unit, draft.milestone, draft.status) == (people.cyfz, m, NoticeStatus.DRAFT)
    assert draft.auto_drafted and "8月实现外贸破零" in draft.task
    assert draft.deadline == date(2022, 9, 8)
    assert services.draft_overdue_notices(today=date(2022, 9, 2)) == []


def test_the_periodic_job_is_registered_and_runs(people, frozen):
    frozen(date(2022, 9, 1))
    MilestoneFactory(due=date(2022, 8, 31), lead_unit=people.cyfz)
    assert jobs()["supervision.remind"].func() >= 1
    assert SupervisionNotice.objects.filter(auto_drafted=True).count() == 1


def _text(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def test_the_notice_docx_holds_number_task_and_deadline(people, frozen):
    frozen(date(2022, 9, 1))
    notice = SupervisionNoticeFactory(
        unit=people.cyfz, task="综保区高新产业发展公司实现外贸破零", deadline=date(2022, 9, 10)
    )
    notice = services.notice_issue(by=people.office, notice=notice)
    paragraphs = _text(docx.notice_document(notice))
    assert paragraphs[0] == "衡阳高新区督查绩效办公室"  # 版头
    assert paragraphs[1] == "督办〔2022〕1号"  # 文号
    assert "督办通知单" in paragraphs  # 标题
    assert f"{people.cyfz.name}：" in paragraphs  # 主送
    assert "综保区高新产业发展公司实现外贸破零" in paragraphs  # 正文
    assert any("2022年9月10日 前" in p for p in paragraphs)  # the deadline
    assert paragraphs[-1] == "2022年9月1日"  # 成文日期: the business date it was issued


def test_the_docx_page_downloads_for_the_department_and_not_another(people, client):
    notice = SupervisionNoticeFactory(unit=people.cyfz)
    client.force_login(people.clerk)
    response = client.get(f"/supervision/supervisionnotices/{notice.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(people.other)
    assert client.get(f"/supervision/supervisionnotices/{notice.pk}/docx/").status_code == 404
