"""前期手续: the checklist per project, its order rule, late items on the project page and the
board across projects."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shouwei.core import clock
from shouwei.projects import services
from shouwei.projects.choices import ProcedureKind, Stage
from shouwei.projects.models import Procedure

from .conftest import login, make_project

K = ProcedureKind


def add(zone, project, kind, **fields):
    return services.procedure_create(by=zone.staff_cyfz, project=project, kind=kind, **fields)


@pytest.fixture
def today(db):
    clock.set_demo_date(date(2022, 7, 29))
    yield date(2022, 7, 29)
    clock.set_demo_date(None)


def test_a_construction_permit_before_the_planning_permit_is_refused_without_a_note(zone, project):
    add(zone, project, K.PLANNING, done_on=date(2022, 5, 10))
    with pytest.raises(ValidationError) as exc:
        add(zone, project, K.CONSTRUCTION, done_on=date(2022, 4, 1))
    assert "施工许可（2022-04-01）早于其前置手续规划许可（2022-05-10）" in str(exc.value)
    assert not Procedure.objects.filter(kind=K.CONSTRUCTION).exists()


def test_the_order_is_checked_from_either_side(zone, project):
    add(zone, project, K.CONSTRUCTION, done_on=date(2022, 4, 1))
    with pytest.raises(ValidationError, match="施工许可（2022-04-01）早于其前置手续规划许可"):
        add(zone, project, K.PLANNING, done_on=date(2022, 5, 10))


def test_out_of_order_dates_with_a_note_are_kept(zone, project):
    add(zone, project, K.PLANNING, done_on=date(2022, 5, 10))
    permit = add(
        zone, project, K.CONSTRUCTION, done_on=date(2022, 4, 1), order_note="容缺受理，先行发证"
    )
    assert permit.history.first().history_user == zone.staff_cyfz


def test_a_custom_item_needs_its_name_and_a_standard_item_is_listed_once(zone, project):
    with pytest.raises(ValidationError) as exc:
        add(zone, project, K.CUSTOM)
    assert "name" in exc.value.message_dict
    add(zone, project, K.CUSTOM, name="水土保持方案批复")
    add(zone, project, K.CUSTOM, name="消防设计审查")
    add(zone, project, K.ENVIRONMENT)
    with pytest.raises(ValidationError, match="该项目已有这项手续"):
        add(zone, project, K.ENVIRONMENT)


def test_another_departments_project_is_refused(zone, project):
    with pytest.raises(PermissionDenied):
        services.procedure_create(by=zone.staff_jjhz, project=project, kind=K.APPROVAL)


def test_a_late_procedure_shows_on_the_project_page(zone, project, today):
    add(zone, project, K.ENVIRONMENT, planned_on=date(2022, 6, 30), approving_office="市生态环境局")
    add(zone, project, K.APPROVAL, planned_on=date(2022, 3, 1), done_on=date(2022, 3, 5))
    page = login(zone.leader).get(project.get_absolute_url())
    items = {p.kind: p.late for p in page.context["procedures"]}
    assert items == {K.APPROVAL: False, K.ENVIRONMENT: True}
    assert "逾期未办（计划 2022-06-30）" in page.content.decode()


def test_the_board_shows_what_stands_between_each_reserve_project_and_its_start(
    zone, project, today
):
    started = make_project(zone.cyfz, code="test-002")
    started.stage = Stage.CONSTRUCTION
    started.save()
    add(zone, project, K.LAND, planned_on=date(2022, 7, 1))
    add(zone, project, K.APPROVAL, done_on=date(2022, 3, 5))
    add(zone, started, K.LAND, planned_on=date(2022, 7, 1))
    lines = login(zone.leader).get(reverse("projects:procedure_board")).context["lines"]
    assert [line.project for line in lines] == [project]  # 前期 only by default
    cells = dict(lines[0].cells)
    assert cells[K.LAND].late and cells[K.APPROVAL].done_on and cells[K.PLANNING] is None
    assert (lines[0].open, lines[0].late) == (1, 1)
    every = login(zone.leader).get(reverse("projects:procedure_board"), {"all": "1"})
    assert {line.project for line in every.context["lines"]} == {project, started}


def test_the_late_filter_lists_late_procedures(zone, project, today):
    late = add(zone, project, K.ENERGY, planned_on=date(2022, 6, 1))
    add(zone, project, K.LAND, planned_on=date(2022, 9, 1))
    response = login(zone.staff_cyfz).get(reverse("projects:procedure_list"), {"late": "on"})
    assert [r.record for r in response.context["table"].paginated_rows] == [late]


def test_the_form_shows_the_order_rule_on_the_field(zone, project):
    add(zone, project, K.PLANNING, done_on=date(2022, 5, 10))
    response = login(zone.staff_cyfz).post(
        reverse("projects:procedure_add"),
        {"project": project.pk, "kind": K.CONSTRUCTION, "done_on": "2022-04-01"},
    )
    assert response.status_code == 400
    assert "顺序说明" in response.content.decode()
