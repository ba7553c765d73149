"""Competition ranks ("1224") and rankings of a peer group."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shouwei.core.models import PeerGroup, Unit
from shouwei.indicators.choices import Direction, ObservationStatus, RankBasis
from shouwei.indicators.models import Indicator
from shouwei.indicators.ranking import competition_rank_of, competition_ranks
from shouwei.indicators.selectors import ranking_for
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    ObservationFactory,
    PeerGroupFactory,
    UnitFactory,
    UserFactory,
)

figures = st.one_of(
    st.none(),
    st.integers(min_value=-50, max_value=50),
    st.decimals(min_value=-100, max_value=100, places=1, allow_nan=False),
)
figure_lists = st.lists(figures, max_size=12)
distinct_lists = st.lists(
    st.decimals(min_value=-100, max_value=100, places=2, allow_nan=False),
    unique=True,
    max_size=12,
)


@given(figure_lists, st.randoms(use_true_random=False), st.booleans())
def test_permuting_the_input_permutes_the_ranks(values, rnd, lower):
    order = list(range(len(values)))
    rnd.shuffle(order)
    ranks = competition_ranks(values, lower_is_better=lower)
    shuffled = competition_ranks([values[i] for i in order], lower_is_better=lower)
    assert shuffled == [ranks[i] for i in order]


@given(figure_lists, st.booleans())
def test_rank_is_one_plus_the_number_of_better_figures(values, lower):
    # The definition, counted pair by pair: the sorted implementation must agree with it.
    present = [v for v in values if v is not None]
    expected = [
        None if v is None else 1 + sum(1 for w in present if (w < v if lower else w > v))
        for v in values
    ]
    assert competition_ranks(values, lower_is_better=lower) == expected


@given(figure_lists, st.booleans())
def test_one_units_rank_is_its_entry_among_all_the_ranks(values, lower):
    # Rank histories ask for one unit's rank only; it must be the one the full ranking gives.
    ranks = competition_ranks(values, lower_is_better=lower)
    assert [competition_rank_of(v, values, lower_is_better=lower) for v in values] == ranks


@given(distinct_lists)
def test_flipping_direction_reverses_distinct_values(values):
    n = len(values)
    higher = competition_ranks(values)
    lower = competition_ranks(values, lower_is_better=True)
    assert lower == [n + 1 - r for r in higher]
    assert sorted(higher) == list(range(1, n + 1))


@given(figure_lists, st.booleans())
def test_ties_share_the_best_rank_and_the_next_rank_skips(values, lower):
    ranks = competition_ranks(values, lower_is_better=lower)
    present = [v for v in values if v is not None]
    for v, r in zip(values, ranks, strict=True):
        if v is None:
            continue
        better = sum(1 for w in present if (w < v if lower else w > v))
        assert r == better + 1
        equal_ranks = {r2 for v2, r2 in zip(values, ranks, strict=True) if v2 == v}
        assert equal_ranks == {r}


@given(figure_lists, st.lists(st.integers(min_value=0, max_value=12), max_size=5))
def test_missing_figures_are_never_ranked_and_shift_nobody(values, holes):
    with_holes = list(values)
    for i in holes:
        with_holes.insert(min(i, len(with_holes)), None)
    ranks = competition_ranks(with_holes)
    assert all(r is None for v, r in zip(with_holes, ranks, strict=True) if v is None)
    assert [r for r in ranks if r is not None] == [
        r for r in competition_ranks([v for v in with_holes if v is not None])
    ]


def test_competition_ranks_as_bulletins_print_them():
    assert competition_ranks([Decimal("9"), Decimal("7"), Decimal("7"), Decimal("5")]) == [
        1,
        2,
        2,
        4,
    ]
    assert competition_ranks([3, None, 3, 3]) == [1, None, 1, 1]
    assert competition_ranks([]) == []
    assert competition_ranks([None, None]) == [None, None]
    assert competition_ranks([Decimal("3.4"), 2, 5.5], lower_is_better=True) == [2, 1, 3]


# --- ranking a peer group from the database -------------------------------------------------


@pytest.fixture
def viewer(db):
    return UserFactory(username="rank-viewer", is_superuser=True)


@pytest.fixture
def group(db):
    g = PeerGroupFactory(code="rank-g")
    for i, code in enumerate(["r-a", "r-b", "r-c", "r-d"], 1):
        MembershipFactory(group=g, unit=UnitFactory(code=code, sort_order=i), year=2022)
    return g


def _obs(code, indicator, *, growth=None, value=None, rank=None, status="approved", period=None):
    return ObservationFactory(
        unit=Unit.objects.get(code=code),
        indicator=indicator,
        period=period or "2022H1",
        growth=None if growth is None else Decimal(growth),
        value=None if value is None else Decimal(value),
        published_rank=rank,
        rank_basis=RankBasis.GROWTH if rank else "",
        status=status,
    )


def _ranks(ranking):
    return {e.unit.code: (e.rank, e.source) for e in ranking.entries}


def test_ranking_computes_ranks_when_two_peers_have_figures(group, viewer):
    ind = IndicatorFactory(code="r-gdp")
    _obs("r-a", ind, growth="5.0")
    _obs("r-b", ind, growth="7.5")
    _obs("r-c", ind, growth="5.0")
    ranking = ranking_for(group=group, indicator=ind, period="2022H1", user=viewer)
    assert _ranks(ranking) == {
        "r-a": (2, "computed"),
        "r-b": (1, "computed"),
        "r-c": (2, "computed"),
        "r-d": (None, "missing"),
    }
    assert ranking.computed
    assert [e.unit.code for e in ranking.ranked] == ["r-b", "r-a", "r-c"]
    assert [e.unit.code for e in ranking.missing] == ["r-d"]


def test_ranking_falls_back_to_published_ranks_with_fewer_than_two_figures(group, viewer):
    ind = IndicatorFactory(code="r-gdp")
    _obs("r-a", ind, growth="6.9", rank=1)
    ranking = ranking_for(group=group, indicator=ind, period="2022H1", user=viewer)
    entry = ranking.entry_for(Unit.objects.get(code="r-a"))
    assert (entry.rank, entry.source, entry.mismatch) == (1, "published", False)
    assert not ranking.computed


def test_ranking_flags_a_published_rank_that_disagrees_with_the_computed_one(group, viewer):
    ind = IndicatorFactory(code="r-gdp")
    _obs("r-a", ind, growth="6.9", rank=1)
    _obs("r-b", ind, growth="8.0")
    ranking = ranking_for(group=group, indicator=ind, period="2022H1", user=viewer)
    entry = ranking.entry_for(Unit.objects.get(code="r-a"))
    assert (entry.computed_rank, entry.published_rank, entry.mismatch) == (2, 1, True)
    assert ranking.mismatches == [entry]


def test_ranking_agrees_when_published_and_computed_ranks_match(group, viewer):
    ind = IndicatorFactory(code="r-gdp")
    _obs("r-a", ind, growth="6.9", rank=1)
    _obs("r-b", ind, growth="3.0")
    ranking = ranking_for(group=group, indicator=ind, period="2022H1", user=viewer)
    assert not ranking.mismatches


def test_ranking_ignores_peers_figures_that_are_not_approved(group, viewer):
    ind = IndicatorFactory(code="r-gdp")
    _obs("r-a", ind, growth="6.9", rank=1)
    _obs("r-b", ind, growth="9.0", status=ObservationStatus.SUBMITTED)
    ranking = ranking_for(group=group, indicator=ind, period="2022H1", user=viewer)
    assert _ranks(ranking)["r-a"] == (1, "published")
    assert _ranks(ranking)["r-b"] == (None, "missing")


def test_ranking_by_value_or_by_growth_uses_that_figure(group, viewer):
    ind = IndicatorFactory(code="r-gdp")
    _obs("r-a", ind, growth="9.0", value="100")
    _obs("r-b", ind, growth="3.0", value="300")
    by_growth = ranking_for(group=group, indicator=ind, period="2022H1", user=viewer)
    by_value = ranking_for(
        group=group, indicator=ind, period="2022H1", basis=RankBasis.VALUE, user=viewer
    )
    assert _ranks(by_growth)["r-a"][0] == 1
    assert _ranks(by_value)["r-a"][0] == 2


def test_ranking_a_half_year_reads_the_cumulative_june_figure(group, viewer):
    ind = IndicatorFactory(code="r-gdp", cumulative=True)
    _obs("r-a", ind, growth="4.0", period="2022-06")
    _obs("r-b", ind, growth="6.0", period="2022H1")
    _obs("r-c", ind, growth="9.0", period="2022-05")
    ranking = ranking_for(group=group, indicator=ind, period="2022H1", user=viewer)
    assert _ranks(ranking) == {
        "r-a": (2, "computed"),
        "r-b": (1, "computed"),
        "r-c": (None, "missing"),
        "r-d": (None, "missing"),
    }


def test_ranking_uses_the_members_of_the_periods_year(group, viewer):
    ind = IndicatorFactory(code="r-gdp")
    MembershipFactory(group=group, unit=UnitFactory(code="r-2021-only"), year=2021)
    _obs("r-2021-only", ind, growth="99")
    ranking = ranking_for(group=group, indicator=ind, period="2022H1", user=viewer)
    assert "r-2021-only" not in _ranks(ranking)


def test_lower_is_better_indicator_ranks_the_lowest_first(demo):
    group = PeerGroup.objects.get(code="hy-5d2p")
    ind = Indicator.objects.get(code="registered_unemployment_rate")
    assert ind.direction == Direction.LOWER
    for code, rate in [("hy-smjk", "2.9"), ("hy-zh", "4.1"), ("hy-yf", "3.4")]:
        _obs(code, ind, value=rate)
    ranking = ranking_for(
        group=group, indicator=ind, period="2022H1", basis=RankBasis.VALUE, user=demo["leader"]
    )
    ranks = {e.unit.code: e.rank for e in ranking.ranked}
    assert ranks == {"hy-smjk": 1, "hy-gxq": 2, "hy-yf": 2, "hy-zh": 4}
