"""Lights at their date boundaries, with the business clock frozen (core.clock)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from shouwei.core import clock
from shouwei.supervision import selectors
from shouwei.supervision.choices import LightColour, Pace
from shouwei.supervision.lights import DUE_SOON_DAYS, TargetLight, goal_light, milestone_light
from tests.factories import GoalFactory, MilestoneFactory

DUE = date(2022, 8, 31)


@pytest.mark.parametrize(
    ("today", "colour"),
    [
        (DUE - timedelta(days=DUE_SOON_DAYS + 1), LightColour.GREEN),  # 8-23: not yet due soon
        (DUE - timedelta(days=DUE_SOON_DAYS), LightColour.YELLOW),  # 8-24: a week before
        (DUE, LightColour.YELLOW),  # the due day itself is still on time
        (DUE + timedelta(days=1), LightColour.RED),  # 9-01: overdue
    ],
)
def test_an_open_milestone_by_date(today, colour):
    assert milestone_light(due=DUE, completed_on=None, today=today).colour == colour


def test_a_milestone_done_on_its_due_day_is_on_time():
    light = milestone_light(due=DUE, completed_on=DUE, today=DUE + timedelta(days=30))
    assert light.colour == LightColour.DONE and "按时完成" in light.reason


def test_a_milestone_done_late_says_by_how_much():
    light = milestone_light(due=DUE, completed_on=date(2022, 9, 3), today=date(2022, 10, 1))
    assert "逾期 3 天" in light.reason


def test_a_goal_shows_its_worst_milestone():
    green = milestone_light(due=DUE, completed_on=None, today=date(2022, 7, 1))
    red = milestone_light(due=date(2022, 6, 30), completed_on=None, today=date(2022, 7, 1))
    assert goal_light(milestone_lights=[green, red]).colour == LightColour.RED
    assert goal_light(milestone_lights=[green]).colour == LightColour.GREEN
    assert goal_light(milestone_lights=[]).colour == LightColour.GREY


class _FoundationLight:
    colour, reason, expected = "yellow", "完成40%，慢于序时进度50%", Decimal("0.5")


def test_a_bound_goal_takes_the_target_light_over_its_milestones():
    green = milestone_light(due=DUE, completed_on=None, today=date(2022, 7, 1))
    light = goal_light(
        milestone_lights=[green], target_light=TargetLight(_FoundationLight(), Pace.LINEAR)
    )
    assert (light.colour, light.from_target, light.pace) == ("yellow", True, Pace.LINEAR)


@pytest.mark.django_db
def test_the_board_lights_goals_as_of_the_frozen_clock(people):
    goal = GoalFactory(title="外贸破零")
    MilestoneFactory(goal=goal, due=DUE, lead_unit=people.cyfz)
    clock.set_demo_date(DUE)
    [row] = selectors.goals_with_lights(people.office, year=2022, today=clock.today())
    assert row.light.colour == LightColour.YELLOW
    clock.set_demo_date(DUE + timedelta(days=1))
    [row] = selectors.goals_with_lights(people.office, year=2022, today=clock.today())
    assert row.light.colour == LightColour.RED


@pytest.mark.django_db
def test_a_goal_bound_to_a_rank_target_is_lit_by_the_published_rank(people):
    """The demo's GDP rank target (第一 among 五区两园) and the zone's published H1 rank, 1st:
    the foundation's green, though the goal's only milestone is overdue."""
    from shouwei.indicators.models import Target

    target = Target.objects.get(unit=people.gxq, year=2022, indicator__code="gdp")
    goal = GoalFactory(title="GDP争榜首", target=target)
    MilestoneFactory(goal=goal, due=date(2022, 6, 30), lead_unit=people.cyfz)  # overdue
    [row] = selectors.goals_with_lights(people.office, year=2022, today=date(2022, 7, 29))
    assert (row.light.colour, row.light.from_target) == ("green", True)


@pytest.mark.django_db
def test_a_bound_goal_whose_target_has_no_figure_yet_falls_back_to_its_milestones(people):
    """保二争一 in the city's annual assessment: no figure before the year's end."""
    from shouwei.indicators.models import Target

    target = Target.objects.get(unit=people.gxq, year=2022, label="保二争一")
    goal = GoalFactory(title="五区两园保二争一", target=target)
    MilestoneFactory(goal=goal, due=date(2022, 6, 30), lead_unit=people.cyfz)
    [row] = selectors.goals_with_lights(people.office, year=2022, today=date(2022, 7, 29))
    assert (row.light.colour, row.light.from_target) == (LightColour.RED, False)
