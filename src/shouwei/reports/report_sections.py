"""The indicator-based parts of the written reports: one section per indicator category (the
headings of the half-year analysis, in the article's order), the monthly 月分析 table and
charts, and the 要情 brief's headline.

Each sentence is put together by ``core.phrasing`` rules from the unit's approved figures
(``selectors.facts_for``: the cockpit's selector, stored ranks included) — never from stored
text. The apps' record-based parts register under the same keys with ``part_weight`` 20+.
"""

from __future__ import annotations

from decimal import Decimal

from shouwei.core.choices import UnitKind
from shouwei.core.formatting import format_trimmed, round_half_up
from shouwei.core.models import Unit
from shouwei.core.periods import Period
from shouwei.core.phrasing import (
    change_phrase,
    months_phrase,
    ordinal,
    period_phrase,
    rank_change_phrase,
)
from shouwei.core.reporting import (
    BRIEF,
    HALF_YEAR,
    MONTHLY,
    Chart,
    Figure,
    Paragraph,
    Run,
    Section,
    Series,
    Source,
    Table,
    register_report_section,
)
from shouwei.indicators.choices import Category, IndicatorKind
from shouwei.indicators.models import Observation

from .selectors import Fact, facts_for, previous_period

# Section weights in the order the article reads; 下半年目标 (90) is the sections helper's.
WEIGHTS = {
    Category.ECONOMY: 10,
    Category.PROJECTS: 20,
    Category.INVESTMENT: 30,
    Category.INNOVATION: 40,
    Category.EPIDEMIC: 50,
    Category.ENTERPRISE: 60,
    Category.LIVELIHOOD: 70,
    Category.CIVILISATION: 80,
    Category.SAFETY: 82,
    Category.TRADE: 84,
    Category.ASSESSMENT: 86,
}
PART = "indicators"
PART_WEIGHT = 10
# A brief says a few lines per section.
BRIEF_ITEMS = 3
# 15000 人次 is written 1.5万人次 from this size on.
TEN_THOUSAND = Decimal(10000)


# --- lineage ------------------------------------------------------------------------------


def observation_source(obs: Observation) -> Source:
    """The observation a figure was read from: its page, and how it entered the platform
    (导入批次 #N / 录入人 / 审核人 时间)."""
    parts = []
    if obs.import_batch_id:
        parts.append(f"导入批次 #{obs.import_batch_id}")
    if obs.entered_by_id:
        parts.append(f"录入人 {obs.entered_by}")
    if obs.approved_by_id:
        when = obs.approved_at.strftime("%Y-%m-%d %H:%M") if obs.approved_at else ""
        parts.append(f"审核人 {obs.approved_by} {when}".strip())
    if obs.source:
        parts.append(f"来源 {obs.source}")
    if obs.synthetic:
        parts.append("模拟数据")
    return Source(label=f"观测值 #{obs.pk}", url=obs.get_absolute_url(), detail="；".join(parts))


# --- figures as the zone writes them ------------------------------------------------------


def amount_text(value: Decimal, fact: Fact) -> str:
    """354家, 5亿元, 9.54亿元, 91.24%, 1.5万人次: the value rounded to the indicator's decimals
    without trailing zeros, and its measure."""
    measure = fact.indicator.measure
    if measure == "人次" and abs(value) >= TEN_THOUSAND:
        return f"{_plain(value / TEN_THOUSAND, fact.indicator.decimals + 4)}万人次"
    return f"{_plain(value, fact.indicator.decimals)}{measure}"


def _plain(value: Decimal, decimals: int) -> str:
    return format_trimmed(value, decimals)


def rank_scope(unit: Unit) -> str:
    """How the report names the ranking's scope: 全市 for a unit under a city, 全省 under a
    province, 全国 otherwise."""
    parent = unit.parent
    if parent is not None and parent.kind == UnitKind.CITY:
        return "全市"
    if parent is not None and parent.kind == UnitKind.PROVINCE:
        return "全省"
    return "全国"


