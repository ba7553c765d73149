"""The pages: lists, details, the board, the notice flow through its buttons, the cockpit."""

from datetime import date

import pytest
from django.test import Client

from shouwei.core import clock
from shouwei.core.choices import Role
from shouwei.core.models import Unit
from shouwei.supervision import services
from shouwei.supervision.choices import NoticeStatus
from shouwei.supervision.models import (
    ExtensionRequest,
    Goal,
    Milestone,
    PerformanceScheme,
    SupervisionNotice,
)
from tests.factories import user_with_role

LISTS = (
    "goals",
    "taskbooks",
    "milestones",
    "progressreports",
    "supervisionnotices",
    "extensionrequests",
    "safetyincidents",
    "arrearss",
    "performanceschemes",
    "schemeitems",
    "scoreadjustments",
    "scoreruns",
    "departmentscores",
)


@pytest.mark.parametrize("user", ["leader", "supervisor", "staff_cyfz"])
def test_every_list_opens(client_for, user):
    client = client_for(user)
    for name in LISTS:
        assert client.get(f"/supervision/{name}/").status_code == 200, name


def test_the_board_by_department_and_by_leader(client_for, demo):
    clock.set_demo_date(date(2022, 7, 29))
    client = client_for("leader")
    page = client.get("/supervision/board/?year=2022").content.decode()
    assert "综保区全年进出口总额1亿元" in page and "经济合作局" in page
    page = client.get("/supervision/board/?year=2022&by=leader").content.decode()
    assert "党工委负责人" in page
    red = client.get("/supervision/board/?year=2022&light=red").content.decode()
    assert "全省“五好”园区排名进入前20" in red
    assert "11月办好中国电子信息产业高峰论坛" not in red


def test_a_goal_page_shows_its_roadmap_and_lights(client_for, demo):
    clock.set_demo_date(date(2022, 7, 29))
    goal = Goal.objects.get(code="g09", year=2022)
    page = client_for("staff_cyfz").get(goal.get_absolute_url()).content.decode()
    assert "8月高新产业发展公司实现外贸破零" in page and "路线图·时间表" in page


def test_the_notice_flow_through_the_pages(client_for, demo):
    clock.set_demo_date(date(2022, 7, 29))
    notice = SupervisionNotice.objects.get(number="督办〔2022〕2号")  # to 经济合作局, issued
    other, own, office = (
        client_for("staff_cyfz"),
        client_for("staff_jjhz"),
        client_for("supervisor"),
    )
    assert other.get(notice.get_absolute_url()).status_code == 404
    assert "签收" in own.get(notice.get_absolute_url()).content.decode()
    own.post(f"/supervision/supervisionnotices/{notice.pk}/sign/")
    own.post(f"/supervision/supervisionnotices/{notice.pk}/answer/", {"answer": "已明确时间表"})
    office.post(f"/supervision/supervisionnotices/{notice.pk}/close/", {"note": "同意"})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED


def test_answering_a_notice_addressed_to_another_is_refused_with_a_message(client_for, demo):
    notice = SupervisionNotice.objects.get(number="督办〔2022〕1号")  # 产业发展局's, signed
    response = client_for("staff_jjhz").post(
        f"/supervision/supervisionnotices/{notice.pk}/answer/", {"answer": "x"}
    )
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SIGNED


def test_the_extension_flow_through_the_pages(client_for, demo):
    clock.set_demo_date(date(2022, 7, 29))
    request = ExtensionRequest.objects.get(milestone__title="完成国家高新区评价指标短板分析")
    assert "批准延期" in client_for("supervisor").get(request.get_absolute_url()).content.decode()
    client_for("supervisor").post(
        f"/supervision/extensionrequests/{request.pk}/decide/",
        {"decision": "approve", "note": "同意"},
    )
    milestone = Milestone.objects.get(pk=request.milestone_id)
    assert milestone.due == date(2022, 9, 15)


def test_an_extension_asked_late_without_a_reason_shows_the_error(client_for, demo):
    clock.set_demo_date(date(2022, 9, 2))
    milestone = Milestone.objects.get(title="8月高新产业发展公司实现外贸破零")
    clerk = user_with_role(Role.STAFF, Unit.objects.get(code="hy-zbq"), username="zbq-clerk")
    client = Client()
    client.force_login(clerk)
    response = client.post(
        "/supervision/extensionrequests/add/",
        {"milestone": milestone.pk, "new_due": "2022-09-30", "reason": ""},
    )
    assert response.status_code == 400
    assert "逾期后申请延期须说明理由" in response.content.decode()
    assert not ExtensionRequest.objects.filter(milestone=milestone).exists()


def test_a_scheme_run_from_the_page_and_the_scores(client_for, demo):
    clock.set_demo_date(date(2022, 7, 29))
    scheme = PerformanceScheme.objects.get(year=2022)
    response = client_for("supervisor").post(
        f"/supervision/performanceschemes/{scheme.pk}/run/", {}
    )
    run = scheme.runs.get(version=2)  # the demo's platform run is version 1
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    page = client_for("leader").get(run.get_absolute_url()).content.decode()
    assert "奖优罚劣" in page
    score = run.scores.order_by("rank").first()
    assert "节点按时完成率" in client_for("leader").get(score.get_absolute_url()).content.decode()
    assert (
        client_for("staff_cyfz")
        .post(f"/supervision/performanceschemes/{scheme.pk}/run/", {})
        .status_code
        == 302
    )
    assert scheme.runs.count() == 2  # refused with a message


def test_the_cockpit_panel_links_each_figure(client_for, demo):
    clock.set_demo_date(date(2022, 7, 29))
    scheme = PerformanceScheme.objects.get(year=2022)
    services.scheme_run(by=demo["supervisor"], scheme=scheme)
    page = client_for("leader").get("/indicators/cockpit/?period=2022-06").content.decode()
    assert "督查绩效" in page
    assert "/supervision/milestones/?overdue=true" in page
    assert "/supervision/supervisionnotices/?status=issued" in page
    assert "/supervision/extensionrequests/?status=pending" in page
    assert "/supervision/board/?year=2022&amp;light=red" in page
    assert "/supervision/departmentscores/" in page
