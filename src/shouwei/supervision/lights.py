"""Lights of goals and milestones (督查亮灯).

A milestone not yet done is

* red (已逾期) from the day after its due date;
* yellow (临近时限) from ``DUE_SOON_DAYS`` days before its due date to the due date itself —
  the due day is still on time (《督查工作规则》 count a 时限 inclusive);
* green (按时推进) before that.

A done milestone is "done", on time or late as its completion date says. A goal bound to an
indicator target takes the foundation's target light (indicators.lights: green on pace, yellow
behind pace, red when the floor is missed), on the cockpit's pace: the unit's own seasonal curve
from past years (indicators.selectors.seasonal_share), or 时间过半、任务过半 when it has no full
past year; the light says which (``pace``). A goal with no target, or whose target has no data
yet, takes its worst milestone's light, and is done when all its milestones are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .choices import LightColour, Pace

DUE_SOON_DAYS = 7
# Worst first: a goal shows the worst of its milestones.
SEVERITY = (LightColour.RED, LightColour.YELLOW, LightColour.GREEN, LightColour.DONE)


@dataclass(frozen=True)
class Light:
    colour: str
    reason: str
    from_target: bool = False
    pace: str = ""  # Pace, when a bound target's light was measured against one

    @property
    def label(self) -> str:
        return LightColour(self.colour).label

    @property
    def pace_label(self) -> str:
        return Pace(self.pace).label if self.pace else ""

    @property
    def css(self) -> str:
        return {
            LightColour.GREEN: "green",
            LightColour.YELLOW: "yellow",
            LightColour.RED: "red",
            LightColour.DONE: "blue",
        }.get(self.colour, "secondary")


@dataclass(frozen=True)
class TargetLight:
    """The foundation's light of a goal's bound target (indicators.lights.Light) and the pace
    it was measured against: "" when the light needs none (a rank or growth target, a ceiling,
    a point-in-time level)."""

    light: object
    pace: str = ""

    @property
    def colour(self) -> str:
        return self.light.colour

    @property
    def reason(self) -> str:
        return self.light.reason


def milestone_light(*, due: date, completed_on: date | None, today: date) -> Light:
    if completed_on is not None:
        if completed_on <= due:
            return Light(LightColour.DONE, _("已于 %(d)s 按时完成") % {"d": completed_on})
        late = (completed_on - due).days
        return Light(
            LightColour.DONE,
            _("已于 %(d)s 完成，逾期 %(n)s 天") % {"d": completed_on, "n": late},
        )
    days = (due - today).days
    if days < 0:
        return Light(LightColour.RED, _("已逾期 %(n)s 天") % {"n": -days})
    if days <= DUE_SOON_DAYS:
        if days == 0:
            return Light(LightColour.YELLOW, _("今天到期"))
        return Light(LightColour.YELLOW, _("还有 %(n)s 天到期") % {"n": days})
    return Light(LightColour.GREEN, _("距时限还有 %(n)s 天") % {"n": days})


def goal_light(*, milestone_lights: list[Light], target_light: TargetLight | None = None) -> Light:
    """``target_light``: the bound target's light (``TargetLight``), or None."""
    if target_light is not None and target_light.colour in ("green", "yellow", "red"):
        return Light(
            target_light.colour, target_light.reason, from_target=True, pace=target_light.pace
        )
    if not milestone_lights:
        return Light(LightColour.GREY, _("尚未设定节点"))
    worst = min(milestone_lights, key=lambda lt: SEVERITY.index(lt.colour))
    if worst.colour == LightColour.DONE:
        return Light(LightColour.DONE, _("节点全部完成"))
    counts = {c: sum(1 for lt in milestone_lights if lt.colour == c) for c in SEVERITY}
    return Light(
        worst.colour,
        _("%(total)s 个节点：已完成 %(done)s，逾期 %(red)s，临近时限 %(yellow)s")
        % {
            "total": len(milestone_lights),
            "done": counts[LightColour.DONE],
            "red": counts[LightColour.RED],
            "yellow": counts[LightColour.YELLOW],
        },
    )
