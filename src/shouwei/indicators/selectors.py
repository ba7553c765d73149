"""Reads for pages, exports, the API and reports (HackSoft: selectors read).

Every function takes the user and starts from ``visible_to(user)``; query counts do not grow
with the number of indicators or units (tests pin them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from shouwei.core.models import PeerGroup, PeerGroupMembership, Unit
from shouwei.core.periods import Period, PeriodKind

from .choices import ObservationStatus, RankBasis
from .lights import GREY, Light, target_light
from .models import Indicator, Observation, Target
from .ranking import competition_ranks


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
    exact = [o for o in candidates if o.period == period.code]
    if exact:
        return exact[0]
    fallback = [o for o in candidates if o.indicator.cumulative or o.period_kind != "month"]
    return fallback[0] if fallback else (candidates[0] if candidates else None)


def rank_entries(
    units: list[Unit], observations: dict[int, Observation | None], indicator: Indicator, basis: str
) -> list[RankEntry]:
    """Rank from peers' figures when at least two peers have one; otherwise fall back to the
    published ranks (公布排名)."""
    figures = [_figure(observations.get(u.pk), basis) for u in units]
    enough = sum(f is not None for f in figures) >= 2
    ranks = (
        competition_ranks(figures, lower_is_better=indicator.lower_is_better)
        if enough
        else [None] * len(units)
    )
    return [
        RankEntry(
            unit=u,
            figure=f,
            computed_rank=r,
            published_rank=(
                observations.get(u.pk).published_rank if observations.get(u.pk) else None
            ),
            observation=observations.get(u.pk),
        )
        for u, f, r in zip(units, figures, ranks, strict=True)
    ]


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
    ):
        obs_by_unit[o.unit_id].append(o)
    chosen = {u.pk: pick_observation(obs_by_unit.get(u.pk, []), p) for u in units}
    return Ranking(
        group=group,
        indicator=indicator,
        period=p,
        basis=basis,
        entries=rank_entries(units, chosen, indicator, basis),
    )


@dataclass
class KpiCard:
    indicator: Indicator
    observation: Observation | None
    rank: RankEntry | None = None
    group: PeerGroup | None = None
    group_size: int | None = None
    targets: list[tuple[Target, Light]] = field(default_factory=list)

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


def cockpit_for(*, unit: Unit, period: str | Period, user) -> Cockpit:
    p = Period.parse(period)
    indicators = list(Indicator.objects.select_related("owner_unit"))
    ind_by_pk = {i.pk: i for i in indicators}

    memberships = list(
        PeerGroupMembership.objects.filter(unit=unit, year=p.year).select_related("group")
    )
    default_group = memberships[0].group if memberships else None
    group_pks = [m.group_id for m in memberships]
    members: dict[int, list[Unit]] = defaultdict(list)
    for m in (
        PeerGroupMembership.objects.filter(group_id__in=group_pks, year=p.year)
        .select_related("unit", "group")
        .order_by("unit__sort_order", "unit__code")
    ):
        members[m.group_id].append(m.unit)
    peer_pks = {u.pk for us in members.values() for u in us} | {unit.pk}

    observations = (
        Observation.objects.visible_to(user)
        .filter(unit_id__in=peer_pks, period_end=p.end)
        .select_related("rank_group", "entered_by", "approved_by")
    )
    by_unit_ind: dict[tuple[int, int], list[Observation]] = defaultdict(list)
    for o in observations:
        o.indicator = ind_by_pk[o.indicator_id]
        by_unit_ind[(o.unit_id, o.indicator_id)].append(o)
    # Peers' figures count only when approved; the unit's own draft shows as a draft.
    chosen = {key: pick_observation(obs, p) for key, obs in by_unit_ind.items()}

    history: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for ind_id, end, value in (
        Observation.objects.visible_to(user)
        .approved()
        .filter(
            unit=unit,
            period_end__year__lt=p.year,
            period_kind=PeriodKind.MONTH,
            value__isnull=False,
        )
        .values_list("indicator_id", "period_end", "value")
    ):
        history[ind_id][end.year][end.month] = value

    targets = list(
        Target.objects.visible_to(user)
        .filter(unit=unit, year=p.year)
        .select_related("indicator", "rank_group")
    )
    targets_by_ind: dict[int | None, list[Target]] = defaultdict(list)
    for t in targets:
        targets_by_ind[t.indicator_id].append(t)

    cards_by_cat: dict[str, list[KpiCard]] = defaultdict(list)
    target_lights: list[tuple[Target, Light]] = []
    has_synthetic = False
    for ind in indicators:
        obs = chosen.get((unit.pk, ind.pk))
        if obs is None and not targets_by_ind.get(ind.pk):
            continue
        has_synthetic |= bool(obs and obs.synthetic)
        group = obs.rank_group if obs and obs.rank_group_id else default_group
        basis = (
            obs.rank_basis
            if obs and obs.rank_basis
            else (RankBasis.GROWTH if obs and obs.growth is not None else RankBasis.VALUE)
        )
        rank = None
        if group is not None and group.pk in members:
            peer_obs = {
                u.pk: (
                    o
                    if (o := chosen.get((u.pk, ind.pk)))
                    and (o.status == ObservationStatus.APPROVED or u.pk == unit.pk)
                    else None
                )
                for u in members[group.pk]
            }
            entries = rank_entries(members[group.pk], peer_obs, ind, basis)
            rank = next((e for e in entries if e.unit.pk == unit.pk), None)
        elif obs is not None and obs.published_rank is not None:
            rank = RankEntry(
                unit=unit,
                figure=_figure(obs, basis),
                computed_rank=None,
                published_rank=obs.published_rank,
                observation=obs,
            )
        card = KpiCard(
            indicator=ind,
            observation=obs,
            rank=rank,
            group=group,
            group_size=len(members.get(group.pk, [])) if group else None,
        )
        expected = seasonal_share(history.get(ind.pk, {}), p.end_month) or Decimal(p.end_month) / 12
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
    for t in targets_by_ind.get(None, []):
        target_lights.append((t, GREY))

    from .choices import Category

    categories = [
        (c.value, c.label, cards_by_cat[c.value]) for c in Category if cards_by_cat.get(c.value)
    ]
    periods = list(
        Observation.objects.visible_to(user)
        .filter(unit=unit)
        .order_by("-period_end")
        .values_list("period", flat=True)
        .distinct()[:36]
    )
    return Cockpit(
        unit=unit,
        period=p,
        categories=categories,
        targets=target_lights,
        periods_available=periods,
        has_synthetic=has_synthetic,
    )


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
    return list(qs)


def rank_history(*, unit: Unit, indicator: Indicator, user) -> list[tuple[str, int | None]]:
    """Published (or stored) ranks of the unit over periods."""
    return [
        (o.period, o.published_rank)
        for o in indicator_series(unit=unit, indicator=indicator, user=user)
        if o.published_rank is not None
    ]


def observation_list(user):
    return Observation.objects.visible_to(user).select_related(
        "unit", "indicator", "reporting_unit", "rank_group", "entered_by", "approved_by"
    )


def units_for_cockpit(user):
    """Units a user can open a cockpit for: those they hold a role at, and peers."""
    return Unit.objects.visible_to(user).exclude(kind__in=["department", "street"])
