"""The demo runs as of the half-year meeting (2022-07-29): overdue days, time progress, the
周调度 sheet and escalation read as they did that day; without the demo date, the real date."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shouwei.core import clock, schedule
from shouwei.core.choices import Role, UnitKind
from shouwei.core.formatting import format_percent
from shouwei.core.models import Notification, Unit
from shouwei.demo.loader import AS_OF
from shouwei.projects.choices import ProblemStatus, ProjectLevel, Stage
from shouwei.projects.models import Problem, Project
from tests.factories import UnitFactory, user_with_role

# The demo's open problems and their deadlines (demo/data/projects.toml).
DEADLINES = {
    "二期用地征拆尚有 3 户未签约": date(2022, 6, 30),
    "沿线 10 千伏线路迁改": date(2022, 7, 15),
    "环评批复尚未取得": date(2022, 6, 15),
    "企业流动资金紧张": date(2022, 8, 31),
    "保税仓库消防验收资料需补正": date(2022, 8, 15),
}


@pytest.fixture
def as_of_the_meeting(demo):
    clock.set_demo_date(AS_OF)
    return demo


def _board_days(client) -> dict[str, int]:
    board = client.get(reverse("projects:problem_board")).context["board"]
    return {
        next(k for k in DEADLINES if p.description.startswith(k)): p.days_overdue
        for p in board["overdue"]
    }


def test_loading_the_demo_sets_its_date_and_says_so(demo):
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    assert clock.today() == AS_OF
    assert "演示日期：2022-07-29" in out.getvalue()


def test_loading_the_demo_with_real_dates_clears_the_demo_date(as_of_the_meeting):
    out = io.StringIO()
    call_command("loaddemo", real_date=True, stdout=out)
    assert clock.demo_date() is None
    assert "按真实日期运行" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_demo_command_runs_the_demo_as_of_the_meeting():
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    assert clock.today() == AS_OF
    assert "演示日期：2022-07-29" in out.getvalue()


def test_problems_are_overdue_by_days_counted_from_the_demo_date(as_of_the_meeting, client_for):
    assert _board_days(client_for("leader")) == {
        "二期用地征拆尚有 3 户未签约": 29,
        "沿线 10 千伏线路迁改": 14,
        "环评批复尚未取得": 44,
    }


def test_without_the_demo_date_problems_are_overdue_from_the_real_date(demo, client_for):
    today = timezone.localdate()
    expected = {k: (today - d).days for k, d in DEADLINES.items() if d < today}
    assert _board_days(client_for("leader")) == expected


def test_the_overdue_filter_lists_what_is_overdue_on_the_demo_date(as_of_the_meeting, client_for):
    response = client_for("leader").get(reverse("projects:problem_list"), {"overdue": "1"})
    listed = {p.description for p in response.context["table"].data}
    overdue = Problem.objects.filter(deadline__lt=AS_OF, status=ProblemStatus.OPEN)
    assert listed == set(overdue.values_list("description", flat=True))
    assert len(listed) == 3


def test_escalation_on_the_demo_date_hands_up_the_three_overdue_problems(as_of_the_meeting):
    assert schedule.run_now("projects.escalate_overdue") == 3
    escalated = Problem.objects.filter(escalated_at__isnull=False)
    assert set(escalated.values_list("deadline", flat=True)) == {
        date(2022, 6, 30),
        date(2022, 7, 15),
        date(2022, 6, 15),
    }
    bodies = Notification.objects.filter(recipient__username="leader").values_list("body", flat=1)
    assert any("已逾期 29 天" in b for b in bodies)


@pytest.fixture
def unreported_project(demo):
    """A new department's project with no monthly report yet: its pages count the year's
    progress from business today's month, as nothing is reported."""
    zone = Unit.objects.get(code="hy-gxq")
    unit = UnitFactory(code="hy-gxq-new", name="新设部门", kind=UnitKind.DEPARTMENT, parent=zone)
    staff = user_with_role(Role.STAFF, unit, username="staff_new")
    project = Project.objects.create(
        code="gxq-new-001",
        name="新设部门测试项目",
        level=ProjectLevel.DISTRICT,
        industry="C39",
        total_investment=Decimal("10"),
        responsible_unit=unit,
        start_date=date(2022, 3, 1),
        stage=Stage.PRELIMINARY,
    )
    return staff, project


def _standing(client, project) -> str:
    html = client.get(project.get_absolute_url()).content.decode()
    return re.sub(r"\s+", " ", html)


def test_time_progress_with_nothing_reported_is_the_demo_month(unreported_project, client):
    staff, project = unreported_project
    clock.set_demo_date(AS_OF)
    client.force_login(staff)
    html = _standing(client, project)
    assert "截至 2022-07 的年度进度" in html
    assert f"时间已过 {format_percent(Decimal(7) / 12, 0)}" in html


def test_time_progress_without_the_demo_date_is_the_real_month(unreported_project, client):
    staff, project = unreported_project
    client.force_login(staff)
    html = _standing(client, project)
    today = timezone.localdate()
    assert f"截至 {today:%Y-%m} 的年度进度" in html
    assert f"时间已过 {format_percent(Decimal(today.month) / 12, 0)}" in html


def _weekly(client) -> tuple[str, list]:
    response = client.get(reverse("projects:weekly_sheet"))
    assert response.status_code == 200, response
    book = load_workbook(io.BytesIO(response.content))
    return response["Content-Disposition"], list(book["逾期问题"].iter_rows(values_only=True))


def test_the_weekly_sheet_button_gives_the_week_of_the_demo_date(as_of_the_meeting, client_for):
    disposition, problems = _weekly(client_for("leader"))
    assert "2022-W30" in disposition
    assert "截至2022年07月31日逾期未解决的问题（3个）" in problems[0][0]


def test_without_the_demo_date_the_weekly_sheet_falls_back_to_the_newest_month(demo, client_for):
    # The real date's year has no reports: the week in which the newest month (2022-06) ends.
    assert clock.today().year > 2022
    disposition, _problems = _weekly(client_for("leader"))
    assert "2022-W26" in disposition
