"""Chart data for the project page, drawn by ``static/shouwei/charts.js`` as a "trend" chart
(the plan's even pace as a line, the year-to-date completed as bars, both in 亿元)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from shouwei.core.formatting import format_measure
from shouwei.indicators.charts import Chart

from .models import Project
from .selectors import progress_series

YI = "亿元"


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def plan_vs_completed(project: Project, *, year: int) -> Chart:
    points = progress_series(project, year=year)
    completed = [p["completed"] for p in points]
    planned = [p["planned"] for p in points]
    last = next((p for p in reversed(points) if p["completed"] is not None), None)
    return Chart(
        id="chart-project-progress",
        title=_("%(year)s年计划与完成") % {"year": year},
        data={
            "type": "trend",
            "categories": [f"{int(p['period'][5:7])}月" for p in points],
            "periods": [p["period"] for p in points],
            "synthetic": [False] * len(points),
            "series": [
                {
                    "name": _("累计完成（亿元）"),
                    "kind": "bar",
                    "axis": YI,
                    "values": [_float(v) for v in completed],
                    "labels": [format_measure(v, YI) for v in completed],
                },
                {
                    "name": _("计划进度（亿元）"),
                    "kind": "line",
                    "axis": YI,
                    "values": [_float(v) for v in planned],
                    "labels": [format_measure(v, YI) for v in planned],
                },
            ],
            "texts": {"synthetic": _("模拟数据"), "missing": _("无数据")},
        },
        description=_("%(name)s %(year)s年按月累计完成投资与计划进度，最新 %(period)s 累计 %(v)s")
        % {
            "name": project.name,
            "year": year,
            "period": last["period"] if last else "—",
            "v": format_measure(last["completed"] if last else None, YI),
        },
    )
