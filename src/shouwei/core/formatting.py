"""The one number formatter: every figure on a page, in a report or an export goes through here.

Chinese statistical writing: money in 亿元 with two decimals (or 万元), growth as "6.9%", a
negative growth as "-1.2%", ranks as "第1名". Values are stored exactly (Decimal) and only
rounded for display, half-up as the statistics bureau rounds (not banker's rounding).

Under the English UI the units and ranks go through gettext ("499.65 CNY 100m", "No. 1"); under
Chinese no catalogue entry exists for them, so the output is exactly the Chinese text above.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext, pgettext, pgettext_lazy

EMPTY = "—"

# Units as indicators store them (Indicator.measure is data, in Chinese), each spelled out so
# that makemessages finds it. A unit missing here, and "%", is printed as stored.
UNIT_LABELS = {
    "亿元": pgettext_lazy("unit", "亿元"),
    "万元": pgettext_lazy("unit", "万元"),
    "元": pgettext_lazy("unit", "元"),
    "亿美元": pgettext_lazy("unit", "亿美元"),
    "万美元": pgettext_lazy("unit", "万美元"),
    "万吨标准煤": pgettext_lazy("unit", "万吨标准煤"),
    "万吨": pgettext_lazy("unit", "万吨"),
    "吨": pgettext_lazy("unit", "吨"),
    "万人": pgettext_lazy("unit", "万人"),
    "人": pgettext_lazy("unit", "人"),
    "人次": pgettext_lazy("unit", "人次"),
    "名": pgettext_lazy("unit", "名"),
    "家": pgettext_lazy("unit", "家"),
    "个": pgettext_lazy("unit", "个"),
    "项": pgettext_lazy("unit", "项"),
    "件": pgettext_lazy("unit", "件"),
    "张": pgettext_lazy("unit", "张"),
    "户": pgettext_lazy("unit", "户"),
    "栋": pgettext_lazy("unit", "栋"),
    "起": pgettext_lazy("unit", "起"),
    "亩": pgettext_lazy("unit", "亩"),
    "万平方米": pgettext_lazy("unit", "万平方米"),
    "平方米": pgettext_lazy("unit", "平方米"),
    "万千瓦时": pgettext_lazy("unit", "万千瓦时"),
    "个百分点": pgettext_lazy("unit", "个百分点"),
}


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        d = value
    else:
        try:
            d = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return None
    # NaN and infinity are no figure (and would make quantize raise).
    return d if d.is_finite() else None


def round_half_up(value, decimals: int) -> Decimal | None:
    d = to_decimal(value)
    if d is None:
        return None
    quantum = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    rounded = d.quantize(quantum, rounding=ROUND_HALF_UP)
    # -0.04 rounds to -0.0; a bulletin prints 0.0, never a negative zero.
    return rounded.copy_abs() if rounded.is_zero() else rounded


def format_number(value, decimals: int = 2, *, grouping: bool = True) -> str:
    d = round_half_up(value, decimals)
    if d is None:
        return EMPTY
    return f"{d:,.{decimals}f}" if grouping else f"{d:.{decimals}f}"


def format_trimmed(value, decimals: int = 2) -> str:
    """A figure as prose writes it: rounded to ``decimals``, no grouping, no trailing zeros
    (180.00 → ``'180'``, 499.650 → ``'499.65'``); tables keep :func:`format_number`'s fixed
    decimals so that columns line up."""
    d = round_half_up(value, decimals)
    if d is None:
        return EMPTY
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def prose_measure(value, measure: str, decimals: int = 2) -> str:
    """``prose_measure(Decimal('180.00'), '亿元')`` → ``'180亿元'``: a report's sentence, which is
    Chinese whatever the reader's language, so the unit follows the figure untranslated."""
    text = format_trimmed(value, decimals)
    return text if text == EMPTY else f"{text}{measure}"


def format_plain(value) -> str:
    """A figure as a person types it into a field: no grouping, no unit, no trailing zeros
    (the stored 11.800 is typed 11.8); empty for none."""
    d = to_decimal(value)
    return "" if d is None else f"{d.normalize():f}"


def unit_label(measure: str) -> str:
    """The unit in the active language: ``'亿元'`` → ``'CNY 100m'`` under English."""
    label = UNIT_LABELS.get(measure)
    return measure if label is None else str(label)


def with_unit(text: str, measure: str) -> str:
    """A formatted figure and its unit: ``'499.65亿元'``, in English ``'499.65 CNY 100m'``."""
    if not measure:
        return text
    if measure not in UNIT_LABELS:
        return f"{text}{measure}"
    # Chinese writes the unit straight after the figure; English puts a space between.
    return pgettext("figure and unit", "%(figure)s%(unit)s") % {
        "figure": text,
        "unit": unit_label(measure),
    }


def format_measure(value, measure: str = "", decimals: int = 2) -> str:
    """``format_measure(Decimal('499.65'), '亿元')`` → ``'499.65亿元'``."""
    text = format_number(value, decimals)
    if text == EMPTY:
        return text
    return with_unit(text, measure)


def format_growth(value, decimals: int = 1) -> str:
    d = round_half_up(value, decimals)
    if d is None:
        return EMPTY
    return f"{d:.{decimals}f}%"


def format_rank(rank, of: int | None = None) -> str:
    if rank is None or rank == "":
        return EMPTY
    if not of:
        return gettext("第%(rank)s名") % {"rank": int(rank)}
    return gettext("第%(rank)s名/%(of)s") % {"rank": int(rank), "of": of}


def yuan_to_yi(value) -> Decimal | None:
    """元 → 亿元 (10^8)."""
    d = to_decimal(value)
    return None if d is None else d / Decimal(100_000_000)


def wan_to_yi(value) -> Decimal | None:
    """万元 → 亿元 (10^4)."""
    d = to_decimal(value)
    return None if d is None else d / Decimal(10_000)


def format_percent(value, decimals: int = 1) -> str:
    """A share in [0, 1] → "84.3%"."""
    d = to_decimal(value)
    return EMPTY if d is None else format_growth(d * 100, decimals)
