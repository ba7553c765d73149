"""Chart data for ``static/shouwei/charts.js``: plain JSON built from selector results.

Pages put each chart's data in the page with ``{{ chart.data|json_script:chart.id }}`` (the CSP
allows no inline script) next to an element ``data-chart="<id>"``; charts.js turns the data into
ECharts options. Numbers go out as floats for the geometry only: every figure a reader sees —
bar labels, tooltips — is formatted here by ``core.formatting``, the one number formatter.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shouwei.core.formatting import format_growth, format_measure, format_rank, unit_label
from shouwei.core.models import Unit

from .choices import RankBasis
from .models import Indicator
from .selectors import PeerSeries, RankPoint, TrendPoint


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    data: dict
    description: str  # read out by screen readers (aria-label): the chart's gist in words
    indicator: Indicator | None = None  # the chart's title links to this indicator's page


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def figure_text(value: Decimal | None, indicator: Indicator, basis: str) -> str:
    if basis == RankBasis.GROWTH:
        return format_growth(value)
    return format_measure(value, indicator.measure, indicator.decimals)


def _texts() -> dict[str, str]:
    return {
        "synthetic": _("模拟数据"),
        "missing": _("无数据"),
        "rank": _("第{n}名"),
        "computed": _("计算排名"),
        "published": _("公布排名"),
    }


def peer_bars(series: PeerSeries, *, unit: Unit) -> Chart:
    """Horizontal bars, best first, ``unit`` highlighted: where the unit stands among peers."""
    ind = series.indicator
    entries = series.ordered
    mine = next((e for e in entries if e.unit.pk == unit.pk), None)
    growth = series.basis == RankBasis.GROWTH
    what = _("同比增速") if growth else unit_label(ind.measure) or _("数值")
    return Chart(
        id=f"chart-peers-{ind.code}",
        title=ind.display_name,
        data={
            "type": "bars",
            "name": what,
            "axis": "%" if growth else unit_label(ind.measure),
            "categories": [e.unit.display_name for e in entries],
            "values": [_float(e.figure) for e in entries],
            "labels": [figure_text(e.figure, ind, series.basis) for e in entries],
            "ranks": [format_rank(e.computed_rank) for e in entries],
            "highlight": [e.unit.pk == unit.pk for e in entries],
            "synthetic": [bool(e.observation and e.observation.synthetic) for e in entries],
            "texts": _texts(),
        },
        description=_("%(indicator)s%(what)s在%(group)s中的比较：%(unit)s%(figure)s，%(rank)s")
        % {
            "indicator": ind.display_name,
            "what": what,
            "group": series.group.name,
            "unit": unit.display_name,
            "figure": figure_text(mine.figure if mine else None, ind, series.basis),
            "rank": format_rank(mine.computed_rank if mine else None, len(entries)),
        },
        indicator=ind,
    )


def trend(points: list[TrendPoint], *, indicator: Indicator, chart_id: str) -> Chart:
    """The unit's figures over periods: the value as bars, the YoY growth as a line."""
    obs = [pt.observation for pt in points]
    series = []
    if any(o.value is not None for o in obs):
        series.append(
            {
                "name": _("数值（%(m)s）") % {"m": unit_label(indicator.measure)}
                if indicator.measure
                else _("数值"),
                "kind": "bar",
                "axis": unit_label(indicator.measure),
                "values": [_float(o.value) for o in obs],
                "labels": [figure_text(o.value, indicator, RankBasis.VALUE) for o in obs],
            }
        )
    if any(o.growth is not None for o in obs):
        series.append(
            {
                "name": _("同比增速"),
                "kind": "line",
                "axis": "%",
                "values": [_float(o.growth) for o in obs],
                "labels": [format_growth(o.growth) for o in obs],
            }
        )
    last = points[-1] if points else None
    return Chart(
        id=chart_id,
        title=indicator.display_name,
        data={
            "type": "trend",
            "categories": [pt.label for pt in points],
            "periods": [o.period for o in obs],
            "synthetic": [o.synthetic for o in obs],
            "series": series,
            "texts": _texts(),
        },
        description=_("%(indicator)s走势，%(first)s至%(last)s，最新%(figure)s")
        % {
            "indicator": indicator.display_name,
            "first": points[0].label if points else "—",
            "last": last.label if last else "—",
            "figure": " ".join(s["labels"][-1] for s in series) if series else "—",
        },
        indicator=indicator,
    )


def rank_history(histories: list[tuple[Indicator, list[RankPoint]]], *, chart_id: str) -> Chart:
    """Ranks over periods on an inverted axis (第1名 at the top), computed and published."""
    ends = sorted({pt.period_end: pt.label for _i, pts in histories for pt in pts}.items())
    labels = [label for _end, label in ends]
    index = {end: i for i, (end, _label) in enumerate(ends)}
    series = []
    for ind, points in histories:
        computed: list[int | None] = [None] * len(ends)
        published: list[int | None] = [None] * len(ends)
        for pt in points:
            computed[index[pt.period_end]] = pt.computed_rank
            published[index[pt.period_end]] = pt.published_rank
        series.append({"name": ind.display_name, "computed": computed, "published": published})
    synthetic = {pt.period_end for _i, pts in histories for pt in pts if pt.peers_synthetic}
    size = max((pt.group_size for _i, pts in histories for pt in pts), default=1)
    latest = [
        pgettext("indicator and its rank", "%(indicator)s%(rank)s")
        % {
            "indicator": ind.display_name,
            "rank": format_rank(pts[-1].computed_rank or pts[-1].published_rank),
        }
        for ind, pts in histories
        if pts
    ]
    return Chart(
        id=chart_id,
        title=_("排名走势"),
        data={
            "type": "rank",
            "categories": labels,
            "max": max(size, 1),
            "series": series,
            "synthetic": [end in synthetic for end, _label in ends],
            "texts": _texts(),
        },
        description=_("排名走势（第1名在上），最新：%(latest)s")
        % {"latest": pgettext("list separator", "，").join(latest)},
    )
