"""Which unit's figures the portal publishes: the one the deployment names, else the root of
the approved, really published data — never a unit code written into the product."""

from shouwei.core.choices import UnitKind
from shouwei.portal import selectors
from tests.factories import IndicatorFactory, ObservationFactory, UnitFactory


def test_without_a_setting_the_portal_publishes_the_highest_unit_with_published_figures(demo):
    assert selectors.zone().code == "hy-gxq"


def test_simulated_figures_do_not_make_a_unit_the_portals(demo, settings):
    # A new top-level unit with demo (synthetic) figures only is not the portal's.
    ObservationFactory(unit=UnitFactory(code="aaa-sim", kind=UnitKind.CITY), synthetic=True)
    assert selectors.zone().code == "hy-gxq"


def test_a_higher_unit_with_published_figures_is_the_portals(demo):
    city = UnitFactory(code="a-city", kind=UnitKind.CITY)
    ObservationFactory(unit=city, indicator=IndicatorFactory())
    assert selectors.zone() == city


def test_the_setting_names_the_portals_unit(demo, settings):
    settings.SHOUWEI_PORTAL_UNIT = "hy-smjk"
    assert selectors.zone().code == "hy-smjk"
    settings.SHOUWEI_PORTAL_UNIT = "no-such-unit"
    assert selectors.zone() is None
