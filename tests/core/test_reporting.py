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
    reporting._registry.pop(("test-twice", ""))


def test_an_unknown_report_kind_is_refused():
    with pytest.raises(ImproperlyConfigured, match="unknown kinds"):
        reporting.register_report_section(
            "test-kind", title="甲", weight=1, build=lambda **k: None, kinds=("weekly",)
        )


def test_parts_of_one_section_print_under_one_heading_in_part_order(monkeypatch):
    # Only this test's sections: the apps' real ones need a unit and a period.
    monkeypatch.setattr(reporting, "_registry", {})

    def part(text):
        def build(**kwargs):
            return Section(key="x", title="科技创新", blocks=[Paragraph([text])])

        return build

    def nothing(**kwargs):
        return None

    try:
        reporting.register_report_section(
            "test-x", title="科技创新", weight=1, build=part("乙"), part="b", part_weight=2
        )
        reporting.register_report_section(
            "test-x", title="科技创新", weight=1, build=part("甲"), part="a", part_weight=1
        )
        reporting.register_report_section("test-y", title="民生保障", weight=2, build=nothing)
        sections = [
            s
            for s in reporting.build_sections(kind="half-year", user=None, unit=None, period=None)
            if s.key.startswith("test-")
        ]
        assert [(s.key, s.title) for s in sections] == [
            ("test-x", "科技创新"),
            ("test-y", "民生保障"),
        ]
        assert [b.plain() for b in sections[0].blocks] == ["甲", "乙"]
        assert sections[1].empty == "本期无民生保障数据。"
    finally:
        for key in [k for k in reporting._registry if k[0].startswith("test-")]:
            reporting._registry.pop(key)


def test_parts_of_one_section_must_agree_on_its_title():
    try:
        reporting.register_report_section("test-z", title="甲", weight=1, build=lambda **k: None)
        with pytest.raises(ImproperlyConfigured, match="title"):
            reporting.register_report_section(
                "test-z", title="乙", weight=1, build=lambda **k: None, part="other"
            )
    finally:
        for key in [k for k in reporting._registry if k[0].startswith("test-")]:
            reporting._registry.pop(key)


def test_the_first_part_with_something_to_say_may_name_the_heading_for_the_period(monkeypatch):
    monkeypatch.setattr(reporting, "_registry", {})

    def targets(**kwargs):
        return Section(key="targets", title="下半年目标", blocks=[Paragraph(["……"])])

    reporting.register_report_section("targets", title="下阶段目标", weight=1, build=targets)
    (section,) = reporting.build_sections(kind="half-year", user=None, unit=None, period=None)
    assert section.title == "下半年目标"
