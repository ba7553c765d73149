"""Reads for pages, exports, the API and reports (HackSoft: selectors read).

Every function takes the user and starts from ``visible_to(user)``; query counts do not grow
with the number of indicators or units (tests pin them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, FilteredRelation, Max, Q

from shouwei.core.choices import UnitKind
from shouwei.core.models import PeerGroup, PeerGroupMembership, Unit
from shouwei.core.periods import Period, PeriodKind
from shouwei.core.permissions import scope_for

from .choices import Category, ObservationStatus, RankBasis
from .lights import GREY, Light, target_light
from .models import Indicator, Observation, StoredRank, Target
from .ranking import competition_rank_of, competition_ranks

# The cockpit charts the 经济运行 indicators: the ones the city ranks the 五区两园 on every month.
HEADLINE_CATEGORY = Category.ECONOMY
# How far back trend and rank-history charts reach (calendar years up to the period shown).
HISTORY_YEARS = 3
# Whether the cockpit's cards read stored ranks (``StoredRank``) at a month; the benchmark
# (benchmarks/bench_ranks.py) turns it off to time the cards ranked per request.
STORED_CARD_RANKS = True
# Lights listed most urgent first.
LIGHT_ORDER = ("red", "yellow", "green", "grey")


@dataclass
class RankEntry:
    unit: Unit
    figure: Decimal | None
    computed_rank: int | None
    published_rank: int | None
    observation: Observation | None = None

    @property
    def rank(self) -> int | None:
        return self.computed_rank if self.computed_rank is not None else self.published_rank

    @property
    def source(self) -> str:
        if self.computed_rank is not None:
            return "computed"
        return "published" if self.published_rank is not None else "missing"

    @property
    def mismatch(self) -> bool:
        return (
            self.computed_rank is not None
            and self.published_rank is not None
            and self.computed_rank != self.published_rank
        )


@dataclass
class Ranking:
    group: PeerGroup
    indicator: Indicator
    period: Period
    basis: str
    entries: list[RankEntry]

    @property
    def basis_label(self) -> str:
        return RankBasis(self.basis).label

    @property
    def has_values(self) -> bool:
        return any(
            e.observation is not None and e.observation.value is not None for e in self.entries
        )

    @property
    def has_growth(self) -> bool:
        return any(
            e.observation is not None and e.observation.growth is not None for e in self.entries
        )

    @property
    def ranked(self) -> list[RankEntry]:
        return sorted((e for e in self.entries if e.rank is not None), key=lambda e: e.rank)

    @property
    def missing(self) -> list[RankEntry]:
        return [e for e in self.entries if e.rank is None]

    @property
    def computed(self) -> bool:
        return any(e.computed_rank is not None for e in self.entries)

    @property
    def mismatches(self) -> list[RankEntry]:
        return [e for e in self.entries if e.mismatch]

    def entry_for(self, unit: Unit) -> RankEntry | None:
        return next((e for e in self.entries if e.unit.pk == unit.pk), None)


def _figure(obs: Observation | None, basis: str) -> Decimal | None:
    if obs is None:
        return None
    return obs.growth if basis == RankBasis.GROWTH else obs.value


def pick_observation(candidates: list[Observation], period: Period) -> Observation | None:
    """Among observations ending when ``period`` ends, prefer the exact period code; a
    cumulative 1—6月 figure filed as ``2022-06`` also answers for ``2022H1``."""
    if len(candidates) == 1 and candidates[0].period == period.code:
        return candidates[0]  # nearly every cell: rank histories ask ~40,000 times a page
    exact = [o for o in candidates if o.period == period.code]
    if exact:
        return exact[0]
    fallback = [o for o in candidates if o.indicator.cumulative or o.period_kind != "month"]
    return fallback[0] if fallback else (candidates[0] if candidates else None)


@dataclass(frozen=True)
class PeerCell:
    """The ranking step, written once: one indicator's figure for each member of a peer group
    at one period end (``chosen``: the observation picked per unit pk, or None), ranked on
    ``basis`` (总量 or 增速). A rank is computed once at least two members have a figure;
    otherwise only the published ranks (公布排名) stand.

    ``entries`` ranks every member (rankings, the cockpit's cards and peer charts);
    ``rank_of`` gives one member's rank alone, the same number (rank histories ask it for one
    unit in thousands of cells, where ranking every peer each time was most of the CPU)."""

    members: Sequence[Unit]
    chosen: Mapping[int, Observation | RankRow | None]
    indicator: Indicator
    basis: str

    def _figures(self) -> list[Decimal | None]:
        return [_figure(self.chosen.get(u.pk), self.basis) for u in self.members]

    @staticmethod
    def _rankable(figures: list[Decimal | None]) -> bool:
        return sum(f is not None for f in figures) >= 2

    def entries(self) -> list[RankEntry]:
        figures = self._figures()
        ranks = (
            competition_ranks(figures, lower_is_better=self.indicator.lower_is_better)
            if self._rankable(figures)
            else [None] * len(figures)
        )
        entries = []
        for u, f, r in zip(self.members, figures, ranks, strict=True):
            obs = self.chosen.get(u.pk)
            entries.append(
                RankEntry(
                    unit=u,
                    figure=f,
                    computed_rank=r,
                    published_rank=obs.published_rank if obs is not None else None,
                    observation=obs,
                )
            )
        return entries

    def rank_of(self, unit: Unit) -> int | None:
        """``unit``'s computed rank (None when it is no member or too few have a figure)."""
        if not any(u.pk == unit.pk for u in self.members):
            return None
        figures = self._figures()
        if not self._rankable(figures):
            return None
        return competition_rank_of(
            _figure(self.chosen.get(unit.pk), self.basis),
            figures,
            lower_is_better=self.indicator.lower_is_better,
        )

    def peers_synthetic(self, unit: Unit) -> bool:
        """Whether another member's figure is simulated (模拟数据): a rank computed here
        then rests on demo data."""
        return any(
            (o := self.chosen.get(u.pk)) is not None and o.synthetic
            for u in self.members
            if u.pk != unit.pk
        )


