from decimal import Decimal

import pytest

from shouwei.core import phrasing


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (105, "一百零五"), (110, "一百一十")],
)
def test_chinese_numbers_read_as_written(n, text):
    assert phrasing.chinese_number(n) == text


def test_ordinals_and_ranks_say_low_ranks_plainly():
    assert phrasing.ordinal(1) == "第一"
    assert phrasing.rank_phrase(1) == "居全市第一"
    assert phrasing.rank_phrase(3, "全省") == "居全省第三"
    assert phrasing.rank_phrase(8) == "位列全市第八"


def test_growth_is_phrased_as_rise_fall_or_flat_never_a_negative_rise():
    assert phrasing.growth_phrase(Decimal("6.9")) == "增长6.9%"
    assert phrasing.growth_phrase(Decimal("-3")) == "下降3.0%"
    # The rounded figure decides: 0.04 prints as 0.0, which a report calls 持平.
    assert phrasing.growth_phrase(Decimal("0.04")) == "持平"
    assert phrasing.change_phrase(Decimal("-1.25")) == "回落1.3个百分点"


def test_rank_change_names_direction_and_steps():
    assert phrasing.rank_change_phrase(2, 4) == "较上期前进2位"
    assert phrasing.rank_change_phrase(4, 2) == "较上期后退2位"
    assert phrasing.rank_change_phrase(3, 3) == "与上期持平"
    assert phrasing.rank_change_phrase(3, None) == ""


def test_lists_join_with_the_enumeration_comma_and_close_with_deng_when_cut():
    assert (
        phrasing.join_list(["虎牙直播", "阿里巴巴数字经济产业园"])
        == "虎牙直播、阿里巴巴数字经济产业园"
    )
    assert phrasing.join_list(["甲", "乙", "丙"], limit=2) == "甲、乙等"


@pytest.mark.parametrize(
    ("period", "text"),
    [("2022H1", "上半年"), ("2022Q3", "前三季度"), ("2022-06", "1—6月"), ("2022-01", "1月")],
)
def test_periods_are_named_the_chinese_way(period, text):
    assert phrasing.period_phrase(period) == text


def test_months_phrase_counts_cumulative_months():
    assert phrasing.months_phrase("2022H1") == "1—6月"
    assert phrasing.months_phrase("2022Q3") == "1—9月"
