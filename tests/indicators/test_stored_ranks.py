"""Stored ranks (``StoredRank``): every write that changes what a cell ranks refreshes it, and
what is stored equals what ranking the cell afresh gives (``selectors.ranking_for``, which
computes from the approved figures on every call)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shouwei.core.models import PeerGroup, PeerGroupMembership, Unit
from shouwei.core.periods import Period, PeriodKind
from shouwei.indicators import ranks, services
from shouwei.indicators.choices import Direction, ObservationStatus, RankBasis
from shouwei.indicators.models import Indicator, Observation, StoredRank
from shouwei.indicators.selectors import ranking_for
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    ObservationFactory,
    PeerGroupFactory,
    UnitFactory,
    UserFactory,
)

JUNE = date(2022, 6, 30)


def stored(group=None, kind=PeriodKind.MONTH) -> dict:
    """The stored ranks a reader of a period of ``kind`` sees: its own rows where the cell has
    them, else the month's."""
    qs = StoredRank.objects.filter(period_kind__in={PeriodKind.MONTH, kind})
    if group is not None:
        qs = qs.filter(group=group)
    # The month's rows first, a longer period's own rows over them.
    qs = sorted(qs, key=lambda r: r.period_kind != PeriodKind.MONTH)
    cells_of_kind = {
        (r.group_id, r.indicator_id, r.period_end) for r in qs if r.period_kind == kind
    }
    return {
        (r.group_id, r.indicator_id, r.period_end, r.unit_id): (
            r.value_rank,
            r.growth_rank,
            r.group_size,
            r.observation_id,
            r.value,
            r.growth,
        )
        for r in qs
        if r.period_kind == kind or (r.group_id, r.indicator_id, r.period_end) not in cells_of_kind
    }


def recomputed(groups=None, kind=PeriodKind.MONTH) -> dict:
    """Every cell ranked afresh by ``ranking_for`` at the period of ``kind`` ending then (the
    month by default; cells no such period ends on are left out)."""
    reader = UserFactory(is_superuser=True)
    out = {}
    groups = groups if groups is not None else list(PeerGroup.objects.all())
    for group in groups:
        years = set(PeerGroupMembership.objects.filter(group=group).values_list("year", flat=True))
        members = set(
            PeerGroupMembership.objects.filter(group=group).values_list("unit_id", "year")
        )
        cells = set(
            Observation.objects.approved()
            .filter(period_end__year__in=years)
            .values_list("indicator_id", "period_end", "unit_id")
        )
        cells = {(i, e) for i, e, u in cells if (u, e.year) in members}
        for ind_pk, end in cells:
            indicator = Indicator.objects.get(pk=ind_pk)
            month = next((p for p in periods_ending(end) if p.kind == kind), None)
            if month is None:
                continue
            by_basis = {
                basis: ranking_for(
                    group=group, indicator=indicator, period=month, basis=basis, user=reader
                )
                for basis in (RankBasis.VALUE, RankBasis.GROWTH)
            }
            for entry in by_basis[RankBasis.VALUE].entries:
                if entry.observation is None:
                    continue
                growth_entry = by_basis[RankBasis.GROWTH].entry_for(entry.unit)
                out[(group.pk, ind_pk, end, entry.unit.pk)] = (
                    entry.computed_rank,
                    growth_entry.computed_rank,
                    len(by_basis[RankBasis.VALUE].entries),
                    entry.observation.pk,
                    entry.observation.value,
                    entry.observation.growth,
                )
    return out


