from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from shouwei.core import reporting
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


def _document() -> Document:
    gdp = Figure(
        key="economy.gdp.growth",
        text="6.9%",
        value=Decimal("6.9"),
        sources=(Source("观测值 #1", "/indicators/observations/1/", "张三 审核"),),
    )
    rank = Figure(key="economy.gdp.rank", text="第一")
    return Document(
        kind=reporting.HALF_YEAR,
        title="上半年经济运行情况",
        unit_code="hy-gxq",
        unit_name="衡阳高新区",
        period="2022H1",
        period_label="2022年上半年",
        issued=date(2022, 8, 5),
        source="衡阳高新区",
        sections=[
            Section(
                key="economy",
                title="经济运行",
                blocks=[
                    Paragraph(["GDP增长", gdp, "，居全市", rank]),
                    Chart("c", "增速", "bar", ["GDP"], [Series("增速", [6.9])], "%"),
                    Table(["指标", "增速"], [["GDP", Figure(key="t", text="6.9%")]]),
                ],
            ),
            Section(key="investment", title="招商引资", empty="本期无招商引资数据。"),
        ],
        excluded=["规上服务业营业收入 2022H1：待审核，未计入"],
    )


def test_figures_are_numbered_in_reading_order_including_tables():
    doc = _document()
    doc.number_figures()
    assert [(f.key, f.number) for f in doc.figures()] == [
        ("economy.gdp.growth", 1),
        ("economy.gdp.rank", 2),
        ("t", 3),
    ]


def test_a_document_round_trips_through_json_unchanged():
    import json

    doc = _document()
    doc.number_figures()
    again = Document.from_data(json.loads(json.dumps(doc.to_data())))
    assert again == doc
    assert again.sections[0].blocks[0].plain() == "GDP增长6.9%，居全市第一"


def test_a_section_registered_twice_differently_is_refused():
    def build(**kwargs):
        return None

    reporting.register_report_section("test-twice", title="甲", weight=1, build=build)
    with pytest.raises(ImproperlyConfigured):
        reporting.register_report_section("test-twice", title="乙", weight=1, build=build)
    reporting._registry.pop("test-twice")


def test_an_unknown_report_kind_is_refused():
    with pytest.raises(ImproperlyConfigured, match="unknown kinds"):
        reporting.register_report_section(
            "test-kind", title="甲", weight=1, build=lambda **k: None, kinds=("weekly",)
        )
