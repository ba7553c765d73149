"""Reporting periods: month ``2022-06``, quarter ``2022Q2``, half ``2022H1``, year ``2022``.

Chinese statistics are cumulative year to date: a cumulative indicator's value for ``2022-06``
is January–June ("1—6月"), the same figure as ``2022H1``. Growth is year on year, so the
comparison period is the same period one year earlier.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import total_ordering


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


class PeriodError(ValueError):
    """A period code that cannot be read; the message is shown to the user."""


_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})[Qq]([1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})[Hh]([12])$"), PeriodKind.HALF),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
]
_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
_KIND_ORDER = {PeriodKind.MONTH: 0, PeriodKind.QUARTER: 1, PeriodKind.HALF: 2, PeriodKind.YEAR: 3}


@total_ordering
@dataclass(frozen=True)
class Period:
    year: int
    kind: PeriodKind
    index: int = 1  # month 1-12, quarter 1-4, half 1-2, year 1

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        if isinstance(text, Period):
            return text
        raw = str(text).strip()
        # Excel turns "2022-06" into a date, and some sheets write 2022.06 or 2022年6月.
        raw = re.sub(r"^(\d{4})[./年](\d{1,2})月?$", r"\1-\2", raw)
        raw = re.sub(r"^(\d{4})-(\d{1,2})-\d{1,2}( 00:00:00)?$", r"\1-\2", raw)
        for pattern, kind in _PATTERNS:
            m = pattern.match(raw)
            if m:
                year = int(m.group(1))
                index = int(m.group(2)) if kind != PeriodKind.YEAR else 1
                if not 1900 <= year <= 2200:
                    raise PeriodError(f"期间“{text}”的年份不在 1900—2200 之间")
                if kind == PeriodKind.MONTH and not 1 <= index <= 12:
                    raise PeriodError(f"期间“{text}”的月份应在 1—12 之间")
                return cls(year, kind, index)
        raise PeriodError(
            f"无法识别的期间“{text}”：应为 2022-06（月）、2022Q2（季）、2022H1（半年）或 2022（年）"
        )

    @property
    def code(self) -> str:
        match self.kind:
            case PeriodKind.MONTH:
                return f"{self.year}-{self.index:02d}"
            case PeriodKind.QUARTER:
                return f"{self.year}Q{self.index}"
            case PeriodKind.HALF:
                return f"{self.year}H{self.index}"
        return f"{self.year}"

    def __str__(self) -> str:
        return self.code

    @property
    def start_month(self) -> int:
        return (self.index - 1) * _MONTHS[self.kind] + 1

    @property
    def end_month(self) -> int:
        return self.index * _MONTHS[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, self.start_month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.end_month, calendar.monthrange(self.year, self.end_month)[1])

    @property
    def label(self) -> str:
        """The Chinese label for cumulative figures: 1—6月, 1—12月 (全年)."""
        if self.kind == PeriodKind.YEAR:
            return f"{self.year}年"
        if self.kind == PeriodKind.MONTH and self.index == 1:
            return f"{self.year}年1月"
        return f"{self.year}年1—{self.end_month}月"

    @property
    def span_label(self) -> str:
        """The period's own span: 2022年二季度, 2022年上半年, 2022年6月."""
        match self.kind:
            case PeriodKind.MONTH:
                return f"{self.year}年{self.index}月"
            case PeriodKind.QUARTER:
                return f"{self.year}年{'一二三四'[self.index - 1]}季度"
            case PeriodKind.HALF:
                return f"{self.year}年{'上下'[self.index - 1]}半年"
        return f"{self.year}年"

    def ytd_month(self) -> Period:
        """The month whose cumulative (1—N月) figure equals this period's year-to-date."""
        return Period(self.year, PeriodKind.MONTH, self.end_month)

    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.kind, self.index)

    def shift(self, steps: int) -> Period:
        """Move by whole periods of the same kind: ``2022-11`` + 3 = ``2023-02``."""
        per_year = 12 // _MONTHS[self.kind]
        n = self.year * per_year + (self.index - 1) + steps
        return Period(n // per_year, self.kind, n % per_year + 1)

    def __add__(self, steps: int) -> Period:
        return self.shift(steps)

    def __sub__(self, other):
        if isinstance(other, int):
            return self.shift(-other)
        if other.kind != self.kind:
            raise PeriodError("只能比较同类期间")
        per_year = 12 // _MONTHS[self.kind]
        return (self.year - other.year) * per_year + (self.index - other.index)

    def months(self) -> list[Period]:
        return [
            Period(self.year, PeriodKind.MONTH, m)
            for m in range(self.start_month, self.end_month + 1)
        ]

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def elapsed_share(self) -> float:
        """Share of the year elapsed at the end of this period (时间过半 = 0.5 at 2022H1)."""
        return self.end_month / 12

    def _key(self):
        return (self.end, _KIND_ORDER[self.kind])

    def __lt__(self, other: Period) -> bool:
        return self._key() < other._key()


def period_range(start: str | Period, end: str | Period) -> list[Period]:
    a, b = Period.parse(start), Period.parse(end)
    if a.kind != b.kind:
        raise PeriodError("起止期间类型必须相同")
    return [a + i for i in range(b - a + 1)]
