"""Stored ranks (``StoredRank``): computed when approved figures change, read by the cockpit's
rank histories instead of re-ranking every peer's history on each page view.

``refresh_ranks`` is the one writer: it recomputes a set of cells from the approved figures and
the year's memberships as they stand in the database, ranked as ``selectors.PeerCell`` ranks
(the one ranking definition: competition ranks, direction-aware) — by the database's
``RANK()`` where each member has one figure (``_Cells``, the same rows: the tests compare them
with ``ranking_for``), by ``PeerCell`` itself where a member has several. Every path that
changes what a cell ranks calls it, through the entry points below:

* an observation saved or deleted through the ORM while approved before or after (approve,
  correct, a rejected or deleted approved figure, the admin, the tests' factories): the
  ``post_save``/``post_delete`` receivers connected in ``apps.IndicatorsConfig.ready``;
* a peer group membership added, changed or removed (``group × year``);
* an indicator's direction (``lower_is_better``) or cumulation changed;
* the bulk writers that send no signal: the observation importer's commit and rollback, the
  demo loaders — each once for all the cells it touched;
* ``shouwei ranks rebuild`` for an existing database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from django.db import connections, router, transaction
from django.db.models import DateField, DecimalField

from shouwei.core.models import PeerGroupMembership, Unit
from shouwei.core.periods import PeriodKind
from shouwei.imports.bulk import _insert

from .choices import Direction, ObservationStatus, RankBasis
from .models import Indicator, Observation, StoredRank
from .selectors import (
    RANK_ROW_FIELDS,
    PeerCell,
    RankRow,
    _longer_periods_ending,
    _month_ending,
    pick_observation,
)

WRITE_CHUNK = 2000


@dataclass(frozen=True)
class Scope:
    """Cells to recompute: one peer group in one year, for these indicators (None: all) at
    these period ends (None: every period end of the year)."""

    group_id: int
    year: int
    indicator_ids: frozenset[int] | None = None
    period_ends: frozenset[date] | None = None


def refresh_ranks(scopes: Iterable[Scope]) -> int:
    """Recompute every cell of ``scopes`` from the database; returns the rows written. No
    query at all for no scope (a write that touched no approved figure)."""
    merged: dict[tuple[int, int], list[Scope]] = defaultdict(list)
    for s in scopes:
        merged[(s.group_id, s.year)].append(s)
    if not merged:
        return 0
    with transaction.atomic():
        return _refresh(merged)


def _refresh(merged: dict[tuple[int, int], list[Scope]]) -> int:
    members_of: dict[tuple[int, int], list[Unit]] = defaultdict(list)
    for m in PeerGroupMembership.objects.filter(
        group_id__in={g for g, _y in merged}, year__in={y for _g, y in merged}
    ).select_related("unit"):
        members_of[(m.group_id, m.year)].append(m.unit)
    indicators = {i.pk: i for i in Indicator.objects.all()}
    written = 0
    for (group_id, year), parts in merged.items():
        ind_ids = _union(p.indicator_ids for p in parts)
        ends = _union(p.period_ends for p in parts)
        stale = StoredRank.objects.filter(group_id=group_id, period_end__year=year)
        if ind_ids is not None:
            stale = stale.filter(indicator_id__in=ind_ids)
        if ends is not None:
            stale = stale.filter(period_end__in=ends)
        stale._raw_delete(stale.db)  # nothing points at a stored rank: no cascade to collect
        members = members_of.get((group_id, year), [])
        if not members:
            continue
        cells = _Cells(group_id, year, ind_ids, ends)
        several = cells.with_several_candidates()
        written += cells.rank_the_others(len(members), several)
        if several:
            rows = _compute(group_id, year, members, ind_ids, ends, indicators, only=several)
            _write(rows)
            written += len(rows)
    return written


@dataclass(frozen=True)
class _Cells:
    """A group's cells in one year, ranked in the database where that is the whole story:
    every member has one approved figure at the period end (nearly every cell; all of the
    province's 1,080,000 stored ranks at 120 months). ``pick_observation`` then picks that
    figure for the month and for every longer period ending then, so the cell has month rows
    only, and ``RANK()`` over the figures, best first, is ``competition_ranks`` (a tie shares
    the rank, the next skips). Cells where a member has several figures ending then (2022-06
    and 2022H1) are left to ``_compute`` and ``PeerCell``. Ranked in Python, the province's
    cells took minutes of reading, ranking and writing back; here the rows never leave the
    server."""

    group_id: int
    year: int
    ind_ids: set | None
    ends: set | None

    def _approved(self) -> tuple[str, list]:
        conn = connections[router.db_for_write(StoredRank)]
        qn = conn.ops.quote_name
        sql = (
            f"FROM {qn(Observation._meta.db_table)} o "
            f"JOIN {qn(Indicator._meta.db_table)} i ON i.id = o.indicator_id "
            f"JOIN {qn(PeerGroupMembership._meta.db_table)} m ON m.unit_id = o.unit_id "
            "AND m.group_id = %s AND m.year = %s "
            "WHERE o.status = %s AND o.period_end BETWEEN %s AND %s"
        )
        params: list = [
            self.group_id,
            self.year,
            ObservationStatus.APPROVED.value,
            date(self.year, 1, 1),
            date(self.year, 12, 31),
        ]
        for column, values in (("o.indicator_id", self.ind_ids), ("o.period_end", self.ends)):
            if values is not None:
                values = sorted(values)
                sql += f" AND {column} IN ({', '.join(['%s'] * len(values))})"
                params += values
        return sql, params

    def with_several_candidates(self) -> set[tuple[int, date]]:
        """The (indicator, period end) cells where some member has more than one figure."""
        approved, params = self._approved()
        with connections[router.db_for_write(StoredRank)].cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT o.indicator_id, o.period_end {approved} "
                "GROUP BY o.indicator_id, o.period_end, o.unit_id HAVING COUNT(*) > 1",
                params,
            )
            return {(ind, _as_date(end)) for ind, end in cursor.fetchall()}

    def rank_the_others(self, size: int, several: set[tuple[int, date]]) -> int:
        """INSERT the stored ranks of the cells not in ``several``; returns the rows written."""
        conn = connections[router.db_for_write(StoredRank)]
        qn = conn.ops.quote_name
        approved, params = self._approved()
        skip, skip_params = "", []
        if several:
            pairs = sorted(several)
            skip = " AND NOT ({})".format(
                " OR ".join(["(o.indicator_id = %s AND o.period_end = %s)"] * len(pairs))
            )
            skip_params = [x for pair in pairs for x in pair]

        def rank(column: str) -> str:
            # Best first: the smallest figure where lower is better, else the largest. Those
            # without a figure on this basis are a partition of their own and get no rank.
            return (
                f"RANK() OVER (PARTITION BY o.indicator_id, o.period_end, o.{column} IS NULL "
                f"ORDER BY CASE WHEN i.direction = %s THEN o.{column} ELSE -o.{column} END)"
            )

        columns = ", ".join(qn(StoredRank._meta.get_field(name).column) for name in COLUMNS)
        sql = (
            f"INSERT INTO {qn(StoredRank._meta.db_table)} ({columns}) "
            "SELECT %s, indicator_id, period_end, %s, unit_id, id, value, growth, "
            "CASE WHEN value IS NOT NULL AND values_n >= 2 THEN value_rank END, "
            "CASE WHEN growth IS NOT NULL AND growths_n >= 2 THEN growth_rank END, "
            # Another member's figure is simulated: the cell's count less the row's own.
            "%s, synthetic_n - synthetic_own > 0 "
            "FROM (SELECT o.id, o.unit_id, o.indicator_id, o.period_end, o.value, o.growth, "
            "CASE WHEN o.synthetic THEN 1 ELSE 0 END AS synthetic_own, "
            "SUM(CASE WHEN o.synthetic THEN 1 ELSE 0 END) OVER cell AS synthetic_n, "
            "COUNT(o.value) OVER cell AS values_n, COUNT(o.growth) OVER cell AS growths_n, "
            f"{rank('value')} AS value_rank, {rank('growth')} AS growth_rank "
            f"{approved}{skip} WINDOW cell AS (PARTITION BY o.indicator_id, o.period_end)) ranked"
        )
        lower = Direction.LOWER.value
        head = [self.group_id, PeriodKind.MONTH.value, size, lower, lower]
        with conn.cursor() as cursor:
            cursor.execute(sql, [*head, *params, *skip_params])
            return cursor.rowcount


def _as_date(value) -> date:
    # SQLite returns a raw DATE column as its text.
    return date.fromisoformat(value) if isinstance(value, str) else value


# The columns a stored rank is written with, in the order ``_compute`` builds its rows.
COLUMNS = (
    "group",
    "indicator",
    "period_end",
    "period_kind",
    "unit",
    "observation",
    "value",
    "growth",
    "value_rank",
    "growth_rank",
    "group_size",
    "peers_synthetic",
)


def _write(rows: list[list]) -> None:
    """INSERT the rows with ``executemany`` (SQLite) or COPY (PostgreSQL): ``bulk_create``
    caps an SQLite statement at 999 parameters and compiles every value, which made a
    province's 324,000 rows take minutes (nothing listens for a stored rank's signals).

    The rows are plain lists, not model instances, and only the dates and decimals go through
    their field's preparation: the integers, booleans and Nones are what the driver takes as
    they are. Both were most of the refresh's time (profiled: 594,000 ``get_db_prep_save``
    calls, each looking the connection up through its thread-local proxy, for 54,000 rows)."""
    if not rows:
        return
    conn = connections[router.db_for_write(StoredRank)]
    fields = [StoredRank._meta.get_field(name) for name in COLUMNS]
    adapted = [(i, f) for i, f in enumerate(fields) if isinstance(f, (DateField, DecimalField))]
    for row in rows:
        for i, f in adapted:
            row[i] = f.get_db_prep_save(row[i], conn)
    _insert(conn, StoredRank._meta.db_table, [f.column for f in fields], rows, WRITE_CHUNK)


def _union(sets: Iterable[frozenset | None]) -> set | None:
    out: set = set()
    for s in sets:
        if s is None:
            return None
        out |= s
    return out


def _compute(group_id, year, members, ind_ids, ends, indicators, only=None) -> list[list]:
    """The cells' stored ranks as rows in ``COLUMNS`` order (of the ``only`` cells, when
    given: (indicator id, period end) pairs)."""
    member_pks = {u.pk for u in members}
    approved = Observation.objects.filter(
        status=ObservationStatus.APPROVED,
        unit_id__in=member_pks,
        period_end__gte=date(year, 1, 1),
        period_end__lte=date(year, 12, 31),
    )
    if ind_ids is not None:
        approved = approved.filter(indicator_id__in=ind_ids)
    if ends is not None:
        approved = approved.filter(period_end__in=ends)
    if only is not None:
        approved = approved.filter(
            indicator_id__in={ind for ind, _end in only}, period_end__in={end for _i, end in only}
        )
    cells: dict[tuple[int, date], dict[int, list[RankRow]]] = defaultdict(lambda: defaultdict(list))
    for values in approved.values_list(*RANK_ROW_FIELDS).order_by():
        row = RankRow(*values)
        row.indicator = indicators[row.indicator_id]
        cells[(row.indicator_id, row.period_end)][row.unit_id].append(row)
    out = []
    size = len(members)
    for (ind_pk, end), by_unit in cells.items():
        if only is not None and (ind_pk, end) not in only:
            continue
        candidates = {pk: sorted(rows, key=_row_order) for pk, rows in by_unit.items()}
        at_month = _month_ending(end)
        month = {pk: pick_observation(rows, at_month) for pk, rows in candidates.items()}
        out += _cell_rows(group_id, indicators[ind_pk], end, PeriodKind.MONTH, month, members, size)
        if all(len(rows) == 1 for rows in candidates.values()):
            continue  # one figure per member: every period ending then picks the same
        for period in _longer_periods_ending(end):
            chosen = {pk: pick_observation(rows, period) for pk, rows in candidates.items()}
            if any(chosen[pk].pk != month[pk].pk for pk in chosen):
                out += _cell_rows(
                    group_id, indicators[ind_pk], end, period.kind, chosen, members, size
                )
    return out


def _cell_rows(group_id, indicator, end, kind, chosen, members, size) -> list[list]:
    """One cell's rows (each member with a figure picked for a period of ``kind``)."""
    by_basis = {
        basis: {
            e.unit.pk: e
            for e in PeerCell(
                members=members, chosen=chosen, indicator=indicator, basis=basis
            ).entries()
        }
        for basis in (RankBasis.VALUE, RankBasis.GROWTH)
    }
    synthetic = sum(1 for o in chosen.values() if o.synthetic)
    return [
        [
            group_id,
            indicator.pk,
            end,
            str(kind),
            pk,
            obs.pk,
            obs.value,
            obs.growth,
            by_basis[RankBasis.VALUE][pk].computed_rank,
            by_basis[RankBasis.GROWTH][pk].computed_rank,
            size,
            # PeerCell.peers_synthetic, counted once for the cell rather than per unit.
            synthetic - (1 if obs.synthetic else 0) > 0,
        ]
        for pk, obs in chosen.items()
    ]


