from decimal import Decimal

import pytest

from shouwei.core import formatting


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("6.9"), "6.9%"),
        (Decimal("-1.25"), "-1.3%"),
        (Decimal("0.05"), "0.1%"),
        (Decimal("-0.04"), "0.0%"),
        (None, "—"),
        ("abc", "—"),
        (float("nan"), "—"),
        (float("inf"), "—"),
    ],
)
def test_growth_is_rounded_half_up_and_never_shows_minus_zero(value, text):
    assert formatting.format_growth(value) == text


def test_amounts_in_yi_yuan_with_two_decimals_and_grouping():
    assert formatting.format_measure(Decimal("499.645"), "亿元") == "499.65亿元"
    assert formatting.format_number(Decimal("1234567.8"), 0) == "1,234,568"
    assert formatting.format_number(Decimal("-0.001")) == "0.00"
    assert formatting.format_measure(None, "亿元") == "—"


def test_ranks_and_shares():
    assert formatting.format_rank(1) == "第1名"
    assert formatting.format_rank(3, 7) == "第3名/7"
    assert formatting.format_rank(None) == "—"
    assert formatting.format_percent(Decimal("0.843")) == "84.3%"
    assert formatting.wan_to_yi(324) == Decimal("0.0324")
    assert formatting.yuan_to_yi(Decimal("150000000")) == Decimal("1.5")


def test_a_plain_figure_is_what_a_person_types():
    from shouwei.core.formatting import format_plain

    assert format_plain(Decimal("11.800")) == "11.8"
    assert format_plain(Decimal("100.000")) == "100"
    assert format_plain(Decimal("-0.050")) == "-0.05"
    assert format_plain(None) == ""
