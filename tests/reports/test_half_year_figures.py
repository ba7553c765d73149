"""The half-year analysis of hy-gxq 2022H1 restates, figure by figure, what FACTS.md lists
and the demo's indicators hold; a synthetic unit gets its own figures and no Hengyang text."""

import re
from decimal import Decimal

import pytest

from shouwei.core.reporting import Figure
from shouwei.reports.renderers.txt import plain_text

pytestmark = pytest.mark.django_db

# indicator code → (figure kind, printed text) as FACTS.md states them for 2022H1.
FACTS = {
    "gdp": {"growth": "6.9%", "rank": "第一"},
    "industrial_va": {"growth": "11.5%", "rank": "第二"},
    "service_revenue": {"growth": "13.1%", "rank": "第一"},
    "retail_sales": {"growth": "1.7%", "rank": "第三"},
    "hq_contest": {"rank": "第一"},
    "tech_sme_registered": {"value": "354家"},
    "rd_expenditure": {"value": "5亿元"},
    "tech_contract_turnover": {"value": "9.54亿元"},
    "new_provincial_rd_platforms": {"value": "3家"},
    "new_talent_teams": {"value": "1个"},
    "phd_recruited": {"value": "20名"},
    "epi_screened": {"value": "1.5万人次"},
    "epi_quarantined": {"value": "2200人次"},
    "elderly_vaccination_rate": {"value": "91.24%", "rank": "第一"},
    "houses_inspected": {"value": "2081栋"},
    "commercial_house_review_rate": {"value": "100%"},
    "unsafe_vacant_houses_demolished": {"value": "2栋"},
    "illegal_structures_demolished": {"value": "44栋"},
    "registered_unemployment_rate": {"value": "3.4%"},
    "relief_funds": {"value": "324万元"},
    "elderly_home_retrofits": {"value": "127户"},
    "family_elderly_beds": {"value": "127张"},
    "new_parking_spaces": {"value": "300个"},
    "new_school_places": {"value": "950个"},
    "civilised_city_assessment": {"rank": "第一"},
    "urban_rural_governance": {"rank": "第三"},
}


def _figures(report) -> dict[str, Figure]:
    return {f.key: f for f in report.as_document().figures()}


def test_every_fact_the_indicators_hold_is_stated_figure_by_figure(half_year):
    assert half_year.status == "built", half_year.error
    figures = _figures(half_year)
    for code, expected in FACTS.items():
        for kind, text in expected.items():
            key = f"{code}.{kind}"
            assert key in figures, key
            assert figures[key].text == text, (key, figures[key].text, text)


def test_the_economy_sentence_reads_as_the_article_does(half_year):
    text = plain_text(half_year.as_document())
    # "GDP增长6.9%，…居全市第一" — parse each clause, compare growth and rank.
    clauses = {
        m["name"]: (m["growth"], m["rank"])
        for m in re.finditer(
            r"(?P<name>GDP|规模工业增加值|规上服务业营收|社零总额)增长(?P<growth>[\d.]+)%[^；。]*?"
            r"居全市(?P<rank>第[一二三四五六七八九十]+)",
            text,
        )
    }
    assert clauses == {
        "GDP": ("6.9", "第一"),
        "规模工业增加值": ("11.5", "第二"),
        "规上服务业营收": ("13.1", "第一"),
        "社零总额": ("1.7", "第三"),
    }
    assert "主要经济指标名列全市前茅" in text
    assert re.search(r"争先创优B类单位中排名第一", text)


def test_every_figure_carries_its_observation_as_source(half_year):
    from shouwei.indicators.models import Indicator

    codes = set(Indicator.objects.values_list("code", flat=True))
    figures = half_year.as_document().figures()
    assert all(fig.sources for fig in figures)
    # The indicators' figures ("gdp.growth") come from observations; the apps' record
    # parts (projects, leads, assignments) name their own records (tests/reports/test_sections_*).
    of_indicators = [f for f in figures if f.key.rsplit(".", 1)[0] in codes]
    assert len(of_indicators) > 20
    for fig in of_indicators:
        assert all(s.url.startswith("/indicators/observations/") for s in fig.sources), fig.key


def test_an_empty_section_says_so_plainly(half_year):
    doc = half_year.as_document()
    safety = next(s for s in doc.sections if s.key == "safety")
    if not safety.blocks:
        assert safety.empty == "本期无安全生产数据。"


def test_a_synthetic_unit_gets_its_own_figures_and_no_hengyang_text(demo):
    from shouwei.core.choices import Role
    from shouwei.reports.services import request_report
    from tests.factories import IndicatorFactory, ObservationFactory, UnitFactory, user_with_role

    unit = UnitFactory(code="syn-zone", name="示范开发区", short_name="示范区")
    gdp = IndicatorFactory(code="syn_gdp", name="地区生产总值", short_name="GDP", measure="亿元")
    beds = IndicatorFactory(
        code="syn_beds", name="新增床位", measure="张", category="livelihood", decimals=0
    )
    ObservationFactory(
        unit=unit, indicator=gdp, period="2022H1", value=None, growth=Decimal("-3.04")
    )
    ObservationFactory(unit=unit, indicator=beds, period="2022H1", value=Decimal("48"))
    user = user_with_role(Role.STATISTICIAN, unit, username="syn-stat")
    report = request_report(
        kind="half-year", unit="syn-zone", period="2022H1", by=user, inline=True
    )
    assert report.status == "built", report.error
    figures = _figures(report)
    assert figures["syn_gdp.growth"].text == "3.0%"
    assert figures["syn_beds.value"].text == "48张"
    text = plain_text(report.as_document())
    assert "GDP下降3.0%" in text
    assert report.title == "示范区2022年上半年经济运行情况分析"
    for hengyang in ("衡阳", "6.9", "354家", "五区两园"):
        assert hengyang not in text
