"""Target lights (红黄绿灯) at their boundaries."""

from decimal import Decimal as D

import pytest

from shouwei.core.periods import Period
from shouwei.indicators.choices import Direction, ObservationStatus, TargetKind
from shouwei.indicators.lights import (
    MAX_CATCH_UP,
    growth_light,
    rank_light,
    target_light,
    value_light,
)
from shouwei.indicators.selectors import cockpit_for, seasonal_share
from tests.factories import IndicatorFactory, ObservationFactory, TargetFactory, UnitFactory

HALF = D("0.5")


# --- rank targets: 保二争一 = floor 2, stretch 1 ---------------------------------------------


def test_rank_at_the_stretch_is_green_and_says_the_stretch_is_reached():
    light = rank_light(1, 2, 1)
    assert light.colour == "green"
    assert "争取目标" in light.reason


def test_rank_at_the_floor_is_green_holding_the_floor():
    light = rank_light(2, 2, 1)
    assert light.colour == "green"
    assert "保底" in light.reason


def test_rank_below_the_floor_is_red():
    assert rank_light(3, 2, 1).colour == "red"


def test_no_rank_is_grey():
    light = rank_light(None, 2, 1)
    assert light.colour == "grey"
    assert light.css == "secondary"


def test_floor_only_rank_target_like_top_70():
    assert rank_light(70, 70, None).colour == "green"
    assert rank_light(71, 70, None).colour == "red"


# --- growth targets --------------------------------------------------------------------------


def test_growth_equal_to_the_target_is_green():
    assert growth_light(D("7.0"), D("7.0"), D("5.0")).colour == "green"


def test_growth_just_below_the_target_is_yellow():
    assert growth_light(D("6.999"), D("7.0"), D("5.0")).colour == "yellow"


def test_growth_at_the_floor_is_still_yellow():
    assert growth_light(D("5.0"), D("7.0"), D("5.0")).colour == "yellow"


def test_growth_below_the_floor_is_red():
    assert growth_light(D("4.999"), D("7.0"), D("5.0")).colour == "red"


def test_no_growth_is_grey():
    assert growth_light(None, D("7.0"), D("5.0")).colour == "grey"


def test_lower_is_better_growth_flips():
    # Energy use per unit of GDP: a fall of 3% or more is the goal, a rise is red.
    assert growth_light(D("-3.0"), D("-3.0"), D("0"), lower_is_better=True).colour == "green"
    assert growth_light(D("-4.0"), D("-3.0"), D("0"), lower_is_better=True).colour == "green"
    assert growth_light(D("-2.9"), D("-3.0"), D("0"), lower_is_better=True).colour == "yellow"
    assert growth_light(D("0.1"), D("-3.0"), D("0"), lower_is_better=True).colour == "red"


# --- value targets, cumulative, at 2022H1 (时间过半、任务过半) ---------------------------------


def test_exactly_on_pace_is_green():
    light = value_light(D("50"), D("100"), expected=HALF)
    assert light.colour == "green"
    assert (light.progress, light.expected) == (D("0.5"), HALF)


def test_just_behind_pace_is_yellow():
    assert value_light(D("49"), D("100"), expected=HALF).colour == "yellow"


def test_catch_up_at_the_limit_is_yellow_and_beyond_it_red():
    # Rest of the year needs (1-p)/(1-e); achieved so far p/e. At e = 0.5 the limit of 1.5×
    # is reached at p = 0.4 exactly.
    assert D("1.5") == MAX_CATCH_UP
    assert value_light(D("40"), D("100"), expected=HALF).colour == "yellow"
    light = value_light(D("39.9"), D("100"), expected=HALF)
    assert light.colour == "red"
    assert "难以完成" in light.reason


def test_nothing_done_at_half_year_is_red():
    assert value_light(D("0"), D("100"), expected=HALF).colour == "red"


def test_missing_the_floor_on_pace_is_red_even_when_catch_up_is_possible():
    # Floor 95 → 47.5 due by June; 45 done would otherwise be yellow.
    assert value_light(D("45"), D("100"), expected=HALF).colour == "yellow"
    assert value_light(D("45"), D("100"), expected=HALF, floor=D("95")).colour == "red"
    assert value_light(D("47.5"), D("100"), expected=HALF, floor=D("95")).colour == "yellow"


