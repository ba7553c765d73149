"""The 招商引资 part of the written reports, counted from the office, lead and contract records
the reader may see (``selectors.attraction_summary`` and its neighbours).

A zone's report says what is signed "目前" — as of the day it is written, within the period's
year — so the figures run to the report date (the business date, ``core.clock``) and the text
names that date when it lies after the period: "截至7月29日，已签约重大项目20个…".
The sum is printed exactly (71.16亿元) and, as the zone writes it, rounded down to a round
figure first ("总投资超70亿元（71.16亿元）") when it exceeds one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy

from shouwei.core import clock
from shouwei.core.formatting import format_measure, format_percent, prose_measure
from shouwei.core.generic.naming import list_url, url_for
from shouwei.core.phrasing import count_phrase, join_list
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
from .choices import LeadChannel, LeadStage
from .models import Lead

TITLE = gettext_lazy("招商引资")  # the indicators Category label: one heading
NAMED_AT_MOST = 3
NAMED_INTENDED = 5  # the largest intended leads named
YI = selectors.YI


def _leads_url(**params) -> str:
    return list_url(Lead, **params)


def over_phrase(amount_yi: Decimal) -> str:
    """超70亿元 for 71.16: the amount rounded down to tens (to units below 10); "" when the
    amount is itself round or below 1."""
    step = Decimal(10) if amount_yi >= 10 else Decimal(1)
    floor = (amount_yi // step) * step
    if floor <= 0 or floor == amount_yi:
        return ""
    return f"超{format_measure(floor, '亿元', 0)}"


def _as_of(period) -> date:
    year_end = date(period.year, 12, 31)
    return min(max(clock.today(), period.end), year_end)


def investment_section(*, user, unit, period, kind) -> Section | None:
    until = _as_of(period)
    year = period.year
    s = selectors.attraction_summary(user, year=year, until=until, unit=unit)
    offices = list(selectors.offices_under(user, unit, until=until))
    intended = selectors.intended_by(user, unit, until=until).count()
    if not s.signed_count and not intended and not offices:
        return None
    detail = f"{year}年签约合同（截至{until:%Y-%m-%d}，不含已流失线索）"
    signed_src = (Source(f"签约项目 {s.signed_count} 个", _leads_url(signed_year=year), detail),)
    runs: list = []
    for office in offices:
        when = (
            f"{office.established_on.year}年{office.established_on.month}月"
            if office.established_on.year == year
            else f"{office.established_on.year}年起"
        )
        runs += [
            f"{when}，{unit.short_name or unit.name}在{office.city}设置",
            Figure(
                f"investment.office.{office.pk}",
                office.name,
                None,
                (Source(office.name, url_for(office), f"设立于{office.established_on:%Y-%m-%d}"),),
            ),
            "，常态化开展驻地招商工作。",
        ]
    if s.signed_count:
        amount = s.signed_amount_yi
        over = over_phrase(amount)
        exact = Figure(
            "investment.signed.amount", prose_measure(amount, "亿元"), amount, signed_src
        )
        after = period.end < until
        runs += [
            f"截至{until.month}月{until.day}日，" if after else "",
            "已签约重大项目",
            Figure(
                "investment.signed.count",
                count_phrase(s.signed_count, "个"),
                s.signed_count,
                signed_src,
            ),
            "，总投资",
            *([over, "（", exact, "）"] if over else [exact]),
        ]
        if s.event_count:
            runs += [
                "，其中重大活动签约项目",
                Figure(
                    "investment.signed.events",
                    count_phrase(s.event_count, "个"),
                    s.event_count,
                    (
                        Source(
                            "重大活动签约项目", _leads_url(signed_year=year, event="true"), detail
                        ),
                    ),
                ),
            ]
        if s.fortune_count:
            names = join_list(s.fortune_names, limit=NAMED_AT_MOST)
            runs += [
                "，" if s.event_count else "，其中",
                "三类500强项目",
                Figure(
                    "investment.signed.fortune",
                    count_phrase(s.fortune_count, "个"),
                    s.fortune_count,
                    (
                        Source(
                            "三类500强项目", _leads_url(signed_year=year, fortune="true"), detail
                        ),
                    ),
                ),
                f"（{names}）",
            ]
        runs.append("。")
    if intended:
        largest = selectors.largest_intended(user, unit, until=until, limit=NAMED_INTENDED)
        runs += [
            "在谈意向项目",
            Figure(
                "investment.intended.count",
                count_phrase(intended, "个"),
                intended,
                (
                    Source(
                        "意向阶段线索",
                        _leads_url(stage=LeadStage.INTENT, lost="false"),
                        "处于意向阶段、未流失的招商线索",
                    ),
                ),
            ),
            f"，如{join_list(largest)}{'等' if intended > len(largest) else ''}"
            "，将上门精细对接、促成签约。",
        ]
    blocks: list = [Paragraph(runs)]
    if kind == BRIEF or not s.signed_count:
        return Section(key="investment", title=str(TITLE), blocks=blocks)
    channels = selectors.signed_by_channel(user, year=year, until=until, unit=unit)
    parts: list = []
    for value, label in LeadChannel.choices:
        n = channels.get(value)
        if not n:
            continue
        parts += [
            "、" if parts else "签约项目来自",
            f"{label}",
            Figure(
                f"investment.channel.{value}",
                count_phrase(n, "个"),
                n,
                (Source(str(label), _leads_url(signed_year=year, channel=value), detail),),
            ),
        ]
    if parts:
        blocks.append(Paragraph([*parts, "。"]))
    to_fulfil = list(selectors.contracts_to_fulfil(user, year=year, until=until, unit=unit))
    if to_fulfil:
        rate = s.fulfilment_rate
        funds_src = (Source("签约合同履约", reverse("investment:fulfilment"), detail),)
        blocks.append(
            Paragraph(
                [
                    "已签约项目到位资金",
                    Figure(
                        "investment.funds",
                        format_measure(s.funds_in_place / YI, "亿元"),
                        s.funds_in_place / YI,
                        signed_src,
                    ),
                    "，履约率",
                    Figure("investment.fulfilment", format_percent(rate), rate, signed_src),
                    "；尚未投产、需继续督促履约的项目",
                    Figure(
                        "investment.to_fulfil",
                        count_phrase(len(to_fulfil), "个"),
                        len(to_fulfil),
                        funds_src,
                    ),
                    "。",
                ]
            )
        )
        rows = []
        for c in to_fulfil:
            src = (Source(c.lead.project_name, url_for(c), f"签约于{c.signed_on:%Y-%m-%d}"),)
            key = f"investment.contract.{c.pk}"
            rows.append(
                [
                    c.lead.project_name,
                    Figure(
                        f"{key}.amount",
                        format_measure(c.signed_amount / YI, "亿元"),
                        c.signed_amount / YI,
                        src,
                    ),
                    Figure(
                        f"{key}.funds",
                        format_measure(c.funds_in_place / YI, "亿元"),
                        c.funds_in_place / YI,
                        src,
                    ),
                    Figure(
                        f"{key}.rate", format_percent(c.fulfilment_rate), c.fulfilment_rate, src
                    ),
                    str(LeadStage(c.lead.stage).label),
                ]
            )
        blocks.append(Table(headers=["项目", "签约金额", "到位资金", "履约率", "进展"], rows=rows))
    return Section(key="investment", title=str(TITLE), blocks=blocks)


register_report_section(
    "investment",
    title=TITLE,
    weight=30,
    build=investment_section,
    kinds=(HALF_YEAR, BRIEF),
    part="records",
    part_weight=20,
)