def _row_order(row: RankRow) -> int:
    # Several candidates for one unit's cell (2022-06 and 2022H1 both end on 30 June): the
    # readers pick among them in primary-key order, as the database returns them unordered
    # only when there is one.
    return row.pk


# --- entry points: which cells a write touches --------------------------------------------------


def scopes_for_observations(keys: Iterable[tuple[int, int, date]]) -> list[Scope]:
    """The cells of the ``(unit_id, indicator_id, period_end)`` keys: each group the unit is a
    member of in that year."""
    keys = set(keys)
    if not keys:
        return []
    groups_of: dict[tuple[int, int], list[int]] = defaultdict(list)
    for unit_id, group_id, year in PeerGroupMembership.objects.filter(
        unit_id__in={k[0] for k in keys}, year__in={k[2].year for k in keys}
    ).values_list("unit_id", "group_id", "year"):
        groups_of[(unit_id, year)].append(group_id)
    wanted: dict[tuple[int, int], tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for unit_id, ind_id, end in keys:
        for group_id in groups_of.get((unit_id, end.year), []):
            inds, ends = wanted[(group_id, end.year)]
            inds.add(ind_id)
            ends.add(end)
    return [
        Scope(group_id=g, year=y, indicator_ids=frozenset(i), period_ends=frozenset(e))
        for (g, y), (i, e) in wanted.items()
    ]


@dataclass
class _Pending:
    keys: set = field(default_factory=set)
    pairs: set = field(default_factory=set)
    indicators: set = field(default_factory=set)


_pending: ContextVar[_Pending | None] = ContextVar("shouwei_ranks_pending", default=None)


@contextmanager
def batched():
    """Collect what the writes inside the block touch and refresh it once at the end, in the
    same transaction: a loader or an importer writing thousands of figures (or memberships)
    one by one recomputes each cell once, not once per write. Nested blocks join the outer."""
    if _pending.get() is not None:
        yield
        return
    pending = _Pending()
    token = _pending.set(pending)
    try:
        with transaction.atomic():
            yield
            _pending.reset(token)
            token = None
            pairs = set(pending.pairs)
            scopes = [Scope(group_id=g, year=y) for g, y in pairs]
            scopes += [
                s
                for s in scopes_for_observations(pending.keys)
                if (s.group_id, s.year) not in pairs
            ]
            if pending.indicators:
                scopes += [
                    Scope(group_id=g, year=y, indicator_ids=frozenset(pending.indicators))
                    for g, y in _all_group_years()
                    if (g, y) not in pairs
                ]
            refresh_ranks(scopes)
    finally:
        if token is not None:
            _pending.reset(token)


def _all_group_years() -> set[tuple[int, int]]:
    return set(PeerGroupMembership.objects.values_list("group_id", "year").distinct())


def refresh_for_observations(keys: Iterable[tuple[int, int, date]]) -> int:
    """Refresh the cells of these ``(unit_id, indicator_id, period_end)`` keys."""
    if (pending := _pending.get()) is not None:
        pending.keys.update(keys)
        return 0
    return refresh_ranks(scopes_for_observations(keys))


def refresh_for_group_years(pairs: Iterable[tuple[int, int]]) -> int:
    """Refresh every cell of these ``(group_id, year)`` pairs (a membership changed)."""
    if (pending := _pending.get()) is not None:
        pending.pairs.update(pairs)
        return 0
    return refresh_ranks(Scope(group_id=g, year=y) for g, y in set(pairs))


def refresh_for_indicator(indicator_id: int) -> int:
    """Refresh the indicator's cells in every group and year (its direction changed)."""
    if (pending := _pending.get()) is not None:
        pending.indicators.add(indicator_id)
        return 0
    return refresh_ranks(
        Scope(group_id=g, year=y, indicator_ids=frozenset({indicator_id}))
        for g, y in _all_group_years()
    )


@transaction.atomic
def rebuild_ranks() -> int:
    """Every stored rank recomputed from scratch (``shouwei ranks rebuild``)."""
    everything = StoredRank.objects.all()
    everything._raw_delete(everything.db)
    return refresh_ranks(Scope(group_id=g, year=y) for g, y in _all_group_years())


# --- the ORM receivers ---------------------------------------------------------------------------


def _observation_key(obs) -> tuple[int, int, date] | None:
    if obs.unit_id is None or obs.indicator_id is None or obs.period_end is None:
        return None
    return (obs.unit_id, obs.indicator_id, obs.period_end)


def _observation_saved(sender, instance, raw=False, created=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_ranked_state", None)
    keys = set()
    if before is not None and before[0] == ObservationStatus.APPROVED:
        keys.add(before[1])
    if instance.status == ObservationStatus.APPROVED or (before is None and not created):
        # An instance read with its status deferred may have been approved: refresh its cell.
        keys.add(_observation_key(instance))
    keys.discard(None)
    if keys:
        refresh_for_observations(keys)
    instance._ranked_state = (instance.status, _observation_key(instance))


def _observation_deleted(sender, instance, **kwargs) -> None:
    before = getattr(instance, "_ranked_state", None) or (
        instance.status,
        _observation_key(instance),
    )
    if before[0] == ObservationStatus.APPROVED and before[1] is not None:
        refresh_for_observations([before[1]])


def _membership_loaded_pair(instance) -> tuple[int, int] | None:
    return getattr(instance, "_ranked_pair", None)


def _membership_pre_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._ranked_pair = None
        return
    instance._ranked_pair = (
        PeerGroupMembership.objects.filter(pk=instance.pk).values_list("group_id", "year").first()
    )


def _membership_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    pairs = {(instance.group_id, instance.year)}
    old = _membership_loaded_pair(instance)
    if old is not None:
        pairs.add(tuple(old))
    refresh_for_group_years(pairs)


def _membership_deleted(sender, instance, **kwargs) -> None:
    refresh_for_group_years([(instance.group_id, instance.year)])


def _indicator_pre_save(sender, instance, raw=False, **kwargs) -> None:
    instance._ranked_rules = (
        None
        if raw or instance.pk is None
        else Indicator.objects.filter(pk=instance.pk).values_list("direction", "cumulative").first()
    )


def _indicator_saved(sender, instance, raw=False, created=False, **kwargs) -> None:
    before = getattr(instance, "_ranked_rules", None)
    if raw or created or before is None:
        return
    if tuple(before) != (instance.direction, instance.cumulative):
        refresh_for_indicator(instance.pk)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    for signal, receiver, model, name in (
        (post_save, _observation_saved, Observation, "observation"),
        (post_delete, _observation_deleted, Observation, "observation-delete"),
        (pre_save, _membership_pre_save, PeerGroupMembership, "membership-pre"),
        (post_save, _membership_saved, PeerGroupMembership, "membership"),
        (post_delete, _membership_deleted, PeerGroupMembership, "membership-delete"),
        (pre_save, _indicator_pre_save, Indicator, "indicator-pre"),
        (post_save, _indicator_saved, Indicator, "indicator"),
    ):
        signal.connect(receiver, sender=model, dispatch_uid=f"indicators-ranks-{name}")
