"""Reads for investment attraction: every figure comes from lead and contract records, as far
as the user may read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from .choices import LeadStage
from .models import Agency, Contract, Event, Lead, Office

YI = Decimal(10000)  # 万元 per 亿元


def leads(user, unit=None):
    """The leads ``user`` reads, of departments within ``unit`` when one is given."""
    qs = Lead.objects.visible_to(user)
    if unit is not None:
        qs = qs.filter(owner_unit__path__startswith=unit.path)
    return qs


def signed_contracts(user, *, year: int, until: date | None = None, unit=None):
    """Contracts signed in ``year`` (up to ``until``) of leads not lost, that the user reads."""
    qs = Contract.objects.visible_to(user).filter(signed_on__year=year, lead__lost=False)
    if unit is not None:
        qs = qs.filter(lead__owner_unit__path__startswith=unit.path)
    if until is not None:
        qs = qs.filter(signed_on__lte=until)
    return qs


@dataclass
class AttractionSummary:
    year: int
    signed_count: int = 0
    signed_amount: Decimal = Decimal(0)  # 万元
    event_count: int = 0
    event_amount: Decimal = Decimal(0)
    fortune_count: int = 0
    fortune_names: list[str] = field(default_factory=list)
    intended_count: int = 0
    intended_names: list[str] = field(default_factory=list)
    funds_in_place: Decimal = Decimal(0)

    @property
    def signed_amount_yi(self) -> Decimal:
        return self.signed_amount / YI

    @property
    def fulfilment_rate(self) -> Decimal | None:
        """履约率: funds in place / signed amount."""
        return self.funds_in_place / self.signed_amount if self.signed_amount else None


def attraction_summary(
    user, *, year: int, until: date | None = None, unit=None
) -> AttractionSummary:
    """The seed's figures: signed this year (count, amount), of which at major events and
    三类500强, the intended leads still open, and the funds in place against the signed."""
    signed = signed_contracts(user, year=year, until=until, unit=unit)
    totals = signed.aggregate(
        n=Count("pk"),
        amount=Sum("signed_amount"),
        funds=Sum("funds_in_place"),
        events=Count("pk", filter=Q(lead__source_event__isnull=False)),
        event_amount=Sum("signed_amount", filter=Q(lead__source_event__isnull=False)),
    )
    fortune = list(
        signed.filter(lead__fortune_entry__isnull=False)
        .order_by("signed_on", "pk")
        .values_list("lead__short_name", "lead__project_name")
    )
    intended = list(
        leads(user, unit)
        .filter(stage=LeadStage.INTENT, lost=False)
        .order_by("project_name")
        .values_list("short_name", "project_name")
    )
    return AttractionSummary(
        year=year,
        signed_count=totals["n"],
        signed_amount=totals["amount"] or Decimal(0),
        event_count=totals["events"],
        event_amount=totals["event_amount"] or Decimal(0),
        fortune_count=len(fortune),
        fortune_names=[short or name for short, name in fortune],
        intended_count=len(intended),
        intended_names=[short or name for short, name in intended],
        funds_in_place=totals["funds"] or Decimal(0),
    )


BOARD_CARDS = 30  # per column; the column's count links to the whole filtered list


@dataclass
class BoardColumn:
    stage: str
    label: str
    count: int
    cards: list

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def board(user) -> list[BoardColumn]:
    """The pipeline board: a column per stage with its count and its newest leads (at most
    ``BOARD_CARDS``; the rest are a link away). One count query and one per stage, whatever
    the number of leads."""
    qs = leads(user).filter(lost=False)
    counts = dict(qs.values_list("stage").annotate(n=Count("pk")).order_by())
    columns = []
    for value, label in LeadStage.choices:
        cards = []
        if counts.get(value):
            cards = list(
                qs.filter(stage=value)
                .select_related("contract_record")
                .order_by("-lead_on", "-pk")[:BOARD_CARDS]
            )
        columns.append(BoardColumn(value, label, counts.get(value, 0), cards))
    return columns


@dataclass
class ChannelFunnel:
    channel: str
    label: str
    reached: dict[str, int]  # stage -> leads that reached it (or beyond)
    lost: int

    @property
    def total(self) -> int:
        return self.reached.get(LeadStage.LEAD, 0)

    @property
    def signed(self) -> int:
        return self.reached.get(LeadStage.SIGNED, 0)

    @property
    def conversion(self) -> Decimal | None:
        return Decimal(self.signed) / Decimal(self.total) if self.total else None


def funnel(user, qs=None) -> list[ChannelFunnel]:
    """Per channel, how many leads reached each stage (a lead at 签约 reached every stage
    before it), and how many were lost: one grouped query."""
    from .choices import LeadChannel

    rows = (
        (qs if qs is not None else leads(user))
        .values("channel", "stage")
        .annotate(n=Count("pk"), lost_n=Count("pk", filter=Q(lost=True)))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {c: {} for c in LeadChannel.values}
    lost: dict[str, int] = dict.fromkeys(LeadChannel.values, 0)
    for row in rows:
        counts.setdefault(row["channel"], {})[row["stage"]] = row["n"]
        lost[row["channel"]] = lost.get(row["channel"], 0) + row["lost_n"]
    out = []
    for value, label in LeadChannel.choices:
        at = counts.get(value, {})
        reached = {}
        for i, stage in enumerate(LeadStage.values):
            reached[stage] = sum(at.get(s, 0) for s in LeadStage.values[i:])
        out.append(ChannelFunnel(value, label, reached, lost.get(value, 0)))
    return out


@dataclass
class QuarterCell:
    quarter: int
    leads: int = 0  # leads that came in during the quarter
    signed: int = 0  # of them, those that reached 签约 (whether or not lost since)

    @property
    def conversion(self) -> Decimal | None:
        return Decimal(self.signed) / Decimal(self.leads) if self.leads else None


@dataclass
class QuarterRow:
    channel: str
    label: str
    cells: list[QuarterCell]


def funnel_by_quarter(user, *, year: int) -> list[QuarterRow]:
    """The year's four quarters side by side, per channel and in total: the leads that came in
    each quarter and how many of them reached 签约. One grouped query."""
    from django.db.models.functions import ExtractMonth

    from .choices import LeadChannel

    signed_on = LeadStage.values[LeadStage.values.index(LeadStage.SIGNED) :]
    rows = (
        leads(user)
        .filter(lead_on__year=year)
        .annotate(month=ExtractMonth("lead_on"))
        .values("channel", "month")
        .annotate(n=Count("pk"), signed_n=Count("pk", filter=Q(stage__in=signed_on)))
        .order_by()
    )
    cells = {c: [QuarterCell(q) for q in range(1, 5)] for c in LeadChannel.values}
    for row in rows:
        cell = cells.setdefault(row["channel"], [QuarterCell(q) for q in range(1, 5)])[
            (row["month"] - 1) // 3
        ]
        cell.leads += row["n"]
        cell.signed += row["signed_n"]
    out = [QuarterRow(value, str(label), cells[value]) for value, label in LeadChannel.choices]
    total = [
        QuarterCell(
            q, sum(r.cells[q - 1].leads for r in out), sum(r.cells[q - 1].signed for r in out)
        )
        for q in range(1, 5)
    ]
    out.append(QuarterRow("", "", total))
    return out


def overdue_q(today: date) -> Q:
    """A contract with a milestone whose planned date has passed without its actual one (funds:
    the due date passed with less than the signed amount in place)."""
    return (
        Q(registration_planned__lt=today, registration_actual__isnull=True)
        | Q(start_planned__lt=today, start_actual__isnull=True)
        | Q(production_planned__lt=today, production_actual__isnull=True)
        | Q(funds_due_on__lt=today, funds_in_place__lt=F("signed_amount"))
    )


def fulfilment(user, *, today: date, overdue_only: bool = False):
    """Signed contracts (of leads not lost) for the tracker, and the totals: signed, funds in
    place, 履约率, how many have an overdue milestone — in the database, whatever the size."""
    contracts = Contract.objects.visible_to(user).filter(lead__lost=False)
    totals = contracts.aggregate(
        signed=Sum("signed_amount"),
        funds=Sum("funds_in_place"),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    signed, funds = totals["signed"] or Decimal(0), totals["funds"] or Decimal(0)
    rows = contracts.filter(overdue_q(today)) if overdue_only else contracts
    return {
        "contracts": rows.select_related("lead").order_by("signed_on", "pk"),
        "signed": signed,
        "funds": funds,
        "rate": funds / signed if signed else None,
        "overdue": totals["overdue"],
    }


def brought(user, source) -> dict:
    """What an event, office or agency brought: its leads, and the signed among them."""
    field = {Event: "source_event", Office: "source_office", Agency: "source_agency"}[type(source)]
    qs = leads(user).filter(**{field: source}).select_related("contract_record")
    items = list(qs.order_by("-lead_on", "project_name"))
    signed = [lead for lead in items if hasattr(lead, "contract_record")]
    return {
        "leads": items,
        "signed_count": len(signed),
        "signed_amount": sum((lead.contract_record.signed_amount for lead in signed), Decimal(0)),
    }


@dataclass
class StageDuration:
    frm: str
    to: str
    median_days: float | None
    n: int


def stage_durations(qs) -> list[StageDuration]:
    """The median days from each stage to the next, over the leads that reached both (one
    query: the stage dates only)."""
    from statistics import median

    from .choices import STAGE_DATE_FIELDS

    fields = list(STAGE_DATE_FIELDS.values())
    spans: list[list[int]] = [[] for _ in fields[1:]]
    for dates in qs.order_by().values_list(*fields):
        for i in range(len(fields) - 1):
            a, b = dates[i], dates[i + 1]
            if a is not None and b is not None:
                spans[i].append((b - a).days)
    stages = list(STAGE_DATE_FIELDS)
    return [
        StageDuration(stages[i], stages[i + 1], median(s) if s else None, len(s))
        for i, s in enumerate(spans)
    ]


def quarter_leads(user, quarter: str | None):
    """The leads that came in during ``quarter`` (2022Q2), or all."""
    qs = leads(user)
    if quarter:
        year, q = int(quarter[:4]), int(quarter[5])
        start = date(year, 3 * q - 2, 1)
        end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
        qs = qs.filter(lead_on__gte=start, lead_on__lt=end)
    return qs


@dataclass
class LinkGap:
    link: object
    landed: list = field(default_factory=list)  # signed and after, not lost
    pursued: list = field(default_factory=list)  # before signing, not lost

    @property
    def empty(self) -> bool:
        return not self.landed

    @property
    def targets(self) -> list[str]:
        return [t.strip() for t in self.link.target_investors.splitlines() if t.strip()]


def chain_gaps(user) -> list[tuple[object, list[LinkGap]]]:
    """For each industry chain, each link with the projects landed on it (signed or later) and
    those still pursued; a link with none landed is a gap to target. Two queries."""
    from .models import ChainLink, IndustryChain

    chains = list(IndustryChain.objects.visible_to(user).order_by("name"))
    links = list(
        ChainLink.objects.visible_to(user).filter(chain__in=chains).order_by("position", "name")
    )
    gaps = {link.pk: LinkGap(link) for link in links}
    signed_at = LeadStage.order(LeadStage.SIGNED)
    for lead in leads(user).filter(chain_link__in=links, lost=False).order_by("project_name"):
        gap = gaps[lead.chain_link_id]
        (gap.landed if LeadStage.order(lead.stage) >= signed_at else gap.pursued).append(lead)
    by_chain: dict[int, list[LinkGap]] = {c.pk: [] for c in chains}
    for link in links:
        by_chain[link.chain_id].append(gaps[link.pk])
    return [(c, by_chain[c.pk]) for c in chains]


def offices_under(user, unit=None, *, until: date | None = None):
    """The resident offices (驻地招商) the user reads, of departments within ``unit``, set up by
    ``until``: the oldest first."""
    qs = Office.objects.visible_to(user)
    if unit is not None:
        qs = qs.filter(owner_unit__path__startswith=unit.path)
    if until is not None:
        qs = qs.filter(established_on__lte=until)
    return qs.order_by("established_on", "pk")


def signed_by_channel(user, *, year: int, until: date | None = None, unit=None) -> dict[str, int]:
    """Contracts signed in ``year`` (as ``signed_contracts``) per channel of their lead."""
    rows = (
        signed_contracts(user, year=year, until=until, unit=unit)
        .values("lead__channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["lead__channel"]: r["n"] for r in rows}


def contracts_to_fulfil(user, *, year: int, until: date | None = None, unit=None):
    """The contracts signed in ``year`` not yet in production (履约 still to push), the largest
    first, with their leads."""
    return (
        signed_contracts(user, year=year, until=until, unit=unit)
        .filter(production_actual__isnull=True)
        .select_related("lead")
        .order_by("-signed_amount", "signed_on", "pk")
    )


def intended_by(user, unit=None, *, until: date):
    """The intended leads (意向, not lost) the user reads that were found by ``until``."""
    return leads(user, unit).filter(stage=LeadStage.INTENT, lost=False, lead_on__lte=until)


def largest_intended(user, unit=None, *, until: date, limit: int) -> list[str]:
    """The names of the ``limit`` intended leads (``intended_by``) with the largest planned
    investment: the ones a report names "如…等"."""
    rows = (
        intended_by(user, unit, until=until)
        .order_by(F("planned_investment").desc(nulls_last=True), "project_name")
        .values_list("short_name", "project_name")[:limit]
    )
    return [short or name for short, name in rows]
