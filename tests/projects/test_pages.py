"""Project pages: list filters, detail chart, problem board, cockpit panel, query counts."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

from shouwei.core.testing import assert_queries_constant, count_queries
from shouwei.projects.choices import ProblemStatus
from shouwei.projects.models import Problem

from .conftest import login, make_project
from .conftest import make_report as report


@pytest.fixture
def three(zone):
    """On track (6 of 10), behind (1 of 10) and not 入库, and one of another department."""
    on = make_project(zone.cyfz, code="on-track", start=date(2021, 1, 1))
    behind = make_project(zone.cyfz, code="behind", start=date(2021, 1, 1), industry_chain="x")
    other = make_project(zone.jjhz, code="other", start=date(2021, 1, 1))
    report(on, "2022-06", "6", entered=date(2021, 2, 1))
    report(behind, "2022-06", "1")
    report(other, "2022-06", "5", entered=date(2021, 2, 1))
    return on, behind, other


def codes(response):
    return sorted(r.record.code for r in response.context["table"].paginated_rows)


def test_the_list_filters_behind_plan_and_not_entered(zone, three):
    c = login(zone.leader)
    url = reverse("projects:project_list")
    assert codes(c.get(url)) == ["behind", "on-track", "other"]
    assert codes(c.get(url, {"behind": "1", "period": "2022-06"})) == ["behind"]
    assert codes(c.get(url, {"not_entered": "1"})) == ["behind"]
    assert codes(c.get(url, {"responsible_unit": zone.jjhz.pk})) == ["other"]
    assert codes(c.get(url, {"unit": zone.cyfz.pk})) == ["behind", "on-track"]


def test_a_department_lists_and_exports_only_its_projects(zone, three):
    c = login(zone.staff_jjhz)
    url = reverse("projects:project_list")
    assert codes(c.get(url)) == ["other"]
    export = c.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert "other" in export and "on-track" not in export


def test_another_departments_project_page_is_not_found(zone, three):
    on, _behind, _other = three
    assert login(zone.staff_jjhz).get(on.get_absolute_url()).status_code == 404


def test_the_detail_page_charts_plan_against_completion(zone, three):
    on, _behind, _other = three
    response = login(zone.staff_cyfz).get(on.get_absolute_url())
    assert response.status_code == 200
    chart = response.context["progress_chart"]
    bars, line = chart.data["series"]
    assert bars["values"][5] == 6.0 and bars["labels"][5] == "6.00亿元"
    assert line["values"][5] == pytest.approx(5.0)
    body = response.content.decode()
    assert f'data-chart="{chart.id}"' in body
    assert json.loads(body.split(f'id="{chart.id}" type="application/json">')[1].split("<")[0])


def test_the_problem_board_puts_overdue_first_and_escalation_marks_them(zone, three):
    on, _behind, other = three
    today = date.today()
    late = Problem.objects.create(
        project=on, description="征拆未完成", owner_unit=zone.cyfz, deadline=today - timedelta(1)
    )
    Problem.objects.create(
        project=on, description="手续在办", owner_unit=zone.cyfz, deadline=today + timedelta(9)
    )
    Problem.objects.create(
        project=other, description="别的部门", owner_unit=zone.jjhz, deadline=today - timedelta(1)
    )
    Problem.objects.create(
        project=on,
        description="已解决",
        owner_unit=zone.cyfz,
        deadline=today - timedelta(9),
        status=ProblemStatus.RESOLVED,
        resolution="已办结",
    )
    from shouwei.projects.services import escalate_overdue

    assert escalate_overdue(today=today) == 2
    assert escalate_overdue(today=today) == 0
    board = login(zone.staff_cyfz).get(reverse("projects:problem_board")).context["board"]
    assert [p.description for p in board["overdue"]] == ["征拆未完成"]
    assert [p.description for p in board["open"]] == ["手续在办"]
    late.refresh_from_db()
    assert late.escalated_at is not None


def test_the_list_runs_the_same_queries_for_more_projects(zone, three):
    c = login(zone.leader)
    url = reverse("projects:project_list") + "?period=2022-06"

    def grow():
        for i in range(20):
            p = make_project(zone.jjhz, code=f"more-{i}", start=date(2021, 1, 1))
            report(p, "2022-06", "3")

    assert_queries_constant(lambda: c.get(url), grow)


def test_the_cockpit_panel_runs_the_same_queries_for_more_projects(zone, three):
    from shouwei.projects.selectors import project_summary

    def fetch():
        return project_summary(unit=zone.gxq, year=2022, month=6, user=zone.leader)

    def grow():
        for i in range(20):
            make_project(zone.jjhz, code=f"more-{i}", start=date(2021, 1, 1))

    assert count_queries(fetch)[0] <= 2
    assert_queries_constant(fetch, grow)
    assert fetch().overall.count == 23


def test_the_department_owning_a_problem_may_resolve_it(zone, three):
    on, _behind, _other = three
    problem = Problem.objects.create(
        project=on, description="供电排期", owner_unit=zone.jjhz, deadline=date(2022, 7, 1)
    )
    c = login(zone.staff_jjhz)
    url = reverse("projects:problem_edit", args=[problem.pk])
    data = {
        "project": on.pk,
        "description": problem.description,
        "owner_unit": zone.jjhz.pk,
        "deadline": "2022-07-01",
        "status": ProblemStatus.RESOLVED,
        "resolution": "",
    }
    assert c.post(url, data).status_code == 400  # resolved needs a resolution
    assert c.post(url, {**data, "resolution": "已排期 7 月 5 日迁改"}).status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RESOLVED


def test_the_department_a_problem_is_handed_to_works_it_but_cannot_delete_it(zone, three):
    """Found by the authorisation matrix: the delete page asked the ``change`` rule, which
    lets the department a problem is handed to work it; the contract's ``delete`` is the
    project's department's alone."""
    on, _behind, _other = three
    problem = Problem.objects.create(
        project=on, description="供电排期", owner_unit=zone.jjhz, deadline=date(2022, 7, 1)
    )
    delete = reverse("projects:problem_delete", args=[problem.pk])
    handed_to = login(zone.staff_jjhz)
    assert handed_to.get(reverse("projects:problem_edit", args=[problem.pk])).status_code == 200
    assert handed_to.get(delete).status_code == 403
    assert handed_to.post(delete).status_code == 403
    assert Problem.objects.filter(pk=problem.pk).exists()
    assert login(zone.staff_cyfz).post(delete).status_code == 302
    assert not Problem.objects.filter(pk=problem.pk).exists()


def test_the_report_button_shows_only_to_those_who_may_report_on_the_project(zone, three):
    on, _behind, other = three
    add = reverse("projects:progressreport_add")
    assert add in login(zone.staff_cyfz).get(on.get_absolute_url()).content.decode()
    # The leader reads; another department's clerk may see the project but not report on it.
    assert add not in login(zone.leader).get(on.get_absolute_url()).content.decode()
    page = login(zone.staff_jjhz).get(on.get_absolute_url())
    assert page.status_code == 404 or add not in page.content.decode()
    assert add in login(zone.staff_jjhz).get(other.get_absolute_url()).content.decode()


def test_the_detail_page_states_the_years_plan_completion_and_whether_behind(zone, three):
    on, behind, _other = three
    c = login(zone.leader)
    page = c.get(on.get_absolute_url(), {"period": "2022-06"}).content.decode()
    assert "截至 2022-06 的年度进度" in page
    assert "60.0%" in page and "进度正常" in page and "滞后于计划" not in page
    page = c.get(behind.get_absolute_url(), {"period": "2022-06"}).content.decode()
    assert "10.0%" in page and "滞后于计划" in page


def test_the_problem_board_says_which_department_problems_are_stuck_with(zone, three):
    on = three[0]
    today = date.today()
    for days, owner in ((30, zone.jjhz), (3, zone.jjhz), (5, zone.cyfz), (-4, zone.cyfz)):
        Problem.objects.create(
            project=on,
            description=f"问题{days}",
            owner_unit=owner,
            deadline=today - timedelta(days),
        )
    response = login(zone.leader).get(reverse("projects:problem_board"))
    rows = [
        (d.unit.code, d.open, d.overdue, d.most_days_overdue)
        for d in response.context["board"]["departments"]
    ]
    # 经济合作局 has more overdue, so it leads; 产业发展局's one open problem is within time.
    assert rows == [("hy-gxq-jjhz", 2, 2, 30), ("hy-gxq-cyfz", 2, 1, 5)]
    html = response.content.decode()
    assert "逾期 30 天" in html
    listing = login(zone.leader).get(response.context["board"]["departments"][0].url)
    assert sorted(p.description for p in listing.context["table"].data) == ["问题3", "问题30"]


def test_the_overdue_list_holds_open_problems_past_their_deadline_and_exports(zone, three):
    on = three[0]
    today = date.today()
    rows = {
        "逾期未办": (today - timedelta(3), ProblemStatus.OPEN),
        "今天到期": (today, ProblemStatus.OPEN),
        "逾期已办": (today - timedelta(9), ProblemStatus.RESOLVED),
    }
    for text, (deadline, status) in rows.items():
        Problem.objects.create(
            project=on,
            description=text,
            owner_unit=zone.cyfz,
            deadline=deadline,
            status=status,
            resolution="已办结" if status == ProblemStatus.RESOLVED else "",
        )
    c = login(zone.leader)
    url = reverse("projects:problem_list")
    listed = c.get(url, {"overdue": "1"}).context["table"].paginated_rows
    assert [r.record.description for r in listed] == ["逾期未办"]
    export = c.get(url, {"overdue": "1", "export": "csv"}).content.decode("utf-8-sig")
    assert "逾期未办" in export and "今天到期" not in export and "逾期已办" not in export
    board = c.get(reverse("projects:problem_board"))
    assert board.context["board"]["departments"][0].overdue_url in board.content.decode().replace(
        "&amp;", "&"
    )
