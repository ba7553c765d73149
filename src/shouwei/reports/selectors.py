"""Reads for the written reports: the unit's approved indicator figures for a period (through
the cockpit's selector, so a report and the 驾驶舱 cannot disagree), the figures left out
because they are not approved, the report list.

Every read starts from ``visible_to(user)``: a report never shows more than its author may see.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from shouwei.core.models import Unit
from shouwei.core.periods import Period, PeriodKind
from shouwei.core.permissions import can_create
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.lights import Light
from shouwei.indicators.models import Indicator, Observation, Target
from shouwei.indicators.selectors import KpiCard, cockpit_for

from .models import Report


@dataclass
class Fact:
    """One indicator's figure for the unit: what a sentence of the report states."""

    indicator: Indicator
    observation: Observation | None
    rank: int | None
    rank_group_name: str
    group_size: int | None
    targets: list[tuple[Target, Light]]
    previous: Observation | None = None
    previous_rank: int | None = None

    @property
    def value(self) -> Decimal | None:
        return None if self.observation is None else self.observation.value

    @property
    def growth(self) -> Decimal | None:
        return None if self.observation is None else self.observation.growth


def previous_period(period: Period) -> Period | None:
    """The period a report compares with ("change vs last period"): the month before for a
    month (none in January: the year-to-date starts again), the quarter before for a quarter
    within the year, the first quarter for the first half (上半年 vs 一季度), the first three
    quarters for the second half; none for a year."""
    match period.kind:
        case PeriodKind.MONTH:
            return None if period.index == 1 else period.shift(-1)
        case PeriodKind.QUARTER:
            return None if period.index == 1 else period.shift(-1)
        case PeriodKind.HALF:
            return Period(period.year, PeriodKind.QUARTER, 1 if period.index == 1 else 3)
    return None


def _card_rank(card: KpiCard) -> int | None:
    # The rank the city published for the group stands first (it is the official figure, what
    # the zone reports); else the stored/computed rank among the group's approved figures.
    if card.rank is None:
        return None
    return card.rank.published_rank or card.rank.computed_rank


_facts_cache: ContextVar[dict | None] = ContextVar("report_facts", default=None)


@contextmanager
def one_read():
    """Within a build, every section reads the unit's facts once (the cockpit selector runs
    once per period, not once per section)."""
    token = _facts_cache.set({})
    try:
        yield
    finally:
        _facts_cache.reset(token)


def _read_facts(*, user, unit: Unit, period: Period) -> dict[int, Fact]:
    # Reports print the cards, not the peer charts: no peer figure read (150 units a month).
    cockpit = cockpit_for(unit=unit, period=period, user=user, peer_comparison=False)
    facts: dict[int, Fact] = {}
    for _key, _label, cards in cockpit.categories:
        for card in cards:
            facts[card.indicator.pk] = Fact(
                indicator=card.indicator,
                observation=card.observation,
                rank=_card_rank(card),
                rank_group_name=card.group.name if card.group else "",
                group_size=card.group_size,
                targets=list(card.targets),
            )
    # Lineage (import batch, who entered and approved) for the unit's own figures, one query.
    pks = [f.observation.pk for f in facts.values() if f.observation is not None]
    full = {
        o.pk: o
        for o in Observation.objects.visible_to(user)
        .filter(pk__in=pks)
        .select_related("import_batch", "entered_by", "approved_by", "indicator")
    }
    for fact in facts.values():
        if fact.observation is not None:
            fact.observation = full.get(fact.observation.pk, fact.observation)
    return facts


def facts_for(*, user, unit: Unit, period: str | Period) -> dict[int, Fact]:
    """Indicator pk → the unit's approved figure, rank and target lights for ``period``, and
    the same for the previous period (``previous_period``) to say what changed."""
    p = Period.parse(period)
    cache = _facts_cache.get()
    key = (getattr(user, "pk", None), unit.pk, p.code)
    if cache is not None and key in cache:
        return cache[key]
    facts = _read_facts(user=user, unit=unit, period=p)
    before = previous_period(p)
    if before is not None:
        earlier = _read_facts(user=user, unit=unit, period=before)
        for pk, fact in facts.items():
            old = earlier.get(pk)
            if old is not None:
                fact.previous, fact.previous_rank = old.observation, old.rank
    if cache is not None:
        cache[key] = facts
    return facts


def excluded_observations(*, user, unit: Unit, period: str | Period) -> list[Observation]:
    """The unit's figures for the period the user may see that are not approved: a report
    lists them as left out and never prints them."""
    p = Period.parse(period)
    return list(
        Observation.objects.visible_to(user)
        .filter(unit=unit, period_end=p.end)
        .exclude(status=ObservationStatus.APPROVED)
        .select_related("indicator")
        .order_by("indicator__category", "indicator__sort_order", "pk")
    )


def observation_versions(pks: list[int]) -> list[tuple[int, int]]:
    """(pk, last history id) of each observation: what the data version digests."""
    return list(
        Observation.history.filter(id__in=pks)
        .values("id")
        .annotate(last=Max("history_id"))
        .values_list("id", "last")
        .order_by("id")
    )


def units_for_reports(user):
    """The units a user may build reports for: those they may see and where the report
    contract lets them add one (their own units and those below)."""
    units = Unit.objects.visible_to(user).order_by("path", "sort_order", "code")
    allowed = [u.pk for u in units if can_create(user, Report, u)]
    return units.filter(pk__in=allowed)


def unit_by_code(*, user, code: str) -> Unit | None:
    """The unit with ``code`` if ``user`` may build its reports; None alike for an unknown
    code and a unit out of reach (no leak of which units exist)."""
    unit = Unit.objects.visible_to(user).filter(code=code).first()
    if unit is None or not can_create(user, Report, unit):
        return None
    return unit


def report_list(user):
    return Report.objects.visible_to(user).select_related("unit", "built_by")


def previous_build(*, user, report: Report) -> Report | None:
    """The last successful build of the same kind, unit and period before ``report``."""
    return (
        Report.objects.visible_to(user)
        .filter(
            kind=report.kind,
            unit=report.unit,
            period=report.period,
            status="built",
            document__isnull=False,
        )
        .exclude(pk=report.pk)
        .filter(pk__lt=report.pk)
        .order_by("-pk")
        .first()
    )
