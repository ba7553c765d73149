"""Load the Hengyang 2022 demo (from shared/seed/FACTS.md, kept here as data/hengyang.toml).

Idempotent: every record is keyed on its code (units, groups, indicators), on
unit × indicator × period (observations) or on unit × year × name (targets); running the loader
twice creates nothing twice.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.db import transaction

from shouwei.core import clock
from shouwei.core.models import PeerGroup, PeerGroupMembership, Unit
from shouwei.core.periods import Period, period_range
from shouwei.indicators import ranks
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Indicator, Observation, Target

from .registry import DemoContext, LoadReport, decimal_or_none, demo_loaders, read_toml, upsert

SYNTHETIC_SOURCE = "模拟数据（演示用，非公布数据）"
# The demo runs "as of" the half-year meeting its data were gathered for (FACTS.md: 7月29日
# 上半年经济形势分析暨下半年经济工作部署会), so that overdue days, time progress and escalation
# read as they did that day (docs/decisions/0007-demo-clock.md).
AS_OF = date(2022, 7, 29)


@transaction.atomic
def load_hengyang(*, synthetic: bool = True) -> LoadReport:
    """The foundation's data (units, peer groups, indicators, observations, targets, the
    synthetic peers), then every app's registered demo loader (``shouwei.demo.registry``)."""
    data = read_toml("hengyang")
    ctx = DemoContext(report=LoadReport(), synthetic=synthetic)
    # The stored ranks of every cell the load touches are computed once, at the end.
    with ranks.batched():
        units = _load_units(data, ctx.report)
        groups = _load_groups(data, units, ctx.report)
        indicators = _load_indicators(data, units, ctx.report)
        _load_observations(data, units, groups, indicators, ctx.report)
        _load_targets(data, units, groups, indicators, ctx.report)
        if synthetic:
            load_synthetic_peers(groups["hy-5d2p"], indicators, ctx.report)
        for loader in demo_loaders():
            loader.func(ctx)
    return ctx.report


def set_demo_clock(*, real_date: bool = False) -> date | None:
    """What the demo commands do after loading: business "today" becomes ``AS_OF`` (or the
    real date again with ``real_date``). Returns the demo date set, None for real dates."""
    day = None if real_date else AS_OF
    clock.set_demo_date(day)
    return day


def _load_units(data: dict, report: LoadReport) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for row in data["units"]:
        parent = units.get(row.get("parent")) if row.get("parent") else None
        unit, created = upsert(
            Unit,
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row.get("short_name", ""),
                "kind": row["kind"],
                "parent": parent,
                "sort_order": row.get("sort_order", 0),
            },
        )
        units[unit.code] = unit
        report.add("units", created)
    return units


def _load_groups(data: dict, units: dict[str, Unit], report: LoadReport) -> dict[str, PeerGroup]:
    groups: dict[str, PeerGroup] = {}
    for row in data["groups"]:
        group, created = upsert(
            PeerGroup,
            code=row["code"],
            defaults={"name": row["name"], "description": row.get("description", "")},
        )
        groups[group.code] = group
        report.add("groups", created)
        for year, codes in row["members"].items():
            for code in codes:
                _m, created = PeerGroupMembership.objects.get_or_create(
                    group=group, unit=units[code], year=int(year)
                )
                report.add("memberships", created)
    return groups


def _load_indicators(
    data: dict, units: dict[str, Unit], report: LoadReport
) -> dict[str, Indicator]:
    indicators: dict[str, Indicator] = {}
    for row in data["indicators"]:
        ind, created = upsert(
            Indicator,
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row.get("short_name", ""),
                "measure": row.get("measure", ""),
                "kind": row.get("kind", "level"),
                "direction": row.get("direction", "higher"),
                "decimals": row.get("decimals", 2),
                "category": row["category"],
                "owner_unit": units.get(row.get("owner")),
                "cumulative": row.get("cumulative", True),
                "sort_order": row.get("sort_order", 0),
            },
        )
        indicators[ind.code] = ind
        report.add("indicators", created)
    return indicators


