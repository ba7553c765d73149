"""Errors and warnings of the evaluation engine, worded in Chinese with the English alongside.

Bad input never passes silently: what the engine refuses raises :class:`EvaluationError`
naming the indicator, unit, row or cell at fault; what it repairs (a constant indicator
dropped, weights rescaled to sum to 1, a missing value imputed) is returned as an
:class:`EvaluationWarning` that callers must show to the user.
"""

from __future__ import annotations

from dataclasses import dataclass


class EvaluationError(ValueError):
    """Input the engine cannot evaluate. ``str(error)`` is the user-facing message.

    ``code`` is a stable machine key (``constant_indicator``, ``non_numeric``, …); the other
    attributes name where the problem is, when it has a place.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        indicator: str | None = None,
        unit: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.indicator = indicator
        self.unit = unit
        self.row = row
        self.column = column


@dataclass(frozen=True)
class EvaluationWarning:
    """Something the engine repaired on the user's behalf; always shown, never swallowed."""

    code: str
    message: str
    indicator: str | None = None
    unit: str | None = None

    def __str__(self) -> str:
        return self.message


def constant_indicator_error(indicator: str, handling: str) -> EvaluationError:
    """A zero-range indicator: it cannot tell units apart and breaks every range-based scale."""
    return EvaluationError(
        f"指标「{indicator}」在所有单位的取值都相同（极差为 0），无法区分单位；{handling}"
        f"（indicator '{indicator}' is constant across units: zero range）",
        code="constant_indicator",
        indicator=indicator,
    )


def negative_values_error(indicator: str, unit: str, value: float, needs: str) -> EvaluationError:
    return EvaluationError(
        f"{needs}要求数据非负，但指标「{indicator}」在单位「{unit}」处为 {value:g}"
        f"（{needs} needs non-negative values: '{indicator}' is {value:g} for '{unit}'）",
        code="negative_values",
        indicator=indicator,
        unit=unit,
    )
