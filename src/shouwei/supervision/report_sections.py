"""The 下阶段目标 section of the written reports: the year's 首位目标 with their lights
(督查亮灯, ``supervision.lights``; a goal bound to an indicator target takes the target's
light) and the indicator targets no goal is bound to, with the foundation's target light
(``indicators.lights``) — all as of the end of the period (or today, when earlier).

The heading is registered once for every period (the registry fixes it), so it says
下阶段目标; the text opens with the phase the period leaves: 下半年 after the first half.
"""

from __future__ import annotations

from shouwei.core import clock
from shouwei.core.generic.naming import list_url, url_for
from shouwei.core.periods import PeriodKind
from shouwei.core.phrasing import count_phrase
from shouwei.core.reporting import (
    BRIEF,
    HALF_YEAR,
    Figure,
    Paragraph,
    Section,
    Source,
    Table,
    register_report_section,
)

from . import selectors
from .models import Goal

TITLE = "下阶段目标"
COLOUR_WORDS = {
    "green": "绿灯",
    "yellow": "黄灯",
    "red": "红灯",
    "done": "已完成",
    "grey": "无数据",
}
COLOUR_ORDER = ("red", "yellow", "green", "done", "grey")


def phase_of(period) -> str:
    """下半年 after the first half (2022H1, 2022Q2, 2022-06), 下阶段 otherwise."""
    return "下半年" if period.end_month == 6 and period.kind != PeriodKind.YEAR else "下阶段"


def _goals_url(**params) -> str:
    return list_url(Goal, **params)


def target_section(*, user, unit, period, kind) -> Section | None:
    day = min(clock.today(), period.end)
    year = period.year
    goals = selectors.goals_under(user, unit, year=year, today=day)
    targets = selectors.unbound_targets_with_lights(user, unit, year=year, today=day)
    if not goals and not targets:
        return None
    rows: list[tuple[str, str, str, str, Source]] = []  # (name, stated target, colour, reason)
    for row in goals:
        g = row.goal
        stated = g.target.label if g.target_id and g.target.label else ""
        src = Source(
            f"督查目标 {g.code}", url_for(g), f"{g.source}；责任领导 {g.responsible_leader}"
        )
        rows.append((g.title, stated, row.light.colour, row.light.reason, src))
    for t, light in targets:
        colour = light.colour if light is not None else "grey"
        reason = light.reason if light is not None else "尚无已审核数据"
        src = Source(f"指标目标 {t.name}", url_for(t), f"{t.unit.name} {t.year}年目标")
        rows.append((t.name, t.label, colour, reason, src))
    counts = {c: sum(1 for r in rows if r[2] == c) for c in COLOUR_ORDER}
    list_src = (Source(f"{year}年督查目标", _goals_url(year=year), f"截至{day:%Y-%m-%d}的亮灯"),)
    runs: list = [
        f"{phase_of(period)}，{unit.short_name or unit.name}围绕{year}年首位目标",
        Figure("targets.count", count_phrase(len(rows), "项"), len(rows), list_src),
        "推进：",
    ]
    parts = []
    for colour in COLOUR_ORDER:
        if counts[colour]:
            parts.append(
                [
                    f"{COLOUR_WORDS[colour]}",
                    Figure(
                        f"targets.{colour}",
                        count_phrase(counts[colour], "项"),
                        counts[colour],
                        list_src,
                    ),
                ]
            )
    for i, part in enumerate(parts):
        runs += (["、"] if i else []) + part
    runs.append("。")
    if rows:
        runs.append("其中")
        for i, (name, stated, colour, _reason, src) in enumerate(rows):
            aim = f"目标{stated}，" if stated and stated not in name else ""
            runs += [
                "；" if i else "",
                f"{name}（{aim}",
                Figure(f"targets.goal.{i + 1}", COLOUR_WORDS[colour], None, (src,)),
                "）",
            ]
        runs.append("。")
    blocks: list = [Paragraph(runs)]
    if kind != BRIEF:
        blocks.append(
            Table(
                headers=["目标", "目标表述", "亮灯", "说明"],
                rows=[
                    [
                        name,
                        stated,
                        Figure(f"targets.light.{i + 1}", COLOUR_WORDS[colour], None, (src,)),
                        reason,
                    ]
                    for i, (name, stated, colour, reason, src) in enumerate(rows)
                ],
            )
        )
    return Section(key="targets", title=f"{phase_of(period)}目标", blocks=blocks)


register_report_section(
    "targets",
    title=TITLE,
    weight=90,
    build=target_section,
    kinds=(HALF_YEAR, BRIEF),
    part="records",
    part_weight=20,
)