def periods_ending(end: date) -> list[Period]:
    return [Period(end.year, PeriodKind.MONTH, end.month)] + [
        Period(end.year, kind, end.month // months)
        for kind, months in ((PeriodKind.QUARTER, 3), (PeriodKind.HALF, 6), (PeriodKind.YEAR, 12))
        if end.month % months == 0
    ]


def rank_of(unit, indicator, *, group, end=JUNE, basis=RankBasis.VALUE):
    row = StoredRank.objects.filter(
        group=group, unit=unit, indicator=indicator, period_end=end
    ).first()
    return None if row is None else row.rank_on(basis)


@pytest.fixture
def world(db):
    """A group of four zones in 2022 with one indicator's June figures 40, 30, 20, 10."""
    group = PeerGroupFactory(code="sr-group")
    units = [UnitFactory(code=f"sr-{i}") for i in range(4)]
    for u in units:
        MembershipFactory(group=group, unit=u, year=2022)
    indicator = IndicatorFactory(code="sr-ind")
    obs = [
        ObservationFactory(unit=u, indicator=indicator, value=Decimal(40 - 10 * i))
        for i, u in enumerate(units)
    ]
    return group, units, indicator, obs


def test_approved_figures_created_through_the_orm_are_ranked(world):
    group, units, indicator, _obs = world
    assert [rank_of(u, indicator, group=group) for u in units] == [1, 2, 3, 4]
    assert StoredRank.objects.filter(group=group).first().group_size == 4
    assert stored() == recomputed()


def test_a_draft_is_not_ranked_and_approving_it_ranks_it(world):
    group, units, indicator, _obs = world
    extra = UnitFactory(code="sr-extra")
    MembershipFactory(group=group, unit=extra, year=2022)
    draft = ObservationFactory(
        unit=extra, indicator=indicator, value=Decimal(35), status=ObservationStatus.DRAFT
    )
    assert rank_of(extra, indicator, group=group) is None
    assert rank_of(units[1], indicator, group=group) == 2
    draft.status = ObservationStatus.APPROVED
    draft.save()
    assert rank_of(extra, indicator, group=group) == 2
    assert rank_of(units[1], indicator, group=group) == 3
    assert stored() == recomputed()


def test_withdrawing_an_approved_figure_unranks_it(world):
    group, units, indicator, obs = world
    obs[0].status = ObservationStatus.DRAFT  # sent back after approval
    obs[0].save()
    assert rank_of(units[0], indicator, group=group) is None
    assert rank_of(units[1], indicator, group=group) == 1
    obs[1].delete()  # deleted (the admin)
    assert [rank_of(u, indicator, group=group) for u in units] == [None, None, 1, 2]
    assert stored() == recomputed()


def test_a_figure_moved_to_another_period_leaves_its_old_cell(world):
    group, units, indicator, obs = world
    moved = Observation.objects.get(pk=obs[0].pk)
    moved.period = "2022-05"
    moved.save()
    assert rank_of(units[0], indicator, group=group) is None
    assert rank_of(units[0], indicator, group=group, end=date(2022, 5, 31)) is None  # alone
    assert rank_of(units[1], indicator, group=group) == 1
    assert stored() == recomputed()


def test_one_member_alone_has_no_rank_and_a_tie_shares_it(world):
    group, units, indicator, obs = world
    for o in obs[1:3]:
        o.delete()
    obs[3].value = Decimal(40)
    obs[3].save()
    assert rank_of(units[0], indicator, group=group) == 1
    assert rank_of(units[3], indicator, group=group) == 1
    obs[3].delete()
    assert rank_of(units[0], indicator, group=group) is None
    assert stored() == recomputed()


def test_membership_changes_rerank_the_year(world):
    group, units, indicator, _obs = world
    outsider = UnitFactory(code="sr-out")
    ObservationFactory(unit=outsider, indicator=indicator, value=Decimal(100))
    assert rank_of(outsider, indicator, group=group) is None
    joined = MembershipFactory(group=group, unit=outsider, year=2022)
    assert rank_of(outsider, indicator, group=group) == 1
    assert rank_of(units[0], indicator, group=group) == 2
    assert StoredRank.objects.filter(group=group).first().group_size == 5
    joined.year = 2021  # moved to another year: it leaves 2022
    joined.save()
    assert rank_of(outsider, indicator, group=group) is None
    assert rank_of(units[0], indicator, group=group) == 1
    PeerGroupMembership.objects.get(group=group, unit=units[0], year=2022).delete()
    assert rank_of(units[0], indicator, group=group) is None
    assert rank_of(units[1], indicator, group=group) == 1
    assert StoredRank.objects.filter(group=group).first().group_size == 3
    assert stored() == recomputed()


def test_an_indicators_direction_reverses_its_ranks(world):
    group, units, indicator, _obs = world
    indicator = Indicator.objects.get(pk=indicator.pk)
    indicator.direction = Direction.LOWER
    indicator.save()
    assert [rank_of(u, indicator, group=group) for u in units] == [4, 3, 2, 1]
    indicator.direction = Direction.HIGHER
    indicator.save()
    assert [rank_of(u, indicator, group=group) for u in units] == [1, 2, 3, 4]
    assert stored() == recomputed()


def test_bulk_created_approved_figures_are_ranked_once(world, django_assert_max_num_queries):
    group, units, _indicator, _obs = world
    other = IndicatorFactory(code="sr-other")
    rows = [
        Observation(
            unit=u,
            indicator=other,
            period="2022-06",
            period_kind="month",
            period_end=JUNE,
            growth=Decimal(i),
            status=ObservationStatus.APPROVED,
        )
        for i, u in enumerate(units)
    ]
    # the INSERT, the memberships, the figures, the indicators, the DELETE and INSERT of ranks
    with django_assert_max_num_queries(10):
        Observation.objects.bulk_create(rows)
    assert [rank_of(u, other, group=group, basis=RankBasis.GROWTH) for u in units] == [4, 3, 2, 1]
    assert stored() == recomputed()


def test_batched_writes_refresh_each_cell_once_at_the_end(world, django_assert_max_num_queries):
    group, units, indicator, obs = world
    with ranks.batched():
        for o in obs:
            o.value = -o.value
            o.save()
        # nothing refreshed yet inside the block
        assert rank_of(units[0], indicator, group=group) == 1
    assert [rank_of(u, indicator, group=group) for u in units] == [4, 3, 2, 1]
    assert stored() == recomputed()


def test_a_failed_batch_leaves_the_stored_ranks_as_they_were(world):
    _group, _units, _indicator, obs = world
    before = stored()
    with pytest.raises(RuntimeError), ranks.batched():
        obs[0].value = Decimal(-1)
        obs[0].save()
        raise RuntimeError("boom")
    assert stored() == before


def test_rebuild_restores_ranks_changed_behind_the_applications_back(world):
    group, units, indicator, _obs = world
    Observation.objects.filter(unit=units[3]).update(value=Decimal(99))  # no signal
    StoredRank.objects.filter(unit=units[0]).delete()
    assert stored() != recomputed()
    call_command("ranks", "rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert rank_of(units[3], indicator, group=group) == 1
    assert stored() == recomputed()


def test_approve_and_correct_through_the_services_rerank(demo):
    zone = Unit.objects.get(code="hy-gxq")
    group = PeerGroup.objects.get(code="hy-5d2p")
    indicator = Indicator.objects.get(code="industrial_va")
    published = rank_of(zone, indicator, group=group, basis=RankBasis.GROWTH)
    # the zone's 2022H1 figure answers for June; the peers' were drawn to agree with its rank
    assert (
        published
        == Observation.objects.get(unit=zone, indicator=indicator, period="2022H1").published_rank
    )
    draft = services.observation_create(
        unit=zone,
        indicator=indicator,
        period="2022-06",
        growth=Decimal("99"),
        by=demo["staff_cyfz"],
    )
    services.observation_submit(observation=draft, by=demo["staff_cyfz"])
    assert rank_of(zone, indicator, group=group, basis=RankBasis.GROWTH) == published
    approved = services.observation_approve(observation=draft, by=demo["statistician"])
    assert rank_of(zone, indicator, group=group, basis=RankBasis.GROWTH) == 1
    services.observation_correct(
        observation=approved, by=demo["statistician"], reason="口径更正", growth=Decimal("-99")
    )
    assert rank_of(zone, indicator, group=group, basis=RankBasis.GROWTH) == 7
    assert stored(group) == recomputed([group])


def test_the_demo_loads_with_its_ranks_stored(demo):
    group = PeerGroup.objects.get(code="hy-5d2p")
    assert StoredRank.objects.filter(group=group).exists()
    assert stored(group) == recomputed([group])


def test_the_synthetic_generator_stores_its_ranks(db):
    from shouwei.demo.synthetic import GROUP_CODE, generate

    generate(scale="custom", units=4, indicators=2, months=3)
    group = PeerGroup.objects.get(code=GROUP_CODE)
    assert StoredRank.objects.filter(group=group).count() == 4 * 2 * 3
    assert stored(group) == recomputed([group])


def test_an_import_commit_and_rollback_keep_the_stored_ranks_right(client_for, demo):
    """Imported rows are drafts or submitted and an approved figure is never overwritten, so
    neither the commit nor the rollback changes a stored rank; they must not break one."""
    from django.urls import reverse

    from tests.imports.helpers import last_batch, row, upload, xlsx_bytes

    group = PeerGroup.objects.get(code="hy-5d2p")
    before = stored(group)
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2023-03", value="1", growth="99")]))
    client.post(reverse("imports:batch_commit", args=[last_batch().pk]))
    assert Observation.objects.filter(import_batch=last_batch()).exists()
    assert stored(group) == before == recomputed([group])
    client.post(reverse("imports:batch_rollback", args=[last_batch().pk]))
    assert not Observation.objects.filter(import_batch=last_batch()).exists()
    assert stored(group) == before


# --- the property: after any sequence of writes, stored = recomputed ----------------------------

UNITS = 4
OPS = st.one_of(
    st.tuples(
        st.just("approve"),
        st.integers(0, UNITS - 1),
        st.integers(0, 1),
        st.sampled_from(["2022-06", "2022Q2", "2022H1", "2022-03"]),
        st.integers(-3, 3),
    ),
    st.tuples(st.just("correct"), st.integers(0, 50), st.integers(-3, 3)),
    st.tuples(st.just("withdraw"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("member"), st.integers(0, UNITS - 1), st.sampled_from([2021, 2022])),
    st.tuples(st.just("direction"), st.integers(0, 1)),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, max_size=12))
def test_stored_ranks_equal_recomputed_ones_after_any_writes(db, ops):
    with transaction.atomic():
        group = PeerGroupFactory(code="prop-group")
        units = [UnitFactory(code=f"prop-{i}") for i in range(UNITS)]
        for u in units[:3]:
            MembershipFactory(group=group, unit=u, year=2022)
        indicators = [
            IndicatorFactory(code="prop-a"),
            IndicatorFactory(code="prop-b", cumulative=False),
        ]
        for n, u in enumerate(units):  # every cell starts ranked: each write can matter
            for ind in indicators:
                ObservationFactory(unit=u, indicator=ind, value=Decimal(n), growth=Decimal(-n))
        for op in ops:
            _apply(op, group, units, indicators)
        assert stored(group) == recomputed([group])
        for kind in (PeriodKind.QUARTER, PeriodKind.HALF):
            # What a cockpit at 2022Q2 or 2022H1 reads (a month's rows or the cell's own).
            ends = {p.end for p in (Period.parse("2022Q1"), Period.parse("2022Q2"))}
            if kind == PeriodKind.HALF:
                ends = {JUNE}
            at_kind = {k: v for k, v in stored(group, kind).items() if k[2] in ends}
            assert at_kind == recomputed([group], kind)
        transaction.set_rollback(True)


def _apply(op, group, units, indicators) -> None:
    kind = op[0]
    observations = list(Observation.objects.order_by("pk"))
    if kind == "approve":
        _kind, u, i, period, figure = op
        obs, _created = Observation.objects.get_or_create(
            unit=units[u],
            indicator=indicators[i],
            period=period,
            defaults={"value": Decimal(figure), "growth": Decimal(-figure)},
        )
        obs.status = ObservationStatus.APPROVED
        obs.save()
    elif kind == "correct" and observations:
        obs = observations[op[1] % len(observations)]
        obs.value = Decimal(op[2])
        obs.growth = None if op[2] == 0 else Decimal(op[2]) / 2
        if obs.growth is None and obs.value is None:
            obs.value = Decimal(1)
        obs.save()
    elif kind == "withdraw" and observations:
        obs = observations[op[1] % len(observations)]
        if op[2]:
            obs.delete()
        else:
            obs.status = ObservationStatus.DRAFT
            obs.save()
    elif kind == "member":
        _kind, u, year = op
        found = PeerGroupMembership.objects.filter(group=group, unit=units[u], year=year)
        if found.exists():
            found.get().delete()
        else:
            PeerGroupMembership.objects.create(group=group, unit=units[u], year=year)
    elif kind == "direction":
        ind = Indicator.objects.get(pk=indicators[op[1]].pk)
        ind.direction = Direction.LOWER if ind.direction == Direction.HIGHER else Direction.HIGHER
        ind.save()


def test_the_cockpits_cards_at_a_month_read_the_stored_ranks(world):
    """For a month the cards of indicators outside the headline read the stored rank; they
    show what ranking the cell afresh shows, and follow a correction."""
    from shouwei.indicators.choices import Category
    from shouwei.indicators.selectors import cockpit_for

    group, units, _indicator, _obs = world
    other = IndicatorFactory(code="sr-innovation", category=Category.INNOVATION)
    for n, u in enumerate(units):
        ObservationFactory(unit=u, indicator=other, value=Decimal(n), growth=Decimal(5 - n))
    reader = UserFactory(is_superuser=True)

    def card_rank(unit):
        cockpit = cockpit_for(unit=unit, period="2022-06", user=reader)
        card = next(
            c for _c, _l, cards in cockpit.categories for c in cards if c.indicator == other
        )
        return card.rank.computed_rank, card.group_size

    for unit in units:
        expected = ranking_for(
            group=group, indicator=other, period="2022-06", basis=RankBasis.GROWTH, user=reader
        ).entry_for(unit)
        assert card_rank(unit) == (expected.computed_rank, 4)
    assert card_rank(units[0]) == (1, 4)
    obs = Observation.objects.get(unit=units[0], indicator=other)
    obs.growth = Decimal(-10)
    obs.save()
    assert card_rank(units[0]) == (4, 4)


def _cards(cockpit) -> dict:
    return {
        card.indicator.code: (
            card.observation.pk if card.observation else None,
            card.rank.computed_rank if card.rank else None,
            card.rank.published_rank if card.rank else None,
            card.group.pk if card.group else None,
            card.group_size,
            card.rank_synthetic,
            [(t.pk, light) for t, light in card.targets],
        )
        for _c, _l, cards in cockpit.categories
        for card in cards
    }


@pytest.mark.parametrize("period", ["2022H1", "2022Q2", "2022-06"])
def test_the_demo_cockpits_cards_from_stored_ranks_equal_the_computed_ones(
    demo, monkeypatch, period
):
    """hy-gxq's cards read the stored ranks at a half-year and a quarter too (their own rows
    where 2022H1 picks a half-year figure over 2022-06), and show what ranking every peer per
    request shows; leaving the peer charts out changes no card."""
    from shouwei.indicators import selectors

    unit = Unit.objects.get(code="hy-gxq")
    leader = demo["leader"]
    from_stored = selectors.cockpit_for(unit=unit, period=period, user=leader)
    without_charts = selectors.cockpit_for(
        unit=unit, period=period, user=leader, peer_comparison=False
    )
    monkeypatch.setattr(selectors, "STORED_CARD_RANKS", False)
    computed = selectors.cockpit_for(unit=unit, period=period, user=leader)
    assert _cards(from_stored) == _cards(computed) == _cards(without_charts)
    assert any(c[1] is not None for c in _cards(computed).values())
    assert from_stored.peer_comparison and not without_charts.peer_comparison


def test_a_half_year_that_picks_other_figures_than_its_month_has_rows_of_its_own(world):
    """2022H1 prefers a half-year figure to 2022-06: the cell gets half-year rows ranking the
    half-year figures, the month's rows stay as they were, and the cockpit at each reads its
    own."""
    from shouwei.indicators.choices import Category
    from shouwei.indicators.selectors import cockpit_for

    group, units, _indicator, _obs = world
    other = IndicatorFactory(code="sr-half", category=Category.INNOVATION, cumulative=False)
    for n, u in enumerate(units):
        ObservationFactory(unit=u, indicator=other, value=Decimal(n), growth=None)
    # The last unit also files a half-year figure, the highest: at 2022H1 it ranks first.
    ObservationFactory(
        unit=units[3], indicator=other, period="2022H1", value=Decimal(99), growth=None
    )
    rows = StoredRank.objects.filter(indicator=other, unit=units[3])
    assert {(r.period_kind, r.value_rank) for r in rows} == {
        (PeriodKind.MONTH, 1),  # 2022-06: 3 is the highest monthly figure
        (PeriodKind.HALF, 1),
        # No 2022Q2 figure: the quarter falls back on the half-year one too (pick_observation).
        (PeriodKind.QUARTER, 1),
    }
    assert StoredRank.objects.filter(indicator=other, period_kind=PeriodKind.HALF).count() == 4
    assert rows.get(period_kind=PeriodKind.MONTH).value == 3
    assert rows.get(period_kind=PeriodKind.HALF).value == 99
    reader = UserFactory(is_superuser=True)
    for period in ("2022-06", "2022Q2", "2022H1"):
        expected = ranking_for(
            group=group, indicator=other, period=period, basis=RankBasis.VALUE, user=reader
        )
        for unit in units:
            card = next(
                c
                for _c, _l, cards in cockpit_for(unit=unit, period=period, user=reader).categories
                for c in cards
                if c.indicator == other
            )
            entry = expected.entry_for(unit)
            assert (card.observation.pk, card.rank.computed_rank) == (
                entry.observation.pk,
                entry.computed_rank,
            )