def fact_runs(fact: Fact, *, unit: Unit, period: Period, prefix: str = "") -> list[Run]:
    """One indicator's clause: "GDP增长6.9%，居全市第一" / "科技型中小企业入库354家" /
    "在全市争先创优B类单位中排名第一"."""
    obs = fact.observation
    ind = fact.indicator
    src = (observation_source(obs),)
    key = f"{prefix}{ind.code}"
    name = ind.display_name if ind.category == Category.ECONOMY else ind.name
    runs: list[Run] = []
    if ind.kind == IndicatorKind.ASSESSMENT or (fact.value is None and fact.growth is None):
        if fact.rank is None:
            return []
        group = fact.rank_group_name
        runs += [f"{ind.name}在{rank_scope(unit)}{group}中排名"]
        runs.append(Figure(f"{key}.rank", ordinal(fact.rank), fact.rank, src))
        return runs + _rank_change(fact, key)
    runs.append(name)
    if fact.value is not None:
        runs.append(Figure(f"{key}.value", amount_text(fact.value, fact), fact.value, src))
    if fact.growth is not None:
        g = round_half_up(fact.growth, 1)
        if fact.value is not None:
            runs.append("，同比")
        if g.is_zero():
            runs.append(Figure(f"{key}.growth", "持平", fact.growth, src))
        else:
            runs.append("增长" if g > 0 else "下降")
            runs.append(Figure(f"{key}.growth", f"{abs(g):.1f}%", fact.growth, src))
        before = fact.previous
        if before is not None and before.growth is not None:
            earlier = previous_period(period)
            runs.append(f"，增速较{months_phrase(earlier)}")
            runs.append(
                Figure(
                    f"{key}.change",
                    change_phrase(fact.growth - before.growth),
                    fact.growth - before.growth,
                    (*src, observation_source(before)),
                )
            )
    if fact.rank is not None:
        verb = "居" if fact.rank <= 3 else "位列"
        runs.append(f"，{verb}{rank_scope(unit)}")
        runs.append(Figure(f"{key}.rank", ordinal(fact.rank), fact.rank, src))
        runs += _rank_change(fact, key)
    return runs


def _rank_change(fact: Fact, key: str) -> list[Run]:
    # Only a move is said: "与上期持平" after every rank would bury the ones that moved.
    if fact.previous_rank is None or fact.previous_rank == fact.rank:
        return []
    phrase = rank_change_phrase(fact.rank, fact.previous_rank)
    if not phrase:
        return []
    src = tuple(observation_source(o) for o in (fact.observation, fact.previous) if o)
    return ["，", Figure(f"{key}.rank_change", phrase, fact.rank - fact.previous_rank, src)]


def _stated(facts: dict, category: str | None = None) -> list[Fact]:
    chosen = [
        f
        for f in facts.values()
        if f.observation is not None and (category is None or f.indicator.category == category)
    ]
    return sorted(chosen, key=lambda f: (f.indicator.sort_order, f.indicator.code))


def _sentence(
    facts: list[Fact], *, unit: Unit, period: Period, lead: str, prefix: str = ""
) -> Paragraph:
    runs: list[Run] = [lead]
    first = True
    for fact in facts:
        clause = fact_runs(fact, unit=unit, period=period, prefix=prefix)
        if not clause:
            continue
        if not first:
            runs.append("；")
        runs += clause
        first = False
    runs.append("。")
    return Paragraph(runs=runs)


def _lead(category: str, facts: list[Fact], unit: Unit, period: Period) -> str:
    when = period_phrase(period)
    if category == Category.ECONOMY:
        ranks = [f.rank for f in facts if f.rank is not None]
        if ranks and max(ranks) <= 3:
            return f"{when}，主要经济指标名列{rank_scope(unit)}前茅："
        return f"{when}，主要经济指标："
    return f"{when}，"


def category_builder(category: str):
    def build(*, user, unit: Unit, period, kind: str) -> Section | None:
        p = Period.parse(period)
        stated = _stated(facts_for(user=user, unit=unit, period=p), category)
        if kind == BRIEF:
            stated = stated[:BRIEF_ITEMS]
        if not stated:
            return None
        lead = _lead(category, stated, unit, p)
        paragraph = _sentence(stated, unit=unit, period=p, lead=lead)
        if not any(isinstance(r, Figure) for r in paragraph.runs):
            return None
        return Section(key=category, title=str(Category(category).label), blocks=[paragraph])

    build.__name__ = f"{category}_indicators"
    return build


for _category in Category:
    register_report_section(
        _category.value,
        title=_category.label,
        weight=WEIGHTS[_category],
        build=category_builder(_category.value),
        kinds=(HALF_YEAR, BRIEF),
        part=PART,
        part_weight=PART_WEIGHT,
    )


# --- the monthly 月分析: every indicator in one table, and its charts ----------------------

MONTHLY_KEY = "monthly-indicators"


def _light_text(fact: Fact) -> str:
    if not fact.targets:
        return "—"
    return "、".join(light.label for _t, light in fact.targets)