def ranking_for(
    *,
    group: PeerGroup,
    indicator: Indicator,
    period: str | Period,
    basis: str = RankBasis.GROWTH,
    user,
) -> Ranking:
    p = Period.parse(period)
    units = list(
        Unit.objects.filter(peer_memberships__group=group, peer_memberships__year=p.year).order_by(
            "sort_order", "code"
        )
    )
    obs_by_unit: dict[int, list[Observation]] = defaultdict(list)
    for o in (
        Observation.objects.visible_to(user)
        .approved()
        .filter(indicator=indicator, period_end=p.end, unit__in=units)
        .select_related("indicator")
        .order_by("pk")  # several candidates: picked in primary-key order, as stored ranks are
    ):
        obs_by_unit[o.unit_id].append(o)
    chosen = {u.pk: pick_observation(obs_by_unit.get(u.pk, []), p) for u in units}
    return Ranking(
        group=group,
        indicator=indicator,
        period=p,
        basis=basis,
        entries=PeerCell(members=units, chosen=chosen, indicator=indicator, basis=basis).entries(),
    )


def rank_basis_for(obs: Observation | None) -> str:
    """What a figure is ranked on: the basis the rank was published with, else the growth when
    there is one (reports rank the zone's headline indicators on YoY growth), else the value."""
    if obs is not None and obs.rank_basis:
        return obs.rank_basis
    return RankBasis.GROWTH if obs is not None and obs.growth is not None else RankBasis.VALUE


def _point_label(obs: Observation, end: date) -> str:
    """Axis label for a point ending at ``end``: a cumulative 2022H1 figure is the 1—6月 figure,
    so it sits on the monthly axis as 2022-06; a point-in-time figure keeps its own period."""
    if obs.period_kind == PeriodKind.MONTH or obs.indicator.cumulative:
        return _month_ending(end).code
    return obs.period


def _month_ending(end: date) -> Period:
    return Period(end.year, PeriodKind.MONTH, end.month)


