"""The synthetic scale generator, on tiny custom scales (the province scale is for benchmarks/)."""

import numpy as np
import pytest
from django.urls import reverse

from shouwei.core.models import PeerGroup, PeerGroupMembership, Unit
from shouwei.core.periods import Period
from shouwei.demo.synthetic import GROUP_CODE, ROOT_CODE, SOURCE, figures, generate
from shouwei.indicators.choices import Direction, IndicatorKind, ObservationStatus
from shouwei.indicators.models import Indicator, Observation


def synthetic_rows():
    return Observation.objects.filter(unit__path__startswith=f"/{ROOT_CODE}/")


@pytest.mark.django_db
def test_it_creates_exactly_units_times_indicators_times_months():
    stats = generate(scale="custom", units=3, indicators=2, months=4)

    assert stats["observations"] == synthetic_rows().count() == 3 * 2 * 4
    assert stats["skipped"] == 0
    assert Unit.objects.get(code=ROOT_CODE).name == "模拟省"
    assert sorted(Unit.objects.filter(parent__code=ROOT_CODE).values_list("code", flat=True)) == [
        "syn-0001",
        "syn-0002",
        "syn-0003",
    ]
    assert list(Indicator.objects.filter(code__startswith="syn-ind-").values_list("name")) == [
        ("模拟指标01",),
        ("模拟指标02",),
    ]


@pytest.mark.django_db
def test_running_it_twice_creates_nothing_twice():
    generate(scale="custom", units=3, indicators=2, months=4)

    again = generate(scale="custom", units=3, indicators=2, months=4)

    assert again["observations"] == again["units"] == again["indicators"] == 0
    assert again["memberships"] == 0
    assert again["skipped"] == 24
    assert synthetic_rows().count() == 24
    assert PeerGroupMembership.objects.filter(group__code=GROUP_CODE).count() == 3


@pytest.mark.django_db
def test_it_fills_in_only_the_rows_a_partial_run_left_out():
    generate(scale="custom", units=3, indicators=2, months=4)
    kept = {o.pk: (o.value, o.growth) for o in synthetic_rows().exclude(unit__code="syn-0002")}
    synthetic_rows().filter(unit__code="syn-0002", period="2022-11").delete()

    again = generate(scale="custom", units=3, indicators=2, months=4)

    assert (again["observations"], again["skipped"]) == (2, 22)
    assert synthetic_rows().count() == 24
    assert {
        o.pk: (o.value, o.growth) for o in synthetic_rows().exclude(unit__code="syn-0002")
    } == kept


@pytest.mark.django_db
def test_every_row_is_approved_synthetic_data_with_the_synthetic_source():
    generate(scale="custom", units=3, indicators=2, months=4)

    rows = synthetic_rows()
    flagged = rows.filter(synthetic=True, status=ObservationStatus.APPROVED, source=SOURCE)
    assert flagged.count() == rows.count() == 24
    assert not rows.filter(value__isnull=True).exists()


@pytest.mark.django_db
def test_period_fields_are_set_as_observation_save_would():
    generate(scale="custom", units=3, indicators=2, months=4)

    rows = list(synthetic_rows())
    assert {o.period for o in rows} == {"2022-09", "2022-10", "2022-11", "2022-12"}
    for o in rows:
        p = Period.parse(o.period)
        assert (o.period_kind, o.period_end) == (p.kind.value, p.end)


@pytest.mark.django_db
def test_months_spanning_two_years_put_every_unit_in_the_peer_group_for_both_years():
    generate(scale="custom", units=3, indicators=1, months=14)

    group = PeerGroup.objects.get(code=GROUP_CODE)
    assert {u.code for u in group.units_in(2021)} == {"syn-0001", "syn-0002", "syn-0003"}
    assert {u.code for u in group.units_in(2022)} == {"syn-0001", "syn-0002", "syn-0003"}
    assert synthetic_rows().order_by("period_end").first().period == "2021-11"


@pytest.mark.django_db
def test_growth_is_year_on_year_against_the_same_month_a_year_earlier():
    generate(scale="custom", units=2, indicators=1, months=13)

    for code in ("syn-0001", "syn-0002"):
        rows = {o.period: o for o in synthetic_rows().filter(unit__code=code)}
        now, before = rows["2022-12"], rows["2021-12"]
        expected = (now.value / before.value - 1) * 100
        # Growth is computed before values are rounded to the indicator's decimals.
        assert abs(now.growth - expected) < 0.2


@pytest.mark.django_db
def test_indicators_mix_measures_directions_and_rates_have_no_growth():
    generate(scale="custom", units=2, indicators=7, months=2)

    indicators = Indicator.objects.filter(code__startswith="syn-ind-")
    assert {i.direction for i in indicators} == {Direction.HIGHER, Direction.LOWER}
    assert len({i.measure for i in indicators}) >= 5
    assert len({i.category for i in indicators}) == 7
    rates = synthetic_rows().filter(indicator__kind=IndicatorKind.RATE)
    assert rates.exists()
    assert not rates.filter(growth__isnull=False).exists()
    assert (
        not synthetic_rows().exclude(indicator__kind=IndicatorKind.RATE).filter(growth__isnull=True)
    )


def test_a_smaller_scale_computes_the_same_figures_as_a_corner_of_a_larger_one():
    months = [Period.parse("2022-12") - i for i in range(6)]
    small_values, small_growth = figures(
        seed=42, units=np.arange(1, 3), indicators=np.arange(1, 4), periods=months[:3]
    )
    big_values, big_growth = figures(
        seed=42, units=np.arange(1, 6), indicators=np.arange(1, 9), periods=months
    )

    assert np.array_equal(small_values, big_values[:2, :3, :3])
    assert np.array_equal(small_growth, big_growth[:2, :3, :3])
    other_seed, _ = figures(
        seed=7, units=np.arange(1, 3), indicators=np.arange(1, 4), periods=months[:3]
    )
    assert not np.array_equal(small_values, other_seed)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": "country"}, "未知的规模"),
        ({"scale": "custom", "units": 3}, "须同时给出"),
        ({"scale": "city", "units": 3, "indicators": 2, "months": 4}, "固定"),
        ({"scale": "custom", "units": 0, "indicators": 2, "months": 4}, "单位数"),
    ],
)
def test_it_rejects_a_scale_it_cannot_build(kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate(**kwargs)


@pytest.mark.django_db
def test_it_reports_progress_through_the_callback():
    messages = []

    generate(scale="custom", units=2, indicators=2, months=3, progress=messages.append)

    assert messages == ["模拟观测值：已写入 12 / 12 条"]


def test_the_cockpit_of_a_synthetic_unit_ranks_it_among_all_synthetic_units(client_for):
    generate(scale="custom", units=4, indicators=2, months=3)

    response = client_for("leader").get(
        reverse("indicators:cockpit") + "?unit=syn-0001&period=2022-12"
    )

    assert response.status_code == 200
    cards = [card for _c, _l, cs in response.context["cockpit"].categories for card in cs]
    assert [c.indicator.code for c in cards] == ["syn-ind-01", "syn-ind-02"]
    assert all(c.group.code == GROUP_CODE and c.group_size == 4 for c in cards)
    assert all(c.rank.computed_rank is not None for c in cards)
    assert response.context["cockpit"].has_synthetic
