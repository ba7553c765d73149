"""A hand-made half-year Document with the seed's figures (FACTS.md), for the format tests:
sections of prose with figures, a table, charts, an empty section and excluded lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from shouwei.core.reporting import (
    Chart,
    Document,
    Figure,
    Paragraph,
    Section,
    Series,
    Source,
    Table,
)


def fig(key: str, text: str, value=None, *labels: str) -> Figure:
    sources = tuple(
        Source(
            label=label,
            url=f"/indicators/observations/{n}/",
            detail="导入批次 #3；张三 2022-07-12 审核",
        )
        for n, label in enumerate(labels, start=800)
    )
    return Figure(
        key=key, text=text, value=None if value is None else Decimal(value), sources=sources
    )


def half_year_document(kind: str = "half-year") -> Document:
    gdp = fig("economy.gdp.growth", "6.9%", "6.9", "观测值 #812")
    gdp_rank = fig("economy.gdp.rank", "第一", None, "观测值 #812", "排名 衡阳市 五区两园")
    iva = fig("economy.industrial_va.growth", "11.5%", "11.5", "观测值 #813")
    iva_rank = fig("economy.industrial_va.rank", "第二")
    svc = fig("economy.service_revenue.growth", "13.1%", "13.1", "观测值 #814")
    retail = fig("economy.retail_sales.growth", "1.7%", "1.7", "观测值 #815")
    retail_rank = fig("economy.retail_sales.rank", "第三", None, "观测值 #815")
    projects = fig("projects.count", "49", 49, "重点项目 49 个")
    total = fig("projects.total", "499.65亿元", "499.65", "重点项目 49 个")
    plan = fig("projects.plan", "124.26亿元", "124.26", "年度计划 2022")
    prov = fig("projects.provincial.completion", "84.3%", "84.3", "省重点项目 2 个")
    city = fig("projects.municipal.completion", "75.1%", "75.1", "市重点项目 47 个")
    signed = fig("investment.signed", "20", 20, "签约项目 20 个")
    tech = fig("innovation.tech_sme_registered", "354", 354, "观测值 #830")
    sections = [
        Section(
            key="economy",
            title="经济运行",
            blocks=[
                Paragraph(
                    runs=[
                        "上半年，全区地区生产总值增长",
                        gdp,
                        "，增速居全市",
                        gdp_rank,
                        "；规模工业增加值增长",
                        iva,
                        "，位列",
                        iva_rank,
                        "；规上服务业营业收入增长",
                        svc,
                        "；社会消费品零售总额增长",
                        retail,
                        "，位列",
                        retail_rank,
                        "。",
                    ]
                ),
                Chart(
                    key="economy.growth",
                    title="主要经济指标增速",
                    kind="bar",
                    categories=[
                        "地区生产总值",
                        "规模工业增加值",
                        "规上服务业营业收入",
                        "社会消费品零售总额",
                    ],
                    series=[Series(name="增速", values=[6.9, 11.5, 13.1, 1.7])],
                    unit="%",
                ),
                Chart(
                    key="economy.rank",
                    title="全市排名（五区两园）",
                    kind="hbar",
                    categories=["地区生产总值", "规模工业增加值", "社会消费品零售总额"],
                    series=[Series(name="位次", values=[1, 2, 3])],
                    unit="位",
                ),
            ],
        ),
        Section(
            key="projects",
            title="重点项目",
            blocks=[
                Paragraph(
                    runs=[
                        "全区",
                        projects,
                        "个省市重点项目总投资",
                        total,
                        "，年度计划投资",
                        plan,
                        "。",
                    ]
                ),
                Table(
                    headers=["类别", "项目数", "总投资（亿元）", "完成率"],
                    rows=[
                        [
                            "省重点",
                            fig("projects.provincial.count", "2", 2),
                            fig("projects.provincial.total", "180.00", "180.00"),
                            prov,
                        ],
                        [
                            "市重点",
                            fig("projects.municipal.count", "47", 47),
                            fig("projects.municipal.total", "319.65", "319.65"),
                            city,
                        ],
                        ['=HYPERLINK("x")', "", "", ""],
                    ],
                ),
                Chart(
                    key="projects.completion",
                    title="重点项目投资完成率",
                    kind="hbar",
                    categories=["省重点", "市重点"],
                    series=[Series(name="完成率", values=[84.3, 75.1])],
                    unit="%",
                ),
            ],
        ),
        Section(
            key="investment",
            title="招商引资",
            blocks=[Paragraph(runs=["上半年签约重大项目", signed, "个，总投资70亿元以上。"])],
        ),
        Section(
            key="innovation",
            title="科技创新",
            blocks=[Paragraph(runs=["科技型中小企业入库", tech, "家。"])],
        ),
        Section(key="epidemic", title="疫情防控", empty="本期无疫情防控数据。"),
    ]
    doc = Document(
        kind=kind,
        title="衡阳高新区2022年上半年经济运行分析",
        unit_code="hy-gxq",
        unit_name="衡阳高新区",
        period="2022H1",
        period_label="1—6月",
        issued=date(2022, 8, 5),
        source="衡阳高新区",
        sections=sections,
        excluded=["社会消费品零售总额（5月）：未审核，未列入"],
        data_version="v42-7f3a",
    )
    doc.number_figures()
    return doc
