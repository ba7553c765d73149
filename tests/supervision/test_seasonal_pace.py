"""A goal bound to a value target is lit on the cockpit's pace: the unit's own seasonal curve
from past years (indicators.selectors.seasonal_share), else 时间过半、任务过半 (month / 12), and
the light says which. The figures are worked by hand in each test; the clock is frozen."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from shouwei.indicators.models import Observation
from shouwei.supervision import selectors
from shouwei.supervision.choices import LightColour, Pace
from tests.factories import (
    GoalFactory,
    IndicatorFactory,
    MilestoneFactory,
    ObservationFactory,
    TargetFactory,
)

TODAY = date(2022, 7, 15)  # the June figure (1—6月) is the latest of the year


@pytest.fixture
def bound(people, frozen):
    """A 100 亿元 value target for 2022 on a cumulative indicator of the zone, its goal, and
    ``figure(period, value)`` to enter approved figures."""
    frozen(TODAY)
    indicator = IndicatorFactory(code="t-seasonal", cumulative=True)
    target = TargetFactory(
        unit=people.gxq, indicator=indicator, kind="value", target_value=Decimal(100), year=2022
    )
    goal = GoalFactory(title="固定资产投资100亿元", target=target)
    # An overdue milestone: were the goal lit by its milestones, it would be red.
    MilestoneFactory(goal=goal, due=date(2022, 6, 30), lead_unit=people.cyfz)

    def figure(period: str, value: str):
        return ObservationFactory(
            unit=people.gxq, indicator=indicator, period=period, value=Decimal(value)
        )

    return goal, figure


def _light(people):
    [row] = selectors.goals_with_lights(people.office, year=2022, today=TODAY)
    return row.light


def test_behind_the_linear_pace_but_on_the_seasonal_one_is_green(people, bound):
    _goal, figure = bound
    # Past Junes: 2020 40 of 100, 2021 50 of 100 → the average June share is 45%.
    figure("2020-06", "40"), figure("2020-12", "100")
    figure("2021-06", "50"), figure("2021-12", "100")
    figure("2022-06", "45")  # 45% done: exactly the seasonal pace, 5 points behind linear 50%
    light = _light(people)
    assert (light.colour, light.from_target, light.pace) == ("green", True, Pace.SEASONAL)
    assert "45.0%" in light.reason or "45%" in light.reason


def test_just_below_the_seasonal_pace_is_yellow(people, bound):
    _goal, figure = bound
    figure("2020-06", "40"), figure("2020-12", "100")
    figure("2021-06", "50"), figure("2021-12", "100")
    figure("2022-06", "44.9")  # 44.9% < 45%; the rest 55.1% in half a year stays reachable
    light = _light(people)
    assert (light.colour, light.pace) == ("yellow", Pace.SEASONAL)


def test_without_history_the_same_figure_is_behind_the_linear_pace(people, bound):
    _goal, figure = bound
    figure("2022-06", "45")  # 45% against 时间过半 50%: behind, the year still reachable
    light = _light(people)
    assert (light.colour, light.from_target, light.pace) == ("yellow", True, Pace.LINEAR)


def test_on_the_linear_pace_but_behind_a_front_loaded_season_is_yellow(people, bound):
    goal, figure = bound
    # Past Junes: 55 and 65 of 100 → 60% is normal by June.
    figure("2020-06", "55"), figure("2020-12", "100")
    figure("2021-06", "65"), figure("2021-12", "100")
    figure("2022-06", "52")  # linear: 52% ≥ 50% green; seasonal: 52% < 60%
    light = _light(people)
    assert (light.colour, light.pace) == ("yellow", Pace.SEASONAL)
    Observation.objects.filter(indicator=goal.target.indicator, period_end__year__lt=2022).delete()
    light = _light(people)
    assert (light.colour, light.pace) == ("green", Pace.LINEAR)


def test_a_past_year_without_its_december_does_not_make_a_season(people, bound):
    """seasonal_share needs the year's full figure (12月) to know the June share."""
    _goal, figure = bound
    figure("2021-06", "30")  # no 2021-12: no share, so the linear pace
    figure("2022-06", "45")
    assert _light(people).pace == Pace.LINEAR


def test_unapproved_history_does_not_make_a_season(people, bound):
    _goal, figure = bound
    figure("2021-06", "30")
    december = figure("2021-12", "100")
    Observation.objects.filter(pk=december.pk).update(status="submitted")
    figure("2022-06", "45")
    assert (_light(people).colour, _light(people).pace) == ("yellow", Pace.LINEAR)


def test_a_rank_target_needs_no_pace(people, frozen):
    from shouwei.indicators.models import Target

    frozen(date(2022, 7, 29))
    target = Target.objects.get(unit=people.gxq, year=2022, indicator__code="gdp")
    GoalFactory(title="GDP争榜首", target=target)
    [row] = selectors.goals_with_lights(people.office, year=2022, today=date(2022, 7, 29))
    assert (row.light.from_target, row.light.pace) == (True, "")


@pytest.mark.usefixtures("bound")
def test_a_goal_lit_by_its_milestones_has_no_pace(people):
    # No 2022 figure yet: the overdue milestone lights it.
    light = _light(people)
    assert (light.colour, light.from_target, light.pace) == (LightColour.RED, False, "")


def test_the_goal_page_says_which_pace_lit_it(people, bound):
    goal, figure = bound
    figure("2021-06", "45"), figure("2021-12", "100")
    figure("2022-06", "45")
    client = Client()
    client.force_login(people.office)
    page = client.get(goal.get_absolute_url()).content.decode()
    assert 'data-pace="seasonal"' in page and "季节性进度" in page
    Observation.objects.filter(indicator=goal.target.indicator, period_end__year=2021).delete()
    page = client.get(goal.get_absolute_url()).content.decode()
    assert 'data-pace="linear"' in page and "时间进度" in page
