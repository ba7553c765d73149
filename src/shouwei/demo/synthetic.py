"""Synthetic city- and province-scale data for scale tests and benchmarks (DESIGN.md, "Scale").

``generate(scale="province")`` builds a province root ``syn-prov`` (模拟省) with 150 zones and
districts, 60 indicators named 模拟指标NN and 36 months of approved, year-to-date observations
(324,000 rows), plus the peer group ``syn-peers`` holding every unit in every year. Every row is
flagged ``synthetic`` and carries the source ``模拟数据（合成，用于规模测试）``.

Each figure is a pure function of (seed, unit number, indicator number, year, month): a
counter-based hash rather than a random stream. So the city scale is a corner of the province
scale (the rows they share are identical), a re-run computes the same figures, and the growth
of a month is computed from the same formula one year earlier rather than from stored rows.

Observations are written in batches by ``shouwei.demo.bulk.RowWriter`` (executemany on
SQLite, COPY on PostgreSQL), which skips ``Observation.save()`` (it fills the period fields)
and the audit history: the period fields are set here, and the rows have no history because
nobody entered them. Units, indicators and the peer group are few and are saved one by one,
so they do get history.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from shouwei.core.choices import UnitKind
from shouwei.core.models import PeerGroup, PeerGroupMembership, Unit
from shouwei.core.periods import Period, PeriodKind
from shouwei.demo.bulk import RowWriter, bulk_loading, defer_upkeep
from shouwei.indicators import ranks
from shouwei.indicators.choices import Category, Direction, IndicatorKind, ObservationStatus
from shouwei.indicators.models import Indicator, Observation, StoredRank

ROOT_CODE = "syn-prov"
ROOT_NAME = "模拟省"
GROUP_CODE = "syn-peers"
GROUP_NAME = "模拟省全部单位"
SOURCE = "模拟数据（合成，用于规模测试）"
LAST_MONTH = Period.parse("2022-12")
BATCH_SIZE = 2000  # peer-group memberships per bulk_create
PROGRESS_EVERY = 20_000
# The first year in which the trend factor is 1; any fixed year would do.
BASE_YEAR = 2020


@dataclass(frozen=True)
class Scale:
    units: int
    indicators: int
    months: int

    @property
    def observations(self) -> int:
        return self.units * self.indicators * self.months


SCALES = {
    "city": Scale(units=15, indicators=30, months=24),
    "province": Scale(units=150, indicators=60, months=36),
}


@dataclass(frozen=True)
class Profile:
    """What kind of statistic a synthetic indicator imitates."""

    measure: str
    kind: str
    direction: str
    cumulative: bool
    decimals: int
    low: float  # the typical level of a unit of average size lies in [low, high]
    high: float


# The shapes of real zone statistics: year-to-date totals (亿元/万元/人次), stocks (家),
# rates where lower is better (失业率-like) or higher is better (产能利用率-like), and a
# total where lower is better (能耗-like).
PROFILES = (
    Profile("亿元", IndicatorKind.LEVEL, Direction.HIGHER, True, 2, 20, 400),
    Profile("万元", IndicatorKind.LEVEL, Direction.HIGHER, True, 1, 500, 50_000),
    Profile("家", IndicatorKind.COUNT, Direction.HIGHER, False, 0, 20, 600),
    Profile("%", IndicatorKind.RATE, Direction.LOWER, False, 2, 2, 8),
    Profile("人次", IndicatorKind.COUNT, Direction.HIGHER, True, 0, 1_000, 80_000),
    Profile("%", IndicatorKind.RATE, Direction.HIGHER, False, 2, 30, 80),
    Profile("万吨标准煤", IndicatorKind.LEVEL, Direction.LOWER, True, 2, 5, 120),
)
CATEGORIES = tuple(c for c in Category if c != Category.ASSESSMENT)


def unit_code(n: int) -> str:
    return f"syn-{n:04d}"


def indicator_code(n: int) -> str:
    return f"syn-ind-{n:02d}"


def profile_for(n: int) -> Profile:
    return PROFILES[(n - 1) % len(PROFILES)]


def generate(
    *,
    scale: str,
    progress: Callable[[str], object] | None = None,
    tick: Callable[[str, int, int], object] | None = None,
    seed: int = 42,
    units: int | None = None,
    indicators: int | None = None,
    months: int | None = None,
) -> dict[str, int | float]:
    """Create the synthetic data for ``scale`` ("city", "province", or "custom" with explicit
    ``units``, ``indicators`` and ``months``); rows that already exist are skipped.

    Months run back from 2022-12. Returns counts of what was created (``units`` includes the
    province root when it was created too), of the observations skipped because they existed,
    and the seconds taken. ``progress`` receives a line of text about every 20,000 rows,
    ``tick(what, done, total)`` the same as numbers (``loaddemo``'s progress bar).
    """
    spec = _spec(scale, units=units, indicators=indicators, months=months)
    say = progress or (lambda _msg: None)
    tick = tick or (lambda *_a: None)
    started = time.monotonic()
    with transaction.atomic():
        unit_objs, new_units = _ensure_units(spec.units)
        ind_objs, new_indicators = _ensure_indicators(spec.indicators)
        periods = [LAST_MONTH - i for i in reversed(range(spec.months))]
        new_memberships = _ensure_group(unit_objs, sorted({p.year for p in periods}))
        # The observations' indexes and keys are built again when their block ends, before
        # the ranking reads them; the stored ranks' when theirs ends.
        with bulk_loading():
            created, skipped = _write_observations(
                unit_objs,
                ind_objs,
                periods,
                seed=seed,
                total=spec.observations,
                say=say,
                tick=tick,
            )
        # The rows are INSERTed in batches, without signals: their stored ranks are computed
        # here, once per group and year.
        group = PeerGroup.objects.get(code=GROUP_CODE)
        written = time.monotonic()
        tick("stored ranks", 0, 1)
        with bulk_loading():
            defer_upkeep(StoredRank)
            ranks.refresh_for_group_years((group.pk, y) for y in {p.year for p in periods})
        tick("stored ranks", 1, 1)
        ranked = time.monotonic()
    return {
        "units": new_units,
        "indicators": new_indicators,
        "memberships": new_memberships,
        "observations": created,
        "skipped": skipped,
        "seconds": round(time.monotonic() - started, 1),
        "ranks_seconds": round(ranked - written, 1),
    }


def _spec(scale: str, *, units: int | None, indicators: int | None, months: int | None) -> Scale:
    if scale == "custom":
        if units is None or indicators is None or months is None:
            raise ValueError("custom 规模须同时给出 units、indicators 和 months")
        spec = Scale(units=units, indicators=indicators, months=months)
    elif scale in SCALES:
        if (units, indicators, months) != (None, None, None):
            raise ValueError(f"{scale} 规模是固定的；自定义数量请用 scale='custom'")
        spec = SCALES[scale]
    else:
        raise ValueError(f"未知的规模“{scale}”：应为 city、province 或 custom")
    # The codes have four digits for units and two for indicators.
    if not (1 <= spec.units <= 9999 and 1 <= spec.indicators <= 99 and 1 <= spec.months <= 600):
        raise ValueError("单位数应在 1—9999，指标数 1—99，月份数 1—600 之间")
    return spec


def _ensure_units(count: int) -> tuple[list[Unit], int]:
    root, created_root = Unit.objects.get_or_create(
        code=ROOT_CODE, defaults={"name": ROOT_NAME, "kind": UnitKind.PROVINCE}
    )
    codes = [unit_code(n) for n in range(1, count + 1)]
    existing = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    created = int(created_root)
    out = []
    for n, code in enumerate(codes, start=1):
        unit = existing.get(code)
        if unit is None:
            zone = n % 2 == 1
            label = "模拟开发区" if zone else "模拟县区"
            unit = Unit(
                code=code,
                name=f"{label}{n:04d}",
                short_name=f"模拟{n:04d}",
                kind=UnitKind.ZONE if zone else UnitKind.DISTRICT,
                parent=root,
                sort_order=n,
            )
            unit.save()
            created += 1
        out.append(unit)
    return out, created


def _ensure_indicators(count: int) -> tuple[list[Indicator], int]:
    codes = [indicator_code(n) for n in range(1, count + 1)]
    existing = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    created = 0
    out = []
    for n, code in enumerate(codes, start=1):
        ind = existing.get(code)
        if ind is None:
            p = profile_for(n)
            ind = Indicator(
                code=code,
                name=f"模拟指标{n:02d}",
                short_name=f"模拟指标{n:02d}",
                measure=p.measure,
                kind=p.kind,
                direction=p.direction,
                decimals=p.decimals,
                category=CATEGORIES[(n - 1) % len(CATEGORIES)],
                cumulative=p.cumulative,
                description=SOURCE,
                sort_order=1000 + n,
            )
            ind.save()
            created += 1
        out.append(ind)
    return out, created


def _ensure_group(units: list[Unit], years: list[int]) -> int:
    group, _created = PeerGroup.objects.get_or_create(
        code=GROUP_CODE, defaults={"name": GROUP_NAME, "description": SOURCE}
    )
    have = set(
        PeerGroupMembership.objects.filter(group=group, year__in=years).values_list(
            "unit_id", "year"
        )
    )
    rows = [
        PeerGroupMembership(group=group, unit=u, year=y)
        for y in years
        for u in units
        if (u.pk, y) not in have
    ]
    PeerGroupMembership.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def _write_observations(
    units: list[Unit],
    indicators: list[Indicator],
    periods: list[Period],
    *,
    seed: int,
    total: int,
    say: Callable[[str], object],
    tick: Callable[[str, int, int], object],
) -> tuple[int, int]:
    scope = Observation.objects.filter(
        unit__in=units, indicator__in=indicators, period__in=[p.code for p in periods]
    )
    # A complete earlier run is the common case: one COUNT instead of fetching every key.
    if scope.count() == total:
        say(f"模拟观测值已存在（{total:,} 条），跳过")
        return 0, total
    have = set(scope.values_list("unit_id", "indicator_id", "period"))
    values, growths = figures(
        seed=seed,
        units=np.arange(1, len(units) + 1),
        indicators=np.arange(1, len(indicators) + 1),
        periods=periods,
    )
    n_ind = len(indicators)
    # A figure's text as the database takes it: rounding through Decimal and the field's
    # preparation gave the same text at a few microseconds a value, two values a row.
    value_formats = [f".{profile_for(n).decimals}f" for n in range(1, n_ind + 1)]
    with_growth = [profile_for(n).kind != IndicatorKind.RATE for n in range(1, n_ind + 1)]
    writer = RowWriter(
        Observation,
        constants={
            "period_kind": PeriodKind.MONTH.value,
            "source": SOURCE,
            "synthetic": True,
            "status": ObservationStatus.APPROVED,
        },
        varying=("unit", "indicator", "period", "period_end", "value", "growth"),
    )
    period_fields = [(p.code, writer.prep("period_end", p.end)) for p in periods]
    no_growth = [None] * len(periods)
    constants = writer.row()
    buffer: list[tuple] = []
    created = 0
    for u, unit in enumerate(units):
        for i, ind in enumerate(indicators):
            fmt = value_formats[i]
            texts = [format(v, fmt) for v in values[u, i].tolist()]
            grown = (
                [format(g, ".1f") for g in growths[u, i].tolist()] if with_growth[i] else no_growth
            )
            buffer.extend(
                (unit.pk, ind.pk, code, end, text, growth, *constants)
                for (code, end), text, growth in zip(period_fields, texts, grown, strict=True)
                if not have or (unit.pk, ind.pk, code) not in have
            )
        if len(buffer) >= PROGRESS_EVERY or u == len(units) - 1:
            writer.insert(buffer)
            created += len(buffer)
            buffer = []
            say(f"模拟观测值：已写入 {created:,} / {total - len(have):,} 条")
            tick("observations", created, total - len(have))
    return created, len(have)


def figures(
    *, seed: int, units: np.ndarray, indicators: np.ndarray, periods: list[Period]
) -> tuple[np.ndarray, np.ndarray]:
    """Values and year-on-year growth (%) for units × indicators × monthly periods.

    Returns two arrays shaped (units, indicators, periods). Growth compares with the same
    month a year earlier, computed from the same formula.
    """
    years = np.array([p.year for p in periods], dtype=np.int64)
    months = np.array([p.index for p in periods], dtype=np.int64)
    u = units.astype(np.int64)[:, None, None]
    i = indicators.astype(np.int64)[None, :, None]
    current = _value(seed, u, i, years[None, None, :], months[None, None, :])
    last_year = _value(seed, u, i, years[None, None, :] - 1, months[None, None, :])
    growth = (current / last_year - 1.0) * 100.0
    return current, growth


def _value(seed: int, u: np.ndarray, i: np.ndarray, year: np.ndarray, month: np.ndarray):
    n_profiles = len(PROFILES)
    profile = (i - 1) % n_profiles
    low = np.array([p.low for p in PROFILES])[profile]
    high = np.array([p.high for p in PROFILES])[profile]
    cumulative = np.array([p.cumulative for p in PROFILES])[profile]
    rate = np.array([p.kind == IndicatorKind.RATE for p in PROFILES])[profile]

    # A unit's size scales all its totals (0.45×–2.2× the typical level); each indicator has
    # its own typical level, log-uniform between the profile's bounds.
    size = np.exp(0.8 * (2 * _uniform(seed, 1, u) - 1))
    typical = low * (high / low) ** _uniform(seed, 2, i)
    trend = 0.07 + 0.10 * (2 * _uniform(seed, 3, u, i) - 1)  # -3 % … +17 % a year

    def annual(y):
        return (
            typical
            * size
            * (1 + trend) ** (y - BASE_YEAR)
            * (1 + 0.04 * (2 * _uniform(seed, 4, u, i, y) - 1))
        )

    noise = 1 + 0.03 * (2 * _uniform(seed, 5, u, i, year * 12 + month) - 1)
    # Year-to-date totals reach the annual figure in December; stocks move from last year's
    # level towards this year's through the months.
    ytd = annual(year) * month / 12
    stock = annual(year - 1) + (annual(year) - annual(year - 1)) * month / 12
    level = np.where(cumulative, ytd, stock) * noise
    rate_value = typical * (0.6 + 0.8 * _uniform(seed, 6, u, i)) * noise
    return np.where(rate, rate_value, level)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _uniform(*keys) -> np.ndarray:
    """A uniform number in [0, 1) determined by ``keys`` alone (splitmix64 over the keys)."""
    with np.errstate(over="ignore"):
        h = np.zeros(1, dtype=np.uint64)
        for key in keys:
            x = h ^ (np.asarray(key).astype(np.uint64) + _GOLDEN)
            x = (x ^ (x >> np.uint64(30))) * _MIX1
            x = (x ^ (x >> np.uint64(27))) * _MIX2
            h = x ^ (x >> np.uint64(31))
    return (h >> np.uint64(11)).astype(np.float64) * 2.0**-53
