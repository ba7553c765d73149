"""The 产业生态 part of the written reports: the 驻企联络员 service counted from the liaison
assignments the reader may see (cadres, key enterprises and key projects served), the coverage
of the zone's enterprises (a cadre or the street: 全覆盖, or how many are left), and the
requests handled in the year when there are any."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from shouwei.core import clock
from shouwei.core.formatting import format_percent
from shouwei.core.generic.naming import list_url
from shouwei.core.phrasing import count_phrase
from shouwei.core.reporting import (
    BRIEF,
    HALF_YEAR,
    Figure,
    Paragraph,
    Section,
    Source,
    register_report_section,
)

from . import selectors
from .models import LiaisonAssignment, Request

TITLE = gettext_lazy("产业生态")  # the indicators Category label: one heading


def enterprise_section(*, user, unit, period, kind) -> Section | None:
    today = clock.today()
    day = min(today, period.end)
    cover = selectors.coverage_under(user, unit, day)
    if not cover.cadres:
        # No liaison service ran in the period (no assignment active at its end).
        return None
    detail = f"{day:%Y-%m-%d}在岗的联点安排"
    assigned = (
        Source(
            "联点安排",
            list_url(LiaisonAssignment, unit=unit.pk, current="true")
            if day == today
            else list_url(LiaisonAssignment, unit=unit.pk),
            detail,
        ),
    )
    who = unit.short_name or unit.name
    runs: list = [who]
    if cover.cadres:
        runs += [
            "动员联点企业干部",
            Figure("enterprise.cadres", count_phrase(cover.cadres, "人"), cover.cadres, assigned),
            "，对",
            Figure(
                "enterprise.enterprises",
                count_phrase(cover.by_cadre, "家"),
                cover.by_cadre,
                assigned,
            ),
            "重点企业",
        ]
        if cover.projects:
            runs += [
                "和",
                Figure(
                    "enterprise.projects",
                    count_phrase(cover.projects, "个"),
                    cover.projects,
                    assigned,
                ),
                "重点项目",
            ]
        runs.append("给予全程服务")
    coverage_src = (
        Source("企业覆盖情况", reverse("enterprises:coverage"), "联点干部或所在街道服务的企业"),
    )
    if cover.enterprises:
        runs.append("，" if cover.cadres else "")
        if cover.uncovered == 0:
            runs += [
                "所属街道（办事处）服务小微企业，园区",
                Figure(
                    "enterprise.covered",
                    count_phrase(cover.enterprises, "家"),
                    cover.enterprises,
                    coverage_src,
                ),
                "企业全覆盖",
            ]
        else:
            runs += [
                "园区",
                Figure(
                    "enterprise.total",
                    count_phrase(cover.enterprises, "家"),
                    cover.enterprises,
                    coverage_src,
                ),
                "企业中尚有",
                Figure(
                    "enterprise.uncovered",
                    count_phrase(cover.uncovered, "家"),
                    cover.uncovered,
                    coverage_src,
                ),
                "未落实联点干部或属地街道",
            ]
    runs.append("。")
    blocks: list = [Paragraph(runs)]
    if kind != BRIEF:
        rates = selectors.request_rates(unit, period.year, user=user, today=day)
        if rates.due:
            src = (
                Source("企业诉求", list_url(Request), f"{period.year}年提交、截至{day:%Y-%m-%d}"),
            )
            req: list = [
                "受理企业诉求应办结",
                Figure("enterprise.requests.due", count_phrase(rates.due, "件"), rates.due, src),
                "，按时办结率",
                Figure(
                    "enterprise.requests.on_time",
                    format_percent(rates.on_time_rate),
                    rates.on_time_rate,
                    src,
                ),
            ]
            if rates.rated:
                req += [
                    "，满意率",
                    Figure(
                        "enterprise.requests.satisfied",
                        format_percent(rates.satisfaction_rate),
                        rates.satisfaction_rate,
                        src,
                    ),
                ]
            blocks.append(Paragraph([*req, "。"]))
    return Section(key="enterprise", title=str(TITLE), blocks=blocks)


register_report_section(
    "enterprise",
    title=TITLE,
    weight=60,
    build=enterprise_section,
    kinds=(HALF_YEAR, BRIEF),
    part="records",
    part_weight=20,
)