def _longer_periods_ending(end: date) -> list[Period]:
    """The quarter, half-year and year that end with the month of ``end`` (none for May)."""
    return [
        Period(end.year, kind, end.month // months)
        for kind, months in ((PeriodKind.QUARTER, 3), (PeriodKind.HALF, 6), (PeriodKind.YEAR, 12))
        if end.month % months == 0
    ]


@dataclass
class TrendPoint:
    """One point of a unit's series: the figure for the months up to ``period_end``."""

    label: str
    observation: Observation

    @property
    def period_end(self) -> date:
        return self.observation.period_end


def trend_points(observations: list[Observation]) -> list[TrendPoint]:
    """One point per period end, oldest first. Observations need ``indicator`` loaded."""
    by_end: dict[date, list[Observation]] = defaultdict(list)
    for o in observations:
        by_end[o.period_end].append(o)
    points = []
    for end in sorted(by_end):
        obs = pick_observation(by_end[end], _month_ending(end))
        points.append(TrendPoint(label=_point_label(obs, end), observation=obs))
    return points


@dataclass
class RankPoint:
    """The unit's rank in a peer group at one period end: computed from the peers' figures
    and/or as published (公布排名)."""

    label: str
    period_end: date
    computed_rank: int | None
    published_rank: int | None
    group_size: int
    observation: Observation
    peers_synthetic: bool = False

    @property
    def mismatch(self) -> bool:
        return (
            self.computed_rank is not None
            and self.published_rank is not None
            and self.computed_rank != self.published_rank
        )


@dataclass(slots=True)
class RankRow:
    """The part of an observation that ranking reads. Rank histories read tens of thousands
    of peers' figures (150 peers × 3 years × the headline indicators); model instances for
    them were most of the cockpit's time, these tuples cost a tenth."""

    pk: int
    unit_id: int
    indicator_id: int
    period: str
    period_kind: str
    period_end: date
    value: Decimal | None
    growth: Decimal | None
    published_rank: int | None
    rank_group_id: int | None
    rank_basis: str
    synthetic: bool
    status: str
    indicator: Indicator | None = None


RANK_ROW_FIELDS = (
    "pk",
    "unit_id",
    "indicator_id",
    "period",
    "period_kind",
    "period_end",
    "value",
    "growth",
    "published_rank",
    "rank_group_id",
    "rank_basis",
    "synthetic",
    "status",
)


def rank_histories(
    *,
    unit: Unit,
    indicators: list[Indicator],
    group: PeerGroup,
    period: str | Period,
    user,
    years: int = HISTORY_YEARS,
) -> dict[int, list[RankPoint]]:
    """The unit's rank in ``group`` for each indicator over the ``years`` up to ``period``,
    oldest first, keyed by indicator pk. Two queries, whatever the number of indicators,
    peers or periods.

    A period's rank is computed among that year's members (membership is set per year), from
    approved figures only — the unit's own as well as its peers': the same rule as the
    cockpit's cards. It is read from the stored ranks (``StoredRank``, kept by
    ``indicators.ranks.refresh_ranks`` whenever approved figures, memberships or an
    indicator's direction change), not recomputed from every peer's history per request. A
    published rank is kept only when it was published for this group.
    """
    p = Period.parse(period)
    first_year = p.year - years + 1
    sizes = dict(
        PeerGroupMembership.objects.filter(group=group, year__range=(first_year, p.year))
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
        .order_by()
    )
    ind_by_pk = {i.pk: i for i in indicators}
    window = {
        "indicator_id__in": list(ind_by_pk),
        "period_end__gte": date(first_year, 1, 1),
        "period_end__lte": p.end,
    }
    # The unit's own approved figures, each joined to its stored rank in the group (a row
    # exists for the figure picked for the cell when the unit was a member that year).
    own: dict[tuple[int, date], list[RankRow]] = defaultdict(list)
    stored: dict[int, tuple[int | None, int | None, bool]] = {}
    for *o, value_rank, growth_rank, peers_synthetic, stored_pk in (
        Observation.objects.visible_to(user)
        .approved()
        .filter(unit=unit, **window)
        .annotate(
            stored=FilteredRelation(
                "stored_ranks",
                condition=Q(stored_ranks__group=group, stored_ranks__period_kind=PeriodKind.MONTH),
            )
        )
        .values_list(
            *RANK_ROW_FIELDS,
            "stored__value_rank",
            "stored__growth_rank",
            "stored__peers_synthetic",
            "stored__pk",
        )
        .order_by("pk")
    ):
        row = RankRow(*o)
        row.indicator = ind_by_pk[row.indicator_id]
        own[(row.indicator_id, row.period_end)].append(row)
        if stored_pk is not None:
            stored[row.pk] = (value_rank, growth_rank, peers_synthetic)

    result: dict[int, list[RankPoint]] = {pk: [] for pk in ind_by_pk}
    for ind_pk, end in sorted(own, key=lambda key: (key[1], key[0])):
        mine = pick_observation(own[(ind_pk, end)], _month_ending(end))
        value_rank, growth_rank, peers_synthetic = stored.get(mine.pk, (None, None, False))
        computed = growth_rank if rank_basis_for(mine) == RankBasis.GROWTH else value_rank
        published = mine.published_rank if mine.rank_group_id in (None, group.pk) else None
        if computed is None and published is None:
            continue
        result[ind_pk].append(
            RankPoint(
                label=_point_label(mine, end),
                period_end=end,
                computed_rank=computed,
                published_rank=published,
                group_size=sizes.get(end.year, 0),
                observation=mine,
                peers_synthetic=computed is not None and peers_synthetic,
            )
        )
    return result


@dataclass
class PeerSeries:
    """One indicator across the members of a peer group: the peer-comparison chart."""

    indicator: Indicator
    group: PeerGroup
    basis: str
    entries: list[RankEntry]

    @property
    def ordered(self) -> list[RankEntry]:
        """Best first; units without a figure last."""
        ranked = [e for e in self.entries if e.computed_rank is not None]
        ranked.sort(key=lambda e: e.computed_rank)
        return ranked + [e for e in self.entries if e.computed_rank is None]


@dataclass
class KpiCard:
    indicator: Indicator
    observation: Observation | None
    rank: RankEntry | None = None
    group: PeerGroup | None = None
    group_size: int | None = None
    targets: list[tuple[Target, Light]] = field(default_factory=list)
    # True when the computed rank rests on peers' simulated (模拟) figures.
    rank_synthetic: bool = False

    @property
    def rank_label_source(self) -> str:
        return self.rank.source if self.rank else "missing"


@dataclass
class Cockpit:
    unit: Unit
    period: Period
    categories: list[tuple[str, str, list[KpiCard]]]
    targets: list[tuple[Target, Light]]
    periods_available: list[str]
    has_synthetic: bool
    default_group: PeerGroup | None = None
    # The headline (经济运行) indicators compared across the default group's members.
    peer_comparison: list[PeerSeries] = field(default_factory=list)

    @property
    def headline(self) -> tuple[str, str, list[KpiCard]] | None:
        return next((c for c in self.categories if c[0] == HEADLINE_CATEGORY), None)

    @property
    def other_categories(self) -> list[tuple[str, str, list[KpiCard]]]:
        return [c for c in self.categories if c[0] != HEADLINE_CATEGORY]

    @property
    def light_counts(self) -> list[tuple[Light, int]]:
        """Each colour of light present with its count, red first: what needs attention."""
        counts: dict[str, int] = defaultdict(int)
        sample: dict[str, Light] = {}
        for _t, light in self.targets:
            counts[light.colour] += 1
            sample[light.colour] = light
        return [(sample[c], counts[c]) for c in LIGHT_ORDER if counts.get(c)]

    @property
    def targets_by_severity(self) -> list[tuple[Target, Light]]:
        return sorted(self.targets, key=lambda tl: LIGHT_ORDER.index(tl[1].colour))


def seasonal_share(history: dict[int, dict[int, Decimal]], month: int) -> Decimal | None:
    """Average share of the full-year figure reached by ``month`` in past years."""
    shares = [
        months[month] / months[12]
        for months in history.values()
        if month in months and 12 in months and months[12]
    ]
    if not shares:
        return None
    return sum(shares, Decimal(0)) / len(shares)


@dataclass
class _Peers:
    """The unit's peer groups in one year, each with its members in display order; the first
    group the unit belongs to is its default group (the cockpit's comparisons)."""

    default_group: PeerGroup | None
    members: dict[int, list[Unit]]

    @property
    def unit_pks(self) -> set[int]:
        return {u.pk for us in self.members.values() for u in us}


def _peers_of(unit: Unit, year: int) -> _Peers:
    memberships = list(
        PeerGroupMembership.objects.filter(unit=unit, year=year).select_related("group")
    )
    members: dict[int, list[Unit]] = defaultdict(list)
    for m in (
        PeerGroupMembership.objects.filter(
            group_id__in=[m.group_id for m in memberships], year=year
        )
        .select_related("unit", "group")
        .order_by("unit__sort_order", "unit__code")
    ):
        members[m.group_id].append(m.unit)
    return _Peers(default_group=memberships[0].group if memberships else None, members=members)


def _approved_figures(
    *,
    unit: Unit,
    peer_pks: set[int],
    period: Period,
    indicators: dict[int, Indicator],
    user,
    peer_indicators: set[int] | None = None,
) -> dict[int, dict[int, Observation | RankRow]]:
    """Indicator pk → unit pk → the approved figure picked for ``period``, for the unit and its
    peers. The unit's own as model instances (its cards show who entered and approved them);
    the peers' only as the columns ranking reads: at 150 peers × 60 indicators, building their
    instances with three joined rows each was a third of the page's CPU."""
    approved = Observation.objects.visible_to(user).approved().filter(period_end=period.end)
    found: dict[tuple[int, int], list[Observation | RankRow]] = defaultdict(list)
    # In primary-key order, as the stored ranks pick among several candidates.
    own = approved.filter(unit=unit).select_related("rank_group", "entered_by", "approved_by")
    for o in own.order_by("pk"):
        o.indicator = indicators[o.indicator_id]
        found[(o.indicator_id, o.unit_id)].append(o)
    peers = approved.filter(unit_id__in=peer_pks - {unit.pk})
    if peer_indicators is not None:
        peers = peers.filter(indicator_id__in=peer_indicators)
    # ``peer_indicators`` None: every indicator's peers; empty: none, and no query.
    for values in (
        peers.values_list(*RANK_ROW_FIELDS).order_by("pk") if peer_indicators != set() else []
    ):
        row = RankRow(*values)
        row.indicator = indicators[row.indicator_id]
        found[(row.indicator_id, row.unit_id)].append(row)
    figures: dict[int, dict[int, Observation | RankRow]] = defaultdict(dict)
    for (ind_pk, unit_pk), candidates in found.items():
        figures[ind_pk][unit_pk] = pick_observation(candidates, period)
    return figures


def _past_years(*, unit: Unit, year: int, user) -> dict[int, dict[int, dict[int, Decimal]]]:
    """Indicator pk → year → month → the unit's approved monthly value before ``year``: the
    seasonal curve its targets' pace follows."""
    history: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for ind_id, end, value in (
        Observation.objects.visible_to(user)
        .approved()
        .filter(
            unit=unit,
            period_end__year__lt=year,
            period_kind=PeriodKind.MONTH,
            value__isnull=False,
        )
        .values_list("indicator_id", "period_end", "value")
    ):
        history[ind_id][end.year][end.month] = value
    return history


def _targets_by_indicator(*, unit: Unit, year: int, user) -> dict[int | None, list[Target]]:
    targets: dict[int | None, list[Target]] = defaultdict(list)
    for t in (
        Target.objects.visible_to(user)
        .filter(unit=unit, year=year)
        .select_related("indicator", "rank_group")
    ):
        targets[t.indicator_id].append(t)
    return targets


def _card(
    *,
    unit: Unit,
    indicator: Indicator,
    figures: dict[int, Observation | RankRow],
    peers: _Peers,
    stored: dict[int, StoredRank] | None = None,
    chart: bool = False,
) -> tuple[KpiCard, PeerSeries | None]:
    """One indicator's card — the unit's figure and its rank in the group the rank was
    published for, else the default group — and, when ``chart``, its figures across the
    default group (ranked once when both are the same group)."""
    obs = figures.get(unit.pk)
    group = obs.rank_group if obs and obs.rank_group_id else peers.default_group
    basis = rank_basis_for(obs)
    ranked: dict[int, tuple[PeerCell, list[RankEntry]]] = {}

    def rank_in(g: PeerGroup) -> tuple[PeerCell, list[RankEntry]]:
        if g.pk not in ranked:
            cell = PeerCell(
                members=peers.members[g.pk], chosen=figures, indicator=indicator, basis=basis
            )
            ranked[g.pk] = (cell, cell.entries())
        return ranked[g.pk]

    rank = None
    rank_synthetic = False
    if stored is not None and group is not None and group.pk in peers.members:
        # The peers' figures were not read: the unit's rank is the stored one (the same
        # PeerCell ranking, computed when the figures were approved).
        row = stored.get(group.pk)
        computed = row.rank_on(basis) if row is not None and obs is not None else None
        rank = RankEntry(
            unit=unit,
            figure=_figure(obs, basis),
            computed_rank=computed,
            published_rank=obs.published_rank if obs is not None else None,
            observation=obs,
        )
        rank_synthetic = computed is not None and row.peers_synthetic
    elif group is not None and group.pk in peers.members:
        cell, entries = rank_in(group)
        rank = next((e for e in entries if e.unit.pk == unit.pk), None)
        rank_synthetic = bool(rank and rank.computed_rank is not None) and cell.peers_synthetic(
            unit
        )
    elif obs is not None and obs.published_rank is not None:
        rank = RankEntry(
            unit=unit,
            figure=_figure(obs, basis),
            computed_rank=None,
            published_rank=obs.published_rank,
            observation=obs,
        )
    card = KpiCard(
        indicator=indicator,
        observation=obs,
        rank=rank,
        group=group,
        group_size=len(peers.members.get(group.pk, [])) if group else None,
        rank_synthetic=rank_synthetic,
    )
    series = None
    if chart and obs is not None and peers.default_group:
        series = PeerSeries(
            indicator=indicator,
            group=peers.default_group,
            basis=basis,
            entries=rank_in(peers.default_group)[1],
        )
    return card, series


def cockpit_for(*, unit: Unit, period: str | Period, user, peer_comparison: bool = True) -> Cockpit:
    """Everything the 驾驶舱 shows for one unit and period, in a fixed number of queries
    (pinned by tests/indicators/test_cockpit_queries.py).

    The cockpit is the leaders' headline page: it shows approved figures only — the unit's own
    as well as its peers' — so that a draft or a figure awaiting review never stands on it as
    if it were the zone's result. Whoever entered a figure follows it in the observation list
    (marked 草稿/已提交) until it is approved.

    ``peer_comparison=False`` leaves the peer-comparison charts out (``peer_comparison`` is
    empty): no peer's figure is read and every card's rank is the stored one. The reports
    print the cards, not the charts, for every unit every month."""
    p = Period.parse(period)
    indicators = {i.pk: i for i in Indicator.objects.select_related("owner_unit")}
    peers = _peers_of(unit, p.year)
    # The stored ranks give the cards' ranks: only the charted (headline) indicators' peer
    # figures are read, for the peer comparison charts, and those cards are ranked from them.
    # A quarter, half-year or year reads its own rows where it picks other figures than the
    # month ending then (``StoredRank``), else the month's.
    use_stored = STORED_CARD_RANKS
    charted = (
        {pk for pk, i in indicators.items() if i.category == HEADLINE_CATEGORY}
        if peer_comparison
        else set()
    )
    figures = _approved_figures(
        unit=unit,
        peer_pks=peers.unit_pks,
        period=p,
        indicators=indicators,
        user=user,
        peer_indicators=charted if use_stored else None,
    )
    stored: dict[int, dict[int, StoredRank]] = defaultdict(dict)
    if use_stored and peers.members:
        for row in StoredRank.objects.filter(
            unit=unit,
            period_end=p.end,
            period_kind__in={PeriodKind.MONTH, p.kind},
            group_id__in=list(peers.members),
        ).exclude(indicator_id__in=charted):
            cell = stored[row.indicator_id]
            if row.period_kind == p.kind or row.group_id not in cell:
                cell[row.group_id] = row
    history = _past_years(unit=unit, year=p.year, user=user)
    targets_by_ind = _targets_by_indicator(unit=unit, year=p.year, user=user)

    cards_by_cat: dict[str, list[KpiCard]] = defaultdict(list)
    target_lights: list[tuple[Target, Light]] = []
    peer_comparison: list[PeerSeries] = []
    for ind in indicators.values():
        ind_figures = figures.get(ind.pk, {})
        if unit.pk not in ind_figures and not targets_by_ind.get(ind.pk):
            continue
        card, series = _card(
            unit=unit,
            indicator=ind,
            figures=ind_figures,
            peers=peers,
            stored=stored.get(ind.pk, {}) if use_stored and ind.pk not in charted else None,
            chart=ind.pk in charted,
        )
        if series is not None:
            peer_comparison.append(series)
        expected = seasonal_share(history.get(ind.pk, {}), p.end_month) or Decimal(p.end_month) / 12
        obs, rank = card.observation, card.rank
        for t in targets_by_ind.get(ind.pk, []):
            light = target_light(
                t,
                value=obs.value if obs else None,
                growth=obs.growth if obs else None,
                rank=rank.rank if rank else None,
                expected=expected,
            )
            card.targets.append((t, light))
            target_lights.append((t, light))
        cards_by_cat[ind.category].append(card)
    target_lights += [(t, GREY) for t in targets_by_ind.get(None, [])]

    return Cockpit(
        unit=unit,
        period=p,
        categories=[
            (c.value, c.label, cards_by_cat[c.value]) for c in Category if cards_by_cat.get(c.value)
        ],
        targets=target_lights,
        periods_available=list(
            Observation.objects.visible_to(user)
            .approved()
            .filter(unit=unit)
            .order_by("-period_end")
            .values_list("period", flat=True)
            .distinct()[:36]
        ),
        has_synthetic=any(
            (c.observation is not None and c.observation.synthetic) or c.rank_synthetic
            for cards in cards_by_cat.values()
            for c in cards
        ),
        default_group=peers.default_group,
        peer_comparison=peer_comparison,
    )


@dataclass
class HeadlineHistory:
    """The cockpit's charts over time: the unit's trend and its rank in the default group for
    each headline indicator (only those with points)."""

    trends: list[tuple[Indicator, list[TrendPoint]]]
    ranks: list[tuple[Indicator, list[RankPoint]]]

    @property
    def has_synthetic(self) -> bool:
        return any(pt.observation.synthetic for _i, pts in self.trends for pt in pts) or any(
            pt.peers_synthetic for _i, pts in self.ranks for pt in pts
        )


def headline_history(*, cockpit: Cockpit, user) -> HeadlineHistory:
    """Trends and rank histories of the cockpit's headline cards, in three queries however many
    indicators, peers and periods (a selector of its own: the API's cockpit needs none of it)."""
    headline = [card.indicator for card in (cockpit.headline or ("", "", []))[2]]
    if not headline:
        return HeadlineHistory(trends=[], ranks=[])
    series = series_for(unit=cockpit.unit, indicators=headline, period=cockpit.period, user=user)
    ranks = (
        rank_histories(
            unit=cockpit.unit,
            indicators=headline,
            group=cockpit.default_group,
            period=cockpit.period,
            user=user,
        )
        if cockpit.default_group is not None
        else {}
    )
    trends = [(ind, trend_points(series[ind.pk])) for ind in headline]
    return HeadlineHistory(
        trends=[(ind, pts) for ind, pts in trends if pts],
        ranks=[(ind, ranks[ind.pk]) for ind in headline if ranks.get(ind.pk)],
    )


def series_for(
    *,
    unit: Unit,
    indicators: list[Indicator],
    period: str | Period,
    user,
    years: int = HISTORY_YEARS,
) -> dict[int, list[Observation]]:
    """The unit's approved observations of several indicators over the ``years`` up to
    ``period``, oldest first, keyed by indicator pk: one query for all the cockpit's trend
    charts (the cockpit shows approved figures only, see ``cockpit_for``)."""
    p = Period.parse(period)
    ind_by_pk = {i.pk: i for i in indicators}
    out: dict[int, list[Observation]] = {pk: [] for pk in ind_by_pk}
    if not ind_by_pk:
        return out
    for o in (
        Observation.objects.visible_to(user)
        .approved()
        .filter(
            unit=unit,
            indicator_id__in=list(ind_by_pk),
            period_end__gte=date(p.year - years + 1, 1, 1),
            period_end__lte=p.end,
        )
        .order_by("period_end", "period_kind")
    ):
        o.indicator = ind_by_pk[o.indicator_id]
        out[o.indicator_id].append(o)
    return out


def indicator_series(
    *, unit: Unit, indicator: Indicator, user, kind: str | None = None
) -> list[Observation]:
    """The unit's observations of one indicator over time, oldest first (trend charts)."""
    qs = (
        Observation.objects.visible_to(user)
        .filter(unit=unit, indicator=indicator)
        .select_related("entered_by", "approved_by", "import_batch", "rank_group")
        .order_by("period_end", "period_kind")
    )
    if kind:
        qs = qs.filter(period_kind=kind)
    series = list(qs)
    for o in series:
        o.indicator = indicator
    return series


def groups_of(*, unit: Unit, year: int) -> list[PeerGroup]:
    """The peer groups ``unit`` belongs to in ``year``; the first is its default group."""
    return [
        m.group
        for m in PeerGroupMembership.objects.filter(unit=unit, year=year).select_related("group")
    ]


@dataclass
class IndicatorForUnit:
    """One indicator for one unit: the page behind every cockpit card."""

    unit: Unit
    indicator: Indicator
    period: Period
    series: list[Observation]
    trend: list[TrendPoint]
    observation: Observation | None
    groups: list[PeerGroup]
    group: PeerGroup | None
    ranking: Ranking | None
    rank_points: list[RankPoint]
    targets: list[tuple[Target, Light]]

    @property
    def entry(self) -> RankEntry | None:
        return self.ranking.entry_for(self.unit) if self.ranking else None

    @property
    def periods(self) -> list[str]:
        """Periods with a figure, newest first (the period picker's suggestions)."""
        return list(dict.fromkeys(o.period for o in reversed(self.series)))

    @property
    def has_synthetic(self) -> bool:
        return any(o.synthetic for o in self.series) or bool(
            self.ranking
            and any(
                e.observation is not None and e.observation.synthetic for e in self.ranking.entries
            )
        )


def indicator_for_unit(
    *,
    unit: Unit,
    indicator: Indicator,
    period: str | Period,
    user,
    group_code: str | None = None,
) -> IndicatorForUnit:
    """Trend, peers at ``period``, rank history and targets of one indicator for one unit.

    The peer group is the one asked for (when the unit belongs to it that year), else the one
    the unit's rank was published in, else the unit's default group.
    """
    p = Period.parse(period)
    series = indicator_series(unit=unit, indicator=indicator, user=user)
    upto = [o for o in series if o.period_end <= p.end]
    observation = pick_observation([o for o in upto if o.period_end == p.end], p)
    groups = groups_of(unit=unit, year=p.year)
    group = next((g for g in groups if g.code == group_code), None) if group_code else None
    if group is None and observation is not None and observation.rank_group_id:
        group = next((g for g in groups if g.pk == observation.rank_group_id), None)
    group = group or (groups[0] if groups else None)
    basis = rank_basis_for(observation)
    ranking = (
        ranking_for(group=group, indicator=indicator, period=p, basis=basis, user=user)
        if group is not None
        else None
    )
    rank_points = (
        rank_histories(unit=unit, indicators=[indicator], group=group, period=p, user=user)[
            indicator.pk
        ]
        if group is not None
        else []
    )
    entry = ranking.entry_for(unit) if ranking else None
    history: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for o in series:
        if (
            o.period_end.year < p.year
            and o.period_kind == PeriodKind.MONTH
            and o.value is not None
            and o.status == ObservationStatus.APPROVED
        ):
            history[o.period_end.year][o.period_end.month] = o.value
    expected = seasonal_share(history, p.end_month) or Decimal(p.end_month) / 12
    targets = [
        (
            t,
            target_light(
                t,
                value=observation.value if observation else None,
                growth=observation.growth if observation else None,
                rank=entry.rank if entry else None,
                expected=expected,
            ),
        )
        for t in Target.objects.visible_to(user)
        .filter(unit=unit, indicator=indicator, year=p.year)
        .select_related("indicator")
    ]
    return IndicatorForUnit(
        unit=unit,
        indicator=indicator,
        period=p,
        series=series,
        trend=trend_points(upto),
        observation=observation,
        groups=groups,
        group=group,
        ranking=ranking,
        rank_points=rank_points,
        targets=targets,
    )


def observation_list(user):
    return Observation.objects.visible_to(user).select_related(
        "unit", "indicator", "reporting_unit", "rank_group", "entered_by", "approved_by"
    )


# Units without a cockpit of their own: a department's or a street's figures are its zone's.
NO_COCKPIT_KINDS = (UnitKind.DEPARTMENT, UnitKind.STREET)


def units_for_cockpit(user):
    """Units a user can open a cockpit for: those they hold a role at, and peers."""
    return Unit.objects.visible_to(user).exclude(kind__in=NO_COCKPIT_KINDS)


def cockpit_home(user) -> Unit | None:
    """The unit the user's roles place them at: the highest unit they hold a role at, and for a
    department or a street the nearest unit above it with a cockpit (a clerk's zone). None for
    a user who holds no role."""
    pk = scope_for(user).home_unit_pk
    unit = Unit.objects.select_related("parent").filter(pk=pk).first() if pk else None
    while unit is not None and unit.kind in NO_COCKPIT_KINDS:
        unit = unit.parent
    return unit


# Which figures make a period the cockpit's default, most wanted first: the headline (经济运行)
# indicators as published, any published figure, then the demo's simulated ones (a synthetic
# province has nothing else). The first tier with any approved figure decides.
_DEFAULT_TIERS = (
    Q(synthetic=False, indicator__category=HEADLINE_CATEGORY),
    Q(synthetic=False),
    Q(indicator__category=HEADLINE_CATEGORY),
    Q(),
)
# The default period is sought within a year of the newest figure of its tier.
_DEFAULT_WINDOW = timedelta(days=366)


def headline_period_ends(observations) -> dict[int, date]:
    """Unit pk → the end of the unit's headline period: the latest period end at which the
    unit's approved figures cover more than half of the indicators it had at its best-covered
    period end of that year-long window — counting the headline (经济运行) indicators, which
    are what a leader reads first and what the zones are ranked on (see ``_DEFAULT_TIERS`` for
    when there are none).

    Why "more than half" and not "all": monthly releases leave out the quarterly ones (GDP is
    published by quarter), so "all" would hold the cockpit on the last quarter all the next
    two months; while one approved value for a new month (the first of a release) does not
    move a leader's page onto a month of empty cards. Two queries, however many units."""
    approved = observations.filter(status=ObservationStatus.APPROVED).order_by()
    newest = approved.aggregate(
        **{f"t{i}": Max("period_end", filter=q) for i, q in enumerate(_DEFAULT_TIERS)}
    )
    tier = next((i for i in range(len(_DEFAULT_TIERS)) if newest[f"t{i}"]), None)
    if tier is None:
        return {}
    counts: dict[int, dict[date, int]] = defaultdict(dict)
    for unit_id, end, n in (
        approved.filter(_DEFAULT_TIERS[tier], period_end__gt=newest[f"t{tier}"] - _DEFAULT_WINDOW)
        .values("unit_id", "period_end")
        .annotate(n=Count("indicator_id", distinct=True))
        .values_list("unit_id", "period_end", "n")
    ):
        counts[unit_id][end] = n
    ends = {}
    for unit_id, by_end in counts.items():
        best = max(by_end.values())
        ends[unit_id] = max(end for end, n in by_end.items() if 2 * n > best)
    return ends


@dataclass(frozen=True)
class CockpitStart:
    """Where a cockpit opens when the address names no unit or no period."""

    unit: Unit | None
    period: Period | None


def cockpit_start(*, user, unit: Unit | None = None) -> CockpitStart:
    """The unit and period a cockpit opens on.

    The unit is the one asked for, else the user's home unit (``cockpit_home``) when it has
    approved figures, else — an administrator placed at the province, a superuser holding no
    role — the unit with the latest headline period among the units the user's home covers
    (the highest of them on a tie): never an empty page as the first thing anyone sees.

    The period is the unit's headline period (``headline_period_ends``), given as its
    year-to-date month: ``2022-06`` is 2022年1—6月 (a cumulative figure for 2022-06 means
    January–June), the period the page's title names. Figures filed as ``2022H1`` or
    ``2022Q2`` answer for it, as they end the same day (``pick_observation``)."""
    visible = Observation.objects.visible_to(user)
    if unit is not None:
        end = headline_period_ends(visible.filter(unit=unit)).get(unit.pk)
        return CockpitStart(unit=unit, period=_month_ending(end) if end else None)
    home = cockpit_home(user)
    if home is not None:
        end = headline_period_ends(visible.filter(unit=home)).get(home.pk)
        if end is not None:
            return CockpitStart(unit=home, period=_month_ending(end))
    candidates = units_for_cockpit(user)
    if home is not None:
        candidates = candidates.filter(path__startswith=home.path)
    ends = headline_period_ends(visible.filter(unit__in=candidates))
    if not ends:
        return CockpitStart(unit=home or units_for_cockpit(user).first(), period=None)
    found = {u.pk: u for u in Unit.objects.filter(pk__in=list(ends))}
    best = min(
        found.values(),
        key=lambda u: (-ends[u.pk].toordinal(), u.path.count("/"), u.sort_order, u.code),
    )
    return CockpitStart(unit=best, period=_month_ending(ends[best.pk]))
