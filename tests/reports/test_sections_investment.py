"""The 招商引资 part of the half-year analysis, from office, lead and contract records
(FACTS.md, "Investment attraction")."""

from datetime import date
from decimal import Decimal

import pytest

from shouwei.core.models import Unit
from shouwei.core.periods import Period
from shouwei.investment.report_sections import over_phrase

from .sections import build, figures, plain, sources_resolve, texts

pytestmark = pytest.mark.django_db
H1 = Period.parse("2022H1")
FULFIL = ["虎牙直播孵化基地项目", "阿里巴巴集团数字经济产业园", "数字经济人才(衡阳)实训基地"]


@pytest.fixture
def section(demo):
    return build("investment", user=demo["leader"], unit=Unit.objects.get(code="hy-gxq"), period=H1)


def test_the_investment_part_states_every_figure_of_the_article(section):
    f, t = figures(section), texts(section)
    assert f["investment.signed.count"] == 20
    assert f["investment.signed.amount"] == Decimal("71.16")
    assert f["investment.signed.events"] == 5
    assert f["investment.signed.fortune"] == 2
    assert f["investment.intended.count"] == 16
    assert "粤港澳大湾区招商办事处" in t.values()
    text = plain(section)
    assert "总投资超70亿元（71.16亿元）" in text
    assert (
        "（虎牙直播、阿里巴巴数字经济产业园）" in text
        or "（阿里巴巴数字经济产业园、虎牙直播）" in text
    )
    assert "杭州铂科电子等，将上门精细对接" in text
    assert "在深圳设置" in text


def test_the_three_projects_to_fulfil_are_listed_with_their_fulfilment(section):
    table = next(b for b in section.blocks if b.__class__.__name__ == "Table")
    rows = {r[0]: r for r in table.rows}
    for name in FULFIL:
        assert name in rows
    # funds in place / signed, from the contracts: 5000/50000, 0/100000, 8000/20000 万元
    assert rows[FULFIL[0]][3].text == "10.0%"
    assert rows[FULFIL[1]][3].text == "0.0%"
    assert rows[FULFIL[2]][3].text == "40.0%"
    assert rows[FULFIL[2]][1].text == "2.00亿元"


def test_every_source_of_the_investment_part_opens_for_the_reader(section, demo, client_for):
    sources_resolve(section, client_for("leader"))


def test_the_brief_leaves_out_channels_and_the_fulfilment_table(demo):
    s = build(
        "investment",
        user=demo["leader"],
        unit=Unit.objects.get(code="hy-gxq"),
        period=H1,
        kind="brief",
    )
    assert figures(s)["investment.signed.count"] == 20
    assert not [b for b in s.blocks if b.__class__.__name__ == "Table"]


@pytest.mark.parametrize(
    ("amount", "phrase"),
    [("71.16", "超70亿元"), ("70", ""), ("9.5", "超9亿元"), ("0.8", ""), ("125.3", "超120亿元")],
)
def test_over_phrase_rounds_down_to_a_round_figure(amount, phrase):
    assert over_phrase(Decimal(amount)) == phrase


def test_as_of_the_meeting_the_text_names_the_day_it_counts_to(demo):
    from shouwei.core import clock

    clock.set_demo_date(date(2022, 7, 29))
    try:
        s = build(
            "investment", user=demo["leader"], unit=Unit.objects.get(code="hy-gxq"), period=H1
        )
    finally:
        clock.set_demo_date(None)
    assert "截至7月29日，已签约重大项目20个" in plain(s)
    assert figures(s)["investment.signed.count"] == 20


def test_on_the_last_day_of_the_period_the_july_signings_are_not_counted(demo):
    from shouwei.core import clock

    clock.set_demo_date(date(2022, 6, 30))
    try:
        s = build(
            "investment", user=demo["leader"], unit=Unit.objects.get(code="hy-gxq"), period=H1
        )
    finally:
        clock.set_demo_date(None)
    assert "截至" not in plain(s)
    assert figures(s)["investment.signed.count"] == 18  # two of the 20 were signed in July
