"""The one number formatter: every figure on a page, in a report or an export goes through here.

Chinese statistical writing: money in 亿元 with two decimals (or 万元), growth as "6.9%", a
negative growth as "-1.2%", ranks as "第1名". Values are stored exactly (Decimal) and only
rounded for display, half-up as the statistics bureau rounds (not banker's rounding).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

EMPTY = "—"


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


def format_measure(value, measure: str = "", decimals: int = 2) -> str:
    """``format_measure(Decimal('499.65'), '亿元')`` → ``'499.65亿元'``."""
    text = format_number(value, decimals)
    if text == EMPTY:
        return text
    return f"{text}{measure}" if measure else text


def format_growth(value, decimals: int = 1) -> str:
    d = round_half_up(value, decimals)
    if d is None:
        return EMPTY
    return f"{d:.{decimals}f}%"


def format_rank(rank, of: int | None = None) -> str:
    if rank is None or rank == "":
        return EMPTY
    return f"第{int(rank)}名" if not of else f"第{int(rank)}名/{of}"


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
