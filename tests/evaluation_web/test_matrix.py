"""The decision matrix comes from approved observations only, through visible_to(user)."""

import math
from decimal import Decimal

import pytest

from shouwei.core.choices import Role
from shouwei.evaluation_web.selectors import IndicatorChoice, decision_matrix
from shouwei.indicators.choices import ObservationStatus
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    ObservationFactory,
    PeerGroupFactory,
    UnitFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def peers():
    group = PeerGroupFactory()
    units = [UnitFactory(code=f"zone-{i}") for i in range(3)]
    for u in units:
        MembershipFactory(group=group, unit=u, year=2022)
    indicators = [IndicatorFactory(code="ind-a"), IndicatorFactory(code="ind-b")]
    for i, u in enumerate(units):
        for j, ind in enumerate(indicators):
            ObservationFactory(unit=u, indicator=ind, period="2022H1", value=Decimal(10 + i + j))
    return group, units, indicators


def _choices(basis="value"):
    return [IndicatorChoice("ind-a", 1, basis), IndicatorChoice("ind-b", 1, basis)]


def test_it_builds_the_matrix_from_approved_observations(peers):
    group, units, _ = peers
    user = user_with_role(Role.STAFF, units[0])
    m = decision_matrix(user=user, group=group, period="2022H1", choices=_choices())
    assert [u.code for u in m.units] == ["zone-0", "zone-1", "zone-2"]
    assert m.values.tolist() == [[10.0, 11.0], [11.0, 12.0], [12.0, 13.0]]
    assert not m.synthetic


def test_own_draft_is_excluded_from_the_matrix(peers):
    group, units, indicators = peers
    c = indicators[0]
    extra = IndicatorFactory(code="ind-c")
    for u in units[1:]:
        ObservationFactory(unit=u, indicator=extra, period="2022H1", value=Decimal(5))
    ObservationFactory(
        unit=units[0],
        indicator=extra,
        period="2022H1",
        value=Decimal(999),
        status=ObservationStatus.DRAFT,
    )
    user = user_with_role(Role.STAFF, units[0])
    choices = [IndicatorChoice(c.code, 1, "value"), IndicatorChoice("ind-c", 1, "value")]
    m = decision_matrix(user=user, group=group, period="2022H1", choices=choices)
    assert math.isnan(m.values[0, 1])
    assert m.values[1, 1] == 5.0
    assert m.missing_cells == 1


def test_another_units_draft_never_leaks(peers):
    group, units, _indicators = peers
    extra = IndicatorFactory(code="ind-c")
    ObservationFactory(
        unit=units[2],
        indicator=extra,
        period="2022H1",
        value=Decimal(999),
        status=ObservationStatus.SUBMITTED,
    )
    ObservationFactory(unit=units[0], indicator=extra, period="2022H1", value=Decimal(1))
    ObservationFactory(unit=units[1], indicator=extra, period="2022H1", value=Decimal(2))
    user = user_with_role(Role.STAFF, units[0])
    choices = [IndicatorChoice("ind-a", 1, "value"), IndicatorChoice("ind-c", 1, "value")]
    m = decision_matrix(user=user, group=group, period="2022H1", choices=choices)
    assert 999.0 not in m.values.tolist()[2]
    assert math.isnan(m.values[2, 1])


def test_a_cumulative_month_answers_for_the_half_year_but_the_exact_period_wins(peers):
    group, units, indicators = peers
    a = indicators[0]
    # zone-0 has 2022H1 (10) and 2022-06 (77): the exact code wins.
    ObservationFactory(unit=units[0], indicator=a, period="2022-06", value=Decimal(77))
    # zone-1's half-year figure is only filed as the cumulative 1—6月.
    units[1].observations.filter(indicator=a).delete()
    ObservationFactory(unit=units[1], indicator=a, period="2022-06", value=Decimal(55))
    user = user_with_role(Role.STAFF, units[0])
    m = decision_matrix(user=user, group=group, period="2022H1", choices=_choices())
    assert m.values[0, 0] == 10.0
    assert m.values[1, 0] == 55.0


def test_a_member_with_no_figures_is_listed_as_excluded(peers):
    group, units, _ = peers
    idle = UnitFactory(code="zone-idle")
    MembershipFactory(group=group, unit=idle, year=2022)
    user = user_with_role(Role.STAFF, units[0])
    m = decision_matrix(user=user, group=group, period="2022H1", choices=_choices())
    assert [u.code for u in m.excluded] == ["zone-idle"]
    assert len(m.units) == 3


def test_growth_basis_reads_the_growth_column(peers):
    group, units, indicators = peers
    for o in units[0].observations.all():
        o.growth = Decimal("6.9")
        o.save()
    units[1].observations.filter(indicator=indicators[1]).update(growth=Decimal("-1.5"))
    user = user_with_role(Role.STAFF, units[0])
    m = decision_matrix(user=user, group=group, period="2022H1", choices=_choices("growth"))
    assert m.values[0].tolist() == [6.9, 6.9]
    assert math.isnan(m.values[1, 0]) and m.values[1, 1] == -1.5
    assert [u.code for u in m.excluded] == ["zone-2"]
