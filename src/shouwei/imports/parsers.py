"""Cell parsers: one raw cell (str from CSV; str/float/int/bool/date from Excel) → a value.

A parser returns None for an empty cell and raises CellError with a Chinese message for
anything it cannot read; the engine prefixes the row and the column.
"""

from __future__ import annotations

import math
import re
import time as time_module
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from shouwei.core.periods import Period, PeriodError, refuse_future
from shouwei.core.text import strip_control, text_limit


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_RANK = re.compile(r"^第?\s*(\d+)\s*名?$")


def clean(raw: Any) -> str:
    """Text of a cell: full-width forms folded (NFKC: ６．９％ → 6.9%), spaces trimmed."""
    if raw is None:
        return ""
    if type(raw) is str and raw.isascii():
        # Most cells: nothing to fold (a 50,000-row file has half a million of them).
        return raw.strip()
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = unicodedata.normalize("NFKC", str(raw))
    # U+2212 (minus sign) has no compatibility mapping; Word and WPS produce it.
    return text.replace("\u2212", "-").replace("\u200b", "").strip()


def is_blank(raw: Any) -> bool:
    # str.strip() knows the ideographic space (U+3000) and NBSP as whitespace.
    return raw is None or (isinstance(raw, str) and not raw.replace("\u200b", "").strip())


def text(raw: Any) -> str | None:
    if isinstance(raw, datetime | date | time | timedelta):
        raise CellError(f"应为文字，收到日期/时间“{raw}”")
    # Control characters (NUL among them) ride along invisibly in spreadsheets: dropped.
    value = strip_control(clean(raw))
    if len(value) > text_limit():
        raise CellError(f"文字不能超过 {text_limit()} 字（本格 {len(value)} 字）")
    return value or None


def code(raw: Any) -> str | None:
    """A code such as hy-gxq: lower-case, so HY-GXQ typed with caps lock still matches."""
    value = text(raw)
    return value.lower() if value else None


def _shown(raw: Any) -> str:
    return clean(raw) if not isinstance(raw, float) else repr(raw)


def decimal(*, max_digits: int, decimal_places: int) -> Callable[[Any], Decimal | None]:
    """A number as the database stores it: 1234.5, "1,234.5", "6.9%", "６．９％" all read.

    A trailing % is accepted: growth and rates are written in percent (6.9 and 6.9% both mean
    6.9 per cent). Excel's own percentage cells arrive as 0.069; the template formats percent
    columns as text so that what is typed is what is stored.
    """
    max_integer = max_digits - decimal_places

    def parse(raw: Any) -> Decimal | None:
        if is_blank(raw):
            return None
        if isinstance(raw, bool):
            raise CellError(f"应为数字，收到“{raw}”")
        if isinstance(raw, datetime | date | time | timedelta):
            raise CellError(f"应为数字，收到日期/时间“{raw}”")
        if isinstance(raw, int):
            value = Decimal(raw)
        elif isinstance(raw, float):
            if not math.isfinite(raw):
                raise CellError("应为数字")
            # repr gives the shortest string that round-trips: 6.9, not 6.9000000000000004.
            value = Decimal(repr(raw))
        else:
            body = clean(raw)
            if body.endswith("%"):
                body = body[:-1].rstrip()
            if "," in body:
                if not _THOUSANDS.match(body):
                    raise CellError(f"“{clean(raw)}”不是数字（千分位逗号位置不对）")
                body = body.replace(",", "")
            try:
                value = Decimal(body)
            except InvalidOperation:
                raise CellError(f"“{clean(raw)}”不是数字") from None
            if not value.is_finite():
                raise CellError(f"“{clean(raw)}”不是数字")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > decimal_places:
            normal = value.normalize()
            if -normal.as_tuple().exponent > decimal_places:
                raise CellError(
                    f"“{_shown(raw)}”超过{decimal_places}位小数，请先按口径四舍五入后再导入"
                )
            value = normal
        if abs(value) >= Decimal(10) ** max_integer:
            raise CellError(f"“{_shown(raw)}”超出可存储的范围（整数部分最多{max_integer}位）")
        return value

    return parse


def positive_int(raw: Any) -> int | None:
    """A positive whole number; 第2名 and 2 both read as 2."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellError(f"应为正整数，收到“{raw}”")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise CellError(f"应为正整数，收到“{raw!r}”")
        raw = int(raw)
    if isinstance(raw, int):
        number = raw
    else:
        m = _RANK.match(clean(raw))
        if not m:
            raise CellError(f"应为正整数，收到“{clean(raw)}”")
        number = int(m.group(1))
    if number < 1:
        raise CellError(f"应为正整数，收到“{number}”")
    return number


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def day(raw: Any) -> date | None:
    """A date cell, or text such as 2022-03-10, 2022/3/10, 2022年3月10日."""
    if is_blank(raw):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = clean(raw)
    m = _DATE.match(text)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise CellError(f"“{text}”不是日期，应写成 2022-03-10")


def period(raw: Any) -> str | None:
    """A period code. Excel turns a typed 2022-06 into a date: a date cell means its month."""
    if is_blank(raw):
        return None
    if isinstance(raw, datetime | date):
        code = Period.parse(f"{raw.year}-{raw.month:02d}").code
    elif isinstance(raw, float) and not raw.is_integer():
        # 2022.10 typed into a number cell arrives as 2022.1: January and October look alike.
        raise CellError(
            f"“{raw!r}”是数字格式，无法区分月份（如 2022.1 与 2022.10），请写成 2022-10"
        )
    else:
        code = _period_code(clean(raw))
    # Imported figures are reported ones: a period that has not begun is refused.
    if _period_start(code) > _business_today():
        try:
            refuse_future(code)
        except PeriodError as exc:
            raise CellError(str(exc)) from exc
    return code


@lru_cache(maxsize=4096)
def _period_start(code: str) -> date:
    return Period.parse(code).start


_today_memo: tuple[float, date] | None = None


def _business_today() -> date:
    """core.clock.today(), read at most once a second: a 200,000-row file would otherwise ask
    the cache (perhaps over the network) once a row."""
    global _today_memo
    now = time_module.monotonic()
    if _today_memo is None or now - _today_memo[0] > 1:
        from shouwei.core import clock

        _today_memo = (now, clock.today())
    return _today_memo[1]


@lru_cache(maxsize=4096)
def _period_code(text: str) -> str:
    # A file repeats a handful of periods thousands of times; errors are not cached.
    try:
        return Period.parse(text).code
    except PeriodError as exc:
        raise CellError(str(exc)) from None


class Choice:
    """One of a few words (草稿/提交) → the stored value; aliases are accepted, not offered.
    ``label`` turns a stored value back into its word for the preview."""

    def __init__(self, words: dict[str, str], *, aliases: dict[str, str] | None = None):
        self.words = words
        self._folded = {
            unicodedata.normalize("NFKC", k).lower(): v
            for k, v in {**words, **(aliases or {})}.items()
        }
        self._labels = {v: k for k, v in words.items()}

    def __call__(self, raw: Any) -> str | None:
        value = clean(raw).lower()
        if not value:
            return None
        if value not in self._folded:
            shown = "、".join(f"“{k}”" for k in self.words)
            raise CellError(f"只能填写{shown}，收到“{clean(raw)}”")
        return self._folded[value]

    def label(self, value: str) -> str:
        return self._labels.get(value, value)


def choice(words: dict[str, str], *, aliases: dict[str, str] | None = None) -> Choice:
    return Choice(words, aliases=aliases)
