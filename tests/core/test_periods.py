import pytest

from shouwei.core.periods import Period, PeriodError, PeriodKind, period_range


@pytest.mark.parametrize(
    ("text", "code", "kind"),
    [
        ("2022-06", "2022-06", PeriodKind.MONTH),
        ("2022-6", "2022-06", PeriodKind.MONTH),
        ("2022Q2", "2022Q2", PeriodKind.QUARTER),
        ("2022h1", "2022H1", PeriodKind.HALF),
        ("2022", "2022", PeriodKind.YEAR),
        ("2022年6月", "2022-06", PeriodKind.MONTH),
        ("2022-06-01 00:00:00", "2022-06", PeriodKind.MONTH),
    ],
)
def test_it_parses_every_period_form(text, code, kind):
    p = Period.parse(text)
    assert (p.code, p.kind) == (code, kind)


@pytest.mark.parametrize("bad", ["2022-13", "2022-00", "2022Q5", "2022H3", "22-06", "", "abc"])
def test_it_rejects_impossible_periods_with_a_chinese_message(bad):
    with pytest.raises(PeriodError) as exc:
        Period.parse(bad)
    assert "期间" in str(exc.value) or "月份" in str(exc.value)


def test_half_year_is_cumulative_january_to_june():
    h1 = Period.parse("2022H1")
    assert h1.label == "2022年1—6月"
    assert h1.ytd_month().code == "2022-06"
    assert h1.elapsed_share == 0.5


def test_arithmetic_crosses_year_boundaries():
    assert (Period.parse("2022-11") + 3).code == "2023-02"
    assert (Period.parse("2022Q1") - 1).code == "2021Q4"
    assert Period.parse("2022-06") - Period.parse("2021-12") == 6
    assert Period.parse("2022H1").same_period_last_year().code == "2021H1"


def test_range_and_ordering():
    months = period_range("2021-11", "2022-02")
    assert [p.code for p in months] == ["2021-11", "2021-12", "2022-01", "2022-02"]
    assert Period.parse("2022-06") < Period.parse("2022H1") < Period.parse("2022-07")
    assert Period.parse("2022H1").contains(Period.parse("2022Q2"))


LABELS = [
    # code, label (cumulative, Chinese), span_label (Chinese), label (English), span (English)
    ("2022-06", "2022年1—6月", "2022年6月", "Jan–Jun 2022", "Jun 2022"),
    ("2022-01", "2022年1月", "2022年1月", "Jan 2022", "Jan 2022"),
    ("2022-12", "2022年1—12月", "2022年12月", "Jan–Dec 2022", "Dec 2022"),
    ("2022Q2", "2022年1—6月", "2022年二季度", "Jan–Jun 2022", "Q2 2022"),
    ("2022Q1", "2022年1—3月", "2022年一季度", "Jan–Mar 2022", "Q1 2022"),
    ("2022H1", "2022年1—6月", "2022年上半年", "Jan–Jun 2022", "H1 2022"),
    ("2022H2", "2022年1—12月", "2022年下半年", "Jan–Dec 2022", "H2 2022"),
    ("2022", "2022年", "2022年", "2022", "2022"),
]


@pytest.mark.parametrize(("code", "label", "span", "label_en", "span_en"), LABELS)
def test_period_labels_read_chinese_by_default_and_english_in_the_english_ui(
    code, label, span, label_en, span_en
):
    from django.utils import translation

    period = Period.parse(code)
    with translation.override("zh-hans"):
        assert (period.label, period.span_label) == (label, span)
    with translation.override("en"):
        assert (period.label, period.span_label) == (label_en, span_en)
