"""Who reads and writes what: departments read their zone's goals, their own records only."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from shouwei.core.permissions import ADD, CHANGE, allows, may
from shouwei.core.services import record_create
from shouwei.supervision import services
from shouwei.supervision.models import (
    Goal,
    Milestone,
    PerformanceScheme,
    ProgressReport,
    SupervisionNotice,
)
from tests.factories import GoalFactory, MilestoneFactory, SupervisionNoticeFactory

pytestmark = pytest.mark.django_db


def test_a_department_reads_its_zones_goals_and_milestones(people):
    goal = GoalFactory()
    m = MilestoneFactory(goal=goal, lead_unit=people.jjhz)
    assert Goal.objects.visible_to(people.clerk).filter(pk=goal.pk).exists()
    assert Milestone.objects.visible_to(people.clerk).filter(pk=m.pk).exists()


def test_a_department_cannot_set_goals_or_milestones(people):
    with pytest.raises(PermissionDenied):
        record_create(
            Goal,
            by=people.clerk,
            unit=people.gxq,
            year=2022,
            code="x",
            title="t",
            source="s",
            responsible_leader="l",
        )
    goal = GoalFactory()
    assert not allows(people.clerk, CHANGE, goal)
    assert allows(people.office, CHANGE, goal)
    assert not may(people.clerk, PerformanceScheme, ADD)


def test_progress_reports_and_notices_are_read_by_their_department_only(people, frozen):
    frozen(date(2022, 8, 1))
    m = MilestoneFactory(lead_unit=people.cyfz)
    report = services.report_create(
        by=people.clerk,
        milestone=m,
        unit=people.cyfz,
        reported_on=date(2022, 8, 1),
        text="x",
        percent=10,
    )
    notice = SupervisionNoticeFactory(unit=people.cyfz)
    for model, obj in ((ProgressReport, report), (SupervisionNotice, notice)):
        assert model.objects.visible_to(people.clerk).filter(pk=obj.pk).exists()
        assert not model.objects.visible_to(people.other).filter(pk=obj.pk).exists()
        assert model.objects.visible_to(people.office).filter(pk=obj.pk).exists()
        assert model.objects.visible_to(people.leader).filter(pk=obj.pk).exists()


def test_a_report_cannot_be_filed_in_another_departments_name(people, frozen):
    frozen(date(2022, 8, 1))
    m = MilestoneFactory(lead_unit=people.cyfz)
    with pytest.raises(PermissionDenied):
        services.report_create(
            by=people.other,
            milestone=m,
            unit=people.cyfz,
            reported_on=date(2022, 8, 1),
            text="冒名报送",
            percent=10,
        )
