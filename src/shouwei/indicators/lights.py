"""Target lights (红黄绿灯).

* green: on pace — 时间过半、任务过半: by the end of June half the year's target is done, or the
  unit's own seasonal curve from past years says what share is normal by then;
* yellow: behind pace but the year can still be made;
* red: the floor is missed, or the rest of the year would need more than ``MAX_CATCH_UP`` times
  the pace achieved so far (the year's pace cannot be met).

Rank targets: within the floor is green (the stretch reached is said so), outside it is red.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from shouwei.core.formatting import format_growth, format_percent, format_rank

from .choices import TargetKind

MAX_CATCH_UP = Decimal("1.5")


@dataclass(frozen=True)
class Light:
    colour: str  # green | yellow | red | grey
    reason: str
    progress: Decimal | None = None  # share of the annual target done
    expected: Decimal | None = None  # share that should be done by now

    @property
    def css(self) -> str:
        return {"green": "green", "yellow": "yellow", "red": "red"}.get(self.colour, "secondary")

    @property
    def label(self) -> str:
        return {"green": _("绿灯"), "yellow": _("黄灯"), "red": _("红灯")}.get(
            self.colour, _("无数据")
        )


GREY = Light("grey", "")


def _better_or_equal(a: Decimal, b: Decimal, lower_is_better: bool) -> bool:
    return a <= b if lower_is_better else a >= b


def rank_light(rank: int | None, floor: int, stretch: int | None) -> Light:
    if rank is None:
        return Light("grey", _("尚无排名"))
    if stretch is not None and rank <= stretch:
        return Light("green", _("%(rank)s，已达争取目标") % {"rank": format_rank(rank)})
    if rank <= floor:
        return Light(
            "green",
            _("%(rank)s，守住保底目标第%(floor)s名") % {"rank": format_rank(rank), "floor": floor},
        )
    return Light(
        "red",
        _("%(rank)s，未达保底目标第%(floor)s名") % {"rank": format_rank(rank), "floor": floor},
    )


def growth_light(
    growth: Decimal | None, target: Decimal, floor: Decimal | None, lower_is_better: bool = False
) -> Light:
    if growth is None:
        return Light("grey", _("尚无增速"))
    if _better_or_equal(growth, target, lower_is_better):
        return Light(
            "green",
            _("增速%(g)s，达到目标%(t)s")
            % {"g": format_growth(growth), "t": format_growth(target)},
        )
    if floor is not None and not _better_or_equal(growth, floor, lower_is_better):
        return Light(
            "red",
            _("增速%(g)s，低于保底%(f)s") % {"g": format_growth(growth), "f": format_growth(floor)},
        )
    return Light(
        "yellow",
        _("增速%(g)s，未达目标%(t)s") % {"g": format_growth(growth), "t": format_growth(target)},
    )


def value_light(
    actual: Decimal | None,
    target: Decimal,
    *,
    expected: Decimal,
    floor: Decimal | None = None,
    lower_is_better: bool = False,
    cumulative: bool = True,
) -> Light:
    """``expected``: share of the annual target that should be done by now (0–1)."""
    if actual is None:
        return Light("grey", _("尚无数据"))
    if lower_is_better or not cumulative or target == 0:
        # A ceiling (accidents, unemployment) or a point-in-time level is met or not, no pace.
        ok = _better_or_equal(actual, target, lower_is_better)
        if ok:
            return Light("green", _("当前%(a)s，符合目标%(t)s") % {"a": actual, "t": target})
        if floor is not None and _better_or_equal(actual, floor, lower_is_better):
            return Light("yellow", _("当前%(a)s，未达目标%(t)s") % {"a": actual, "t": target})
        return Light("red", _("当前%(a)s，未达目标%(t)s") % {"a": actual, "t": target})
    progress = actual / target
    if expected >= 1:
        ok = progress >= 1
        return Light(
            "green" if ok else "red",
            _("全年完成%(p)s") % {"p": format_percent(progress)},
            progress,
            expected,
        )
    if progress >= expected:
        return Light(
            "green",
            _("完成%(p)s，快于序时进度%(e)s")
            % {"p": format_percent(progress), "e": format_percent(expected)},
            progress,
            expected,
        )
    floor_missed = floor is not None and actual < floor * expected
    achieved_pace = progress / expected if expected > 0 else Decimal(0)
    needed_pace = (1 - progress) / (1 - expected)
    if floor_missed or achieved_pace == 0 or needed_pace > MAX_CATCH_UP * achieved_pace:
        return Light(
            "red",
            _("完成%(p)s，序时进度%(e)s，全年目标难以完成")
            % {"p": format_percent(progress), "e": format_percent(expected)},
            progress,
            expected,
        )
    return Light(
        "yellow",
        _("完成%(p)s，慢于序时进度%(e)s")
        % {"p": format_percent(progress), "e": format_percent(expected)},
        progress,
        expected,
    )


def target_light(
    target, *, value: Decimal | None, growth: Decimal | None, rank: int | None, expected: Decimal
) -> Light:
    lower = bool(target.indicator_id and target.indicator.lower_is_better)
    if target.kind == TargetKind.RANK:
        return rank_light(rank, target.floor_rank, target.stretch_rank)
    if target.kind == TargetKind.GROWTH:
        return growth_light(growth, target.target_value, target.floor_value, lower)
    cumulative = bool(target.indicator_id and target.indicator.cumulative)
    return value_light(
        value,
        target.target_value,
        expected=expected,
        floor=target.floor_value,
        lower_is_better=lower,
        cumulative=cumulative,
    )
