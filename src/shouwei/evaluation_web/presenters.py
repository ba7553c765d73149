"""A saved run as the page and the export show it: rows in rank order, the rank interval as
bar geometry, and the "what it takes" panel. Everything comes from the run's stored JSON, so a
saved run reads the same however the data have changed since."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from shouwei.core.formatting import format_number, format_percent, format_rank, with_unit
from shouwei.core.periods import Period
from shouwei.indicators.choices import RankBasis

from .choices import Method, MissingPolicy, Normalisation, WeightMethod
from .models import EvaluationRun

# The interval bar is drawn in an SVG whose viewBox is BAR_WIDTH wide; ranks 1…n are spread
# between the two pads so that the end ranks' markers are not cut off.
BAR_WIDTH = 100.0
BAR_PAD = 4.0
MIN_INTERVAL_WIDTH = 1.5


@dataclass(frozen=True)
class ResultRow:
    code: str
    name: str
    is_home: bool
    score: float
    rank: int
    median: int | None
    p05: int | None
    p95: int | None
    p_first: float | None
    p_within_k: float | None
    x_rank: float
    x_low: float
    x_width: float
    x_median: float

    @property
    def interval_label(self) -> str:
        if self.p05 is None:
            return "—"
        if self.p05 == self.p95:
            return format_rank(self.p05)
        return _("第%(low)s—%(high)s名") % {"low": self.p05, "high": self.p95}


@dataclass(frozen=True)
class ChangeRow:
    name: str
    current: str
    required: str
    change: str
    relative: str
    new_rank: str
    cheapest: bool
    reachable: bool


class RunView:
    def __init__(self, run: EvaluationRun) -> None:
        self.run = run
        self.results = run.results

    @property
    def period(self) -> Period:
        return self.run.period_obj

    @property
    def method_label(self) -> str:
        return Method(self.run.method).label

    @property
    def normalisation_label(self) -> str:
        return Normalisation(self.results.get("normalisation", self.run.normalisation)).label

    @property
    def weights_label(self) -> str:
        return WeightMethod(self.run.weights["kind"]).label

    @property
    def missing_label(self) -> str:
        return MissingPolicy(self.run.missing).label

    @property
    def warnings(self) -> list[str]:
        return self.results.get("warnings", [])

    @property
    def excluded(self) -> list[str]:
        return self.results.get("excluded", [])

    @property
    def uncertainty(self) -> dict | None:
        return self.results.get("uncertainty")

    @property
    def unit_count(self) -> int:
        return len(self.results["units"])

    @property
    def k(self) -> int:
        return self.run.target_rank

    @cached_property
    def indicators(self) -> list[dict]:
        rows = []
        for ind in self.results["indicators"]:
            rows.append(
                {
                    **ind,
                    "basis_label": RankBasis(ind["basis"]).label,
                    "direction_label": _("正向") if ind["direction"] > 0 else _("逆向"),
                    "weight_text": format_number(ind["weight"], 4)
                    if ind["weight"] is not None
                    else _("已剔除"),
                }
            )
        return rows

    def _x(self, rank: float) -> float:
        n = self.unit_count
        return BAR_PAD + (rank - 1) / max(n - 1, 1) * (BAR_WIDTH - 2 * BAR_PAD)

    @cached_property
    def rows(self) -> list[ResultRow]:
        r = self.results
        u = self.uncertainty
        out = []
        for i, unit in enumerate(r["units"]):
            low = high = median = None
            x_low, x_width = self._x(r["ranks"][i]), 0.0
            if u is not None:
                low, median, high = u["p05"][i], u["median"][i], u["p95"][i]
                x_low = self._x(low) - MIN_INTERVAL_WIDTH / 2
                x_width = self._x(high) - self._x(low) + MIN_INTERVAL_WIDTH
            out.append(
                ResultRow(
                    code=unit["code"],
                    name=unit["name"],
                    is_home=unit["code"] == self.run.subject.code,
                    score=r["scores"][i],
                    rank=r["ranks"][i],
                    median=median,
                    p05=low,
                    p95=high,
                    p_first=u["p_first"][i] if u else None,
                    p_within_k=u["p_within_k"][i] if u else None,
                    x_rank=self._x(r["ranks"][i]),
                    x_low=x_low,
                    x_width=x_width,
                    x_median=self._x(median) if median is not None else self._x(r["ranks"][i]),
                )
            )
        return sorted(out, key=lambda row: (row.rank, row.name))

    @property
    def home(self) -> ResultRow | None:
        return next((row for row in self.rows if row.is_home), None)

    @property
    def axis_ticks(self) -> list[tuple[int, float]]:
        return [(rank, self._x(rank)) for rank in range(1, self.unit_count + 1)]

    @property
    def what_it_takes(self) -> dict | None:
        return self.results.get("what_it_takes")

    @cached_property
    def changes(self) -> list[ChangeRow]:
        wit = self.what_it_takes
        if not wit:
            return []
        meta = {ind["code"]: ind for ind in self.results["indicators"]}
        out = []
        for c in wit["changes"]:
            ind = meta[c["indicator"]]
            growth = ind["basis"] == RankBasis.GROWTH
            suffix = "%" if growth else ind["measure"]
            change_suffix = "个百分点" if growth else ind["measure"]
            reachable = c["required"] is not None
            change = c["change"]
            out.append(
                ChangeRow(
                    name=ind["name"],
                    current=with_unit(format_number(c["current"], 2), suffix),
                    required=(
                        with_unit(format_number(c["required"], 2), suffix) if reachable else "—"
                    ),
                    change=(
                        with_unit(
                            f"{'+' if change > 0 else ''}{format_number(change, 2)}", change_suffix
                        )
                        if reachable
                        else _("单项调整无法前进")
                    ),
                    relative=format_percent(c["relative_change"], 1)
                    if c["relative_change"] is not None
                    else "—",
                    new_rank=format_rank(c["new_rank"]) if c["new_rank"] else "—",
                    cheapest=c["indicator"] == wit["cheapest"],
                    reachable=reachable,
                )
            )
        return out


def export_rows(view: RunView) -> list[list]:
    """Header + one row per unit, in rank order; the parameters follow below the table."""
    k = view.k
    rows: list[list] = [
        [
            _("名次"),
            _("单位"),
            _("综合得分"),
            _("名次中位数"),
            _("名次区间下限(5%)"),
            _("名次区间上限(95%)"),
            _("P(第1名)"),
            _("P(名次≤%(k)s)") % {"k": k},
        ]
    ]
    for row in view.rows:
        rows.append(
            [
                row.rank,
                row.name,
                row.score,
                row.median if row.median is not None else "",
                row.p05 if row.p05 is not None else "",
                row.p95 if row.p95 is not None else "",
                row.p_first if row.p_first is not None else "",
                row.p_within_k if row.p_within_k is not None else "",
            ]
        )
    run = view.run
    rows.append([])
    rows.append([_("比较组"), run.group.name])
    rows.append([_("期间"), view.period.label])
    rows.append([_("集成方法"), view.method_label])
    rows.append([_("标准化方法"), view.normalisation_label])
    rows.append([_("权重"), view.weights_label])
    for ind in view.indicators:
        rows.append(
            [
                _("指标"),
                ind["name"],
                ind["basis_label"],
                ind["direction_label"],
                ind["weight"] if ind["weight"] is not None else _("已剔除"),
            ]
        )
    rows.append([_("蒙特卡洛抽样次数"), run.mc_draws])
    rows.append([_("随机种子"), str(run.seed)])
    if run.synthetic:
        rows.append([_("说明"), _("含模拟数据（演示用，非公布数据）")])
    for warning in view.warnings:
        rows.append([_("提示"), warning])
    return rows