def monthly_table(*, user, unit: Unit, period, kind: str) -> Section | None:
    p = Period.parse(period)
    stated = sorted(
        _stated(facts_for(user=user, unit=unit, period=p)),
        key=lambda f: (WEIGHTS[Category(f.indicator.category)], f.indicator.sort_order),
    )
    if not stated:
        return None
    rows: list[list[Run]] = []
    for fact in stated:
        ind, src = fact.indicator, (observation_source(fact.observation),)
        key = f"table.{ind.code}"
        value: Run = (
            Figure(f"{key}.value", amount_text(fact.value, fact), fact.value, src)
            if fact.value is not None
            else "—"
        )
        growth: Run = (
            Figure(f"{key}.growth", f"{round_half_up(fact.growth, 1):.1f}%", fact.growth, src)
            if fact.growth is not None
            else "—"
        )
        rank: Run = (
            Figure(f"{key}.rank", ordinal(fact.rank), fact.rank, src)
            if fact.rank is not None
            else "—"
        )
        change: Run = "—"
        before = fact.previous
        if before is not None and fact.growth is not None and before.growth is not None:
            delta = fact.growth - before.growth
            change = Figure(
                f"{key}.change",
                change_phrase(delta),
                delta,
                (*src, observation_source(before)),
            )
        elif fact.rank is not None and fact.previous_rank is not None:
            change = Figure(
                f"{key}.rank_change",
                rank_change_phrase(fact.rank, fact.previous_rank),
                fact.rank - fact.previous_rank,
                src,
            )
        label = str(Category(ind.category).label)
        rows.append([label, ind.name, value, growth, rank, _light_text(fact), change])
    blocks: list = [
        Paragraph(runs=[f"{period_phrase(p)}各项指标完成情况如下表（仅含已审核数据）。"]),
        Table(
            headers=["类别", "指标", "数值", "同比增长", "排名", "目标灯", "较上月"],
            rows=rows,
        ),
    ]
    grown = [f for f in stated if f.growth is not None]
    if grown:
        blocks.append(
            Chart(
                key="growth",
                title="主要指标同比增速",
                kind="bar",
                categories=[f.indicator.display_name for f in grown],
                series=[Series("同比增长", [float(f.growth) for f in grown])],
                unit="%",
            )
        )
    ranked = [f for f in stated if f.rank is not None]
    if ranked:
        blocks.append(
            Chart(
                key="ranks",
                title="指标排名",
                kind="hbar",
                categories=[f.indicator.display_name for f in ranked],
                series=[Series("名次", [float(f.rank) for f in ranked])],
                unit="名",
            )
        )
    return Section(key=MONTHLY_KEY, title="主要指标月度分析", blocks=blocks)


register_report_section(
    MONTHLY_KEY,
    title="主要指标月度分析",
    weight=5,
    build=monthly_table,
    kinds=(MONTHLY,),
    part=PART,
    part_weight=PART_WEIGHT,
)


# --- the 要情 brief's headline: the headline figures and ranks, the red lights -------------

BRIEF_KEY = "brief-headline"


def brief_headline(*, user, unit: Unit, period, kind: str) -> Section | None:
    p = Period.parse(period)
    facts = facts_for(user=user, unit=unit, period=p)
    headline = _stated(facts, Category.ECONOMY)
    blocks: list = []
    if headline:
        blocks.append(
            _sentence(
                headline,
                unit=unit,
                period=p,
                lead=_lead(Category.ECONOMY, headline, unit, p),
                prefix="headline.",
            )
        )
    red = [
        (fact, target, light)
        for fact in sorted(facts.values(), key=lambda f: f.indicator.sort_order)
        for target, light in fact.targets
        if light.colour == "red"
    ]
    if red:
        runs: list[Run] = ["亮红灯的目标："]
        for i, (fact, target, light) in enumerate(red):
            if i:
                runs.append("；")
            src = (observation_source(fact.observation),) if fact.observation else ()
            runs.append(f"{target.name}（")
            runs.append(Figure(f"headline.red.{target.pk}", light.reason, None, src))
            runs.append("）")
        runs.append("。")
        blocks.append(Paragraph(runs=runs))
    if not blocks:
        return None
    return Section(key=BRIEF_KEY, title="要情", blocks=blocks)


register_report_section(
    BRIEF_KEY,
    title="要情",
    weight=1,
    build=brief_headline,
    kinds=(BRIEF,),
    part=PART,
    part_weight=PART_WEIGHT,
)
