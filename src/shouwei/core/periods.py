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

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

# Month names as the labels write them: 6月 in Chinese, Jun in English. One literal per month,
# so that makemessages finds them; the "month" context keeps them apart from other 6月 strings.
_MONTH_NAMES = (
    pgettext_lazy("month", "1月"),
    pgettext_lazy("month", "2月"),
    pgettext_lazy("month", "3月"),
    pgettext_lazy("month", "4月"),
    pgettext_lazy("month", "5月"),
    pgettext_lazy("month", "6月"),
    pgettext_lazy("month", "7月"),
    pgettext_lazy("month", "8月"),
    pgettext_lazy("month", "9月"),
    pgettext_lazy("month", "10月"),
    pgettext_lazy("month", "11月"),
    pgettext_lazy("month", "12月"),
)


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
        """The label for cumulative figures, in the active language: 2022年1—6月 (Jan–Jun 2022),
        2022年1月, 2022年 for a year."""
        if self.kind == PeriodKind.YEAR:
            return _("%(year)s年") % {"year": self.year}
        if self.end_month == 1:
            return self._month_label(1)
        return _("%(year)s年1—%(month)s") % {
            "year": self.year,
            "month": _MONTH_NAMES[self.end_month - 1],
        }

    @property
    def span_label(self) -> str:
        """The period's own span, in the active language: 2022年二季度 (Q2 2022), 2022年上半年
        (H1 2022), 2022年6月 (Jun 2022)."""
        match self.kind:
            case PeriodKind.MONTH:
                return self._month_label(self.index)
            case PeriodKind.QUARTER:
                quarters = (_("%(year)s年一季度"), _("%(year)s年二季度"))
                quarters += (_("%(year)s年三季度"), _("%(year)s年四季度"))
                return quarters[self.index - 1] % {"year": self.year}
            case PeriodKind.HALF:
                halves = (_("%(year)s年上半年"), _("%(year)s年下半年"))
                return halves[self.index - 1] % {"year": self.year}
        return _("%(year)s年") % {"year": self.year}

    def _month_label(self, month: int) -> str:
        return _("%(year)s年%(month)s") % {"year": self.year, "month": _MONTH_NAMES[month - 1]}

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


def is_period(text: str) -> bool:
    try:
        Period.parse(text)
    except PeriodError:
        return False
    return True


def refuse_future(period: str | Period, *, today: date | None = None) -> Period:
    """A reported figure is for a period that has begun: one starting after the business
    today (core.clock) is refused — an import of 2099-12 once moved the leader's cockpit to
    2099年. Plans, which look ahead, use ``refuse_beyond_plan_years``."""
    from . import clock  # clock reads the database; periods is imported by models

    p = Period.parse(period)
    today = today or clock.today()
    if p.start > today:
        raise PeriodError(
            _("期间“%(p)s”尚未开始（当前日期 %(d)s），不能填报未来期间的数据")
            % {"p": p.code, "d": today.isoformat()}
        )
    return p


def refuse_beyond_plan_years(year: int, *, today: date | None = None) -> None:
    """A plan or target may be set for the coming year(s) (SHOUWEI_PLAN_YEARS_AHEAD, default
    1: next year's targets are set in the autumn), not further."""
    from django.conf import settings

    from . import clock

    today = today or clock.today()
    last = today.year + settings.SHOUWEI_PLAN_YEARS_AHEAD
    if year > last:
        raise PeriodError(
            _("年度 %(y)s 超出可制定计划的范围（最晚 %(last)s 年）") % {"y": year, "last": last}
        )