def _load_observations(data, units, groups, indicators, report: LoadReport) -> None:
    for row in data["observations"]:
        ind = indicators[row["indicator"]]
        _o, created = upsert(
            Observation,
            unit=units[row.get("unit", "hy-gxq")],
            indicator=ind,
            period=Period.parse(row["period"]).code,
            defaults={
                "value": decimal_or_none(row.get("value")),
                "growth": decimal_or_none(row.get("growth")),
                "published_rank": row.get("published_rank"),
                "rank_group": groups.get(row.get("rank_group")),
                "rank_basis": row.get("rank_basis", ""),
                "reporting_unit": ind.owner_unit,
                "source": data["source"],
                "note": row.get("note", ""),
                "status": ObservationStatus.APPROVED,
                "synthetic": False,
            },
        )
        report.add("observations", created)


def _load_targets(data, units, groups, indicators, report: LoadReport) -> None:
    for row in data["targets"]:
        _t, created = upsert(
            Target,
            unit=units[row.get("unit", "hy-gxq")],
            year=row.get("year", 2022),
            name=row["name"],
            defaults={
                "label": row.get("label", ""),
                "indicator": indicators.get(row.get("indicator")),
                "kind": row["kind"],
                "target_value": decimal_or_none(row.get("target_value")),
                "floor_value": decimal_or_none(row.get("floor_value")),
                "floor_rank": row.get("floor_rank"),
                "stretch_rank": row.get("stretch_rank"),
                "rank_group": groups.get(row.get("rank_group")),
                "responsible_unit": indicators[row["indicator"]].owner_unit
                if row.get("indicator")
                else None,
                "description": row.get("description", ""),
            },
        )
        report.add("targets", created)


SYNTHETIC_INDICATORS = ("gdp", "industrial_va", "service_revenue", "retail_sales")


def load_synthetic_peers(
    group: PeerGroup, indicators: dict[str, Indicator], report: LoadReport
) -> None:
    """Monthly year-to-date growth for the 五区两园 from 2021-01 to 2022-06, labelled 模拟数据.

    The article publishes only the zone's own figures and ranks. The peers' 2022-06 figures are
    drawn so that the ranks computed from them agree with the published ranks; the zone's own
    2022 H1 figure is the published one (no synthetic figure is written over it).
    """
    members = list(
        Unit.objects.filter(peer_memberships__group=group, peer_memberships__year=2022).order_by(
            "sort_order"
        )
    )
    zone = next(u for u in members if u.code == "hy-gxq")
    peers = [u for u in members if u.pk != zone.pk]
    months = period_range("2021-01", "2022-06")
    existing = set(
        Observation.objects.filter(
            indicator__code__in=SYNTHETIC_INDICATORS,
            unit__in=members,
            synthetic=True,
        ).values_list("unit_id", "indicator_id", "period")
    )
    published = {
        o.indicator.code: o
        for o in Observation.objects.filter(
            unit=zone,
            indicator__code__in=SYNTHETIC_INDICATORS,
            period="2022H1",
        ).select_related("indicator")
    }
    rows = []
    for code in SYNTHETIC_INDICATORS:
        ind = indicators[code]
        rng = random.Random(f"shouwei-demo-{code}")
        real = published[code]
        g, r = float(real.growth), real.published_rank
        final: dict[int, float] = {zone.pk: g}
        shuffled = peers[:]
        rng.shuffle(shuffled)
        for i, peer in enumerate(shuffled):
            final[peer.pk] = g + rng.uniform(0.4, 3.0) if i < r - 1 else g - rng.uniform(0.4, 5.0)
        for unit in members:
            level = final[unit.pk] + rng.uniform(-2.5, 2.5)
            for p in months:
                if unit.pk == zone.pk and p.code == "2022-06":
                    continue
                if p.code == "2022-06":
                    value = final[unit.pk]
                else:
                    value = level + rng.uniform(-1.5, 1.5)
                    level = 0.8 * level + 0.2 * final[unit.pk]
                if (unit.pk, ind.pk, p.code) in existing:
                    continue
                rows.append(
                    Observation(
                        unit=unit,
                        indicator=ind,
                        period=p.code,
                        period_kind="month",
                        period_end=p.end,
                        growth=Decimal(f"{value:.1f}"),
                        reporting_unit=ind.owner_unit if unit.pk == zone.pk else None,
                        source=SYNTHETIC_SOURCE,
                        synthetic=True,
                        status=ObservationStatus.APPROVED,
                    )
                )
    Observation.objects.bulk_create(rows, batch_size=500)
    report.add_count("synthetic observations", len(rows))
