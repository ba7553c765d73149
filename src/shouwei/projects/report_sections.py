"""The 重点项目 part of the written reports: counts, investment and completion per level,
aggregated from the project records the reader may see (``selectors.project_summary``).

"1—6月，高新区实施省、市重点项目49个，总投资499.65亿元，年度计划投资124.26亿元。其中省重点项目
2个（…），总投资180亿元，年度计划投资50亿元，完成率84.3%。…" — every figure a ``Figure``
whose source is the project list filtered to exactly the projects it counts. The 区重点 are
not in those totals: the half-year analysis names them in a sentence of their own.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from shouwei.core.formatting import format_percent, prose_measure, round_half_up
from shouwei.core.phrasing import count_phrase, join_list, months_phrase
from shouwei.core.reporting import (
    BRIEF,
    HALF_YEAR,
    Chart,
    Figure,
    Paragraph,
    Section,
    Series,
    Source,
    register_report_section,
)

from . import selectors
from .choices import ProjectLevel

TITLE = gettext_lazy("重点项目")  # the indicators Category label: one heading
NAMED_AT_MOST = 3  # names listed in full up to three, else the first three and 等
LEVEL_SHORT = {
    ProjectLevel.PROVINCIAL: "省",
    ProjectLevel.MUNICIPAL: "市",
    ProjectLevel.DISTRICT: "区",
}


def _source(figures: selectors.Figures) -> tuple[Source, ...]:
    return (
        Source(
            label=f"{figures.label}项目 {figures.count} 个",
            url=figures.url,
            detail="重点项目库：总投资、年度计划与月度进度填报",
        ),
    )


def _money(key: str, value, sources) -> Figure:
    return Figure(key=key, text=prose_measure(value, "亿元"), value=value, sources=sources)


def _level_key(figures: selectors.Figures) -> str:
    return next((level.value for level in ProjectLevel if str(level.label) == figures.label), "all")


def _district_runs(figures: selectors.Figures) -> list:
    """ "另有区重点项目2个，总投资…亿元，年度计划投资…亿元。" (not in the 省、市 totals)."""
    dsrc = _source(figures)
    return [
        f"另有{figures.label}项目",
        Figure("projects.district.count", count_phrase(figures.count, "个"), figures.count, dsrc),
        "，总投资",
        _money("projects.district.total_investment", figures.total_investment, dsrc),
        "，年度计划投资",
        _money("projects.district.planned", figures.planned, dsrc),
        "。",
    ]


def project_section(*, user, unit, period, kind) -> Section | None:
    if not selectors.active_in_year(user, unit, year=period.year):
        return None
    summary = selectors.project_summary(
        unit=unit, year=period.year, month=period.end_month, user=user
    )
    overall = summary.overall
    if overall is None or not overall.count:
        return None
    src = _source(overall)
    levels = "、".join(LEVEL_SHORT[ProjectLevel(_level_key(f))] for f in summary.levels)
    runs: list = [
        f"{months_phrase(period)}，{unit.short_name or unit.name}实施{levels}重点项目",
        Figure("projects.count", count_phrase(overall.count, "个"), overall.count, src),
        "，总投资",
        _money("projects.total_investment", overall.total_investment, src),
        "，年度计划投资",
        _money("projects.planned", overall.planned, src),
        "。",
    ]
    if kind == BRIEF:
        if overall.rate is not None:
            runs[-1:] = [
                "，完成率",
                Figure("projects.rate", format_percent(overall.rate), overall.rate, src),
                "。",
            ]
        return Section(key="projects", title=str(TITLE), blocks=[Paragraph(runs)])
    if len(summary.levels) > 1:
        for i, figures in enumerate(summary.levels):
            key = _level_key(figures)
            lsrc = _source(figures)
            runs += [
                "其中" if i == 0 else "",
                f"{figures.label}项目",
                Figure(
                    f"projects.{key}.count", count_phrase(figures.count, "个"), figures.count, lsrc
                ),
            ]
            names = selectors.project_names(user, unit, level=key, limit=NAMED_AT_MOST + 1)
            if len(names) <= NAMED_AT_MOST:
                runs.append(f"（{join_list(names)}）")
            runs += [
                "，总投资",
                _money(f"projects.{key}.total_investment", figures.total_investment, lsrc),
                "，年度计划投资",
                _money(f"projects.{key}.planned", figures.planned, lsrc),
            ]
            if figures.rate is not None:
                runs += [
                    "，完成率",
                    Figure(
                        f"projects.{key}.rate", format_percent(figures.rate), figures.rate, lsrc
                    ),
                ]
            runs.append("。")
    elif overall.rate is not None:
        runs[-1:] = [
            "，完成率",
            Figure("projects.rate", format_percent(overall.rate), overall.rate, src),
            "。",
        ]
    if summary.district is not None:
        runs += _district_runs(summary.district)
    blocks: list = [Paragraph(runs)]
    rated = [f for f in summary.levels if f.rate is not None]
    if rated:
        blocks.append(
            Chart(
                key="projects.completion",
                title="重点项目年度计划完成率",
                kind="bar",
                categories=[f.label for f in rated],
                series=[
                    Series(
                        name="完成率",
                        values=[float(round_half_up(f.rate * 100, 1)) for f in rated],
                    )
                ],
                unit="%",
            )
        )
    return Section(key="projects", title=str(TITLE), blocks=blocks)


register_report_section(
    "projects",
    title=TITLE,
    weight=20,
    build=project_section,
    kinds=(HALF_YEAR, BRIEF),
    part="records",
    part_weight=20,
)
