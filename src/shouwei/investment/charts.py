"""Chart data for the funnel page, drawn by ``static/shouwei/charts.js`` as a "trend" chart
(a bar series per channel over the stages)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shouwei.indicators.charts import Chart

from .choices import LeadStage
from .selectors import ChannelFunnel


def channel_funnel(rows: list[ChannelFunnel]) -> Chart:
    labels = [str(label) for _v, label in LeadStage.choices]
    total = sum(r.total for r in rows)
    signed = sum(r.signed for r in rows)
    return Chart(
        id="chart-investment-funnel",
        title=_("招商漏斗（按渠道）"),
        data={
            "type": "trend",
            "categories": labels,
            "periods": labels,
            "synthetic": [False] * len(labels),
            "series": [
                {
                    "name": str(r.label),
                    "kind": "bar",
                    "axis": pgettext("unit", "个"),
                    "values": [r.reached[s] for s in LeadStage.values],
                    "labels": [str(r.reached[s]) for s in LeadStage.values],
                }
                for r in rows
            ],
            "texts": {"synthetic": _("模拟数据"), "missing": _("无数据")},
        },
        description=_("共 %(total)s 条线索，已签约 %(signed)s 个")
        % {"total": total, "signed": signed},
    )