def test_year_end_target_met_is_green_and_missed_is_red():
    assert value_light(D("100"), D("100"), expected=D("1")).colour == "green"
    assert value_light(D("99.99"), D("100"), expected=D("1")).colour == "red"


def test_no_value_is_grey():
    assert value_light(None, D("100"), expected=HALF).colour == "grey"


def test_a_ceiling_is_met_or_not_without_pace():
    # 较大及以上安全生产事故零发生: target 0, lower is better.
    assert value_light(D("0"), D("0"), expected=HALF, lower_is_better=True).colour == "green"
    assert value_light(D("1"), D("0"), expected=HALF, lower_is_better=True).colour == "red"
    assert (
        value_light(D("3.5"), D("3.0"), expected=HALF, floor=D("4"), lower_is_better=True).colour
        == "yellow"
    )


def test_a_point_in_time_level_ignores_pace():
    assert value_light(D("91"), D("90"), expected=HALF, cumulative=False).colour == "green"
    assert value_light(D("60"), D("90"), expected=HALF, cumulative=False).colour == "red"


# --- target_light dispatches on the target ----------------------------------------------------


@pytest.mark.django_db
def test_target_light_uses_the_indicators_direction_and_kind():
    rate = IndicatorFactory(code="l-rate", direction=Direction.LOWER, cumulative=False)
    growth_target = TargetFactory(
        indicator=rate, kind=TargetKind.GROWTH, target_value=D("-3"), floor_value=D("0")
    )
    light = target_light(growth_target, value=None, growth=D("-4"), rank=None, expected=HALF)
    assert light.colour == "green"
    rank_target = TargetFactory(indicator=rate, kind=TargetKind.RANK, floor_rank=2, stretch_rank=1)
    assert target_light(rank_target, value=None, growth=None, rank=3, expected=HALF).colour == "red"
    total = IndicatorFactory(code="l-total", cumulative=True)
    value_target = TargetFactory(indicator=total, kind=TargetKind.VALUE, target_value=D("100"))
    assert (
        target_light(value_target, value=D("50"), growth=None, rank=None, expected=HALF).colour
        == "green"
    )


# --- seasonal curve: the unit's own past years ------------------------------------------------


def test_seasonal_share_averages_past_years():
    history = {
        2020: {6: D("30"), 12: D("100")},
        2021: {6: D("40"), 12: D("100")},
        2019: {6: D("10")},  # no full year: ignored
    }
    assert seasonal_share(history, 6) == D("0.35")
    assert seasonal_share(history, 3) is None
    assert seasonal_share({}, 6) is None


@pytest.fixture
def seasonal_zone(db):
    zone = UnitFactory(code="s-zone")
    ind = IndicatorFactory(code="s-invest", cumulative=True, measure="亿元")
    TargetFactory(
        unit=zone,
        indicator=ind,
        year=2022,
        kind=TargetKind.VALUE,
        target_value=D("100"),
        name="固定资产投资",
    )
    # 45 by June: behind 时间过半 (50%), ahead of this zone's own curve (40%).
    ObservationFactory(unit=zone, indicator=ind, period="2022-06", value=D("45"))
    return zone, ind


def _light(zone, user):
    cockpit = cockpit_for(unit=zone, period=Period.parse("2022H1"), user=user)
    [(_target, light)] = cockpit.targets
    return light


def test_without_past_years_the_pace_is_time_elapsed(seasonal_zone, admin_user):
    zone, _ind = seasonal_zone
    light = _light(zone, admin_user)
    assert light.expected == D("0.5")
    assert light.colour == "yellow"


def test_with_past_years_the_pace_follows_the_units_own_curve(seasonal_zone, admin_user):
    zone, ind = seasonal_zone
    for year, june in [(2020, "35"), (2021, "45")]:
        for month, value in [(6, june), (12, "100")]:
            ObservationFactory(unit=zone, indicator=ind, period=f"{year}-{month:02d}", value=value)
    light = _light(zone, admin_user)
    assert light.expected == D("0.4")
    assert light.colour == "green"


def test_unapproved_past_figures_do_not_shape_the_curve(seasonal_zone, admin_user):
    zone, ind = seasonal_zone
    for month, value in [(6, "10"), (12, "100")]:
        ObservationFactory(
            unit=zone,
            indicator=ind,
            period=f"2021-{month:02d}",
            value=value,
            status=ObservationStatus.DRAFT,
        )
    assert _light(zone, admin_user).expected == D("0.5")
