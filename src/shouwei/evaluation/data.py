"""Reading evaluation inputs: the decision matrix CSV and the option files that go with it.

The data CSV has a header row; its first column names the units (园区/区县), every other column
is one indicator. Encodings: UTF-8, UTF-8 with BOM (Excel's "CSV UTF-8"), GB18030 (Excel's
default on Chinese Windows, a superset of GBK/GB2312). Row numbers in messages are the
spreadsheet's: the header is row 1, the first unit row 2.

Cells: numbers (``1234.5``, ``1,234.5``, ``-3``, ``1e3``); an empty cell or one of
``MISSING_MARKERS`` is a missing value, handled by the missing-value policy
(:mod:`shouwei.evaluation.missing`); anything else is an error naming the row and column.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import numpy.typing as npt

from shouwei.evaluation.common import BENEFIT, COST, FloatArray, IntArray
from shouwei.evaluation.errors import EvaluationError

ENCODINGS = ("utf-8-sig", "gb18030")
MISSING_MARKERS = frozenset({"", "NA", "N/A", "NAN", "NULL", "-", "—", "－", "…", "..."})
DIRECTION_WORDS: dict[str, int] = {
    "+": BENEFIT,
    "1": BENEFIT,
    "+1": BENEFIT,
    "benefit": BENEFIT,
    "max": BENEFIT,
    "正向": BENEFIT,
    "正": BENEFIT,
    "-": COST,
    "-1": COST,
    "cost": COST,
    "min": COST,
    "逆向": COST,
    "负向": COST,
    "逆": COST,
    "负": COST,
}


@dataclass(frozen=True)
class DecisionMatrix:
    """Units × indicators values; NaN marks a missing value. Validated on construction."""

    units: tuple[str, ...]
    indicators: tuple[str, ...]
    values: FloatArray

    def __post_init__(self) -> None:
        if self.values.shape != (len(self.units), len(self.indicators)):
            raise EvaluationError(
                f"数据形状 {self.values.shape} 与 {len(self.units)} 个单位、"
                f"{len(self.indicators)} 个指标不符（shape does not match the names）",
                code="bad_shape",
            )
        _check_names(self.indicators, what="指标", what_en="indicator", code="duplicate_indicator")
        if not self.indicators:
            raise EvaluationError(
                "没有指标列：第 1 列为单位名称，其后每列一个指标（no indicator columns）",
                code="no_indicators",
            )
        _check_names(self.units, what="单位", what_en="unit", code="duplicate_unit")
        if len(self.units) < 2:
            raise EvaluationError(
                f"至少需要 2 个单位才能比较排名，实际只有 {len(self.units)} 个"
                f"（at least 2 units are needed, got {len(self.units)}）",
                code="too_few_units",
            )
        bad = np.argwhere(np.isinf(self.values))
        if bad.size:
            i, j = bad[0]
            raise EvaluationError(
                f"「{self.units[i]}」的「{self.indicators[j]}」为无穷大，不是有效数字"
                f"（'{self.indicators[j]}' of '{self.units[i]}' is infinite）",
                code="non_numeric",
                unit=self.units[i],
                column=self.indicators[j],
            )

    @classmethod
    def from_arrays(
        cls, units: Sequence[str], indicators: Sequence[str], values: npt.ArrayLike
    ) -> DecisionMatrix:
        return cls(tuple(units), tuple(indicators), np.array(values, dtype=np.float64))


def _check_names(names: Sequence[str], *, what: str, what_en: str, code: str) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            raise EvaluationError(
                f"第 {position} 个{what}名称为空（{what_en} {position} has no name）", code=code
            )
        if name in seen:
            raise EvaluationError(
                f"{what}名称重复：「{name}」出现在第 {seen[name]} 个和第 {position} 个"
                f"（duplicate {what_en} name '{name}'）",
                code=code,
                unit=name if what_en == "unit" else None,
                indicator=name if what_en == "indicator" else None,
            )
        seen[name] = position


def decode(raw: bytes, *, source: str = "文件") -> str:
    """Text of a CSV in UTF-8 (with or without BOM) or GB18030."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise EvaluationError(
        f"{source}的编码无法识别：请另存为 UTF-8 或 GB18030 编码的 CSV"
        f"（{source}: not UTF-8 or GB18030）",
        code="bad_encoding",
    )


def read_rows(path: str | Path) -> list[list[str]]:
    """All rows of a CSV file, cells stripped, fully blank rows dropped."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise EvaluationError(
            f"无法读取文件 {p}：{exc.strerror}（cannot read {p}）", code="bad_file"
        ) from exc
    text = decode(raw, source=f"文件 {p.name} ")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def parse_number(cell: str) -> float | None:
    """A number, ``None`` for a missing-value marker; raises ValueError otherwise."""
    text = cell.strip()
    if text.upper() in MISSING_MARKERS:
        return None
    value = float(text.replace(",", "").replace("，", ""))
    if math.isnan(value):
        return None
    if math.isinf(value):
        raise ValueError(text)
    return value


def matrix_from_rows(rows: Sequence[Sequence[str]]) -> DecisionMatrix:
    """Build a :class:`DecisionMatrix` from CSV rows (header first), naming bad cells."""
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        raise EvaluationError("文件为空（the file is empty）", code="empty_file")
    _, header = numbered[0]
    indicators = tuple(header[1:])
    units: list[str] = []
    values = np.full((len(numbered) - 1, len(indicators)), np.nan)
    for i, (number, row) in enumerate(numbered[1:]):
        if len(row) != len(header):
            raise EvaluationError(
                f"第 {number} 行有 {len(row)} 列，表头有 {len(header)} 列"
                f"（row {number} has {len(row)} cells, the header {len(header)}）",
                code="ragged_row",
                row=number,
            )
        unit = row[0]
        if not unit:
            raise EvaluationError(
                f"第 {number} 行第 1 列（单位名称）为空（row {number}: unit name is empty）",
                code="empty_unit",
                row=number,
            )
        units.append(unit)
        for j, cell in enumerate(row[1:]):
            try:
                value = parse_number(cell)
            except ValueError:
                raise EvaluationError(
                    f"第 {number} 行（{unit}）「{indicators[j]}」列的值「{cell}」不是数字"
                    f"（row {number}, column '{indicators[j]}': '{cell}' is not a number）",
                    code="non_numeric",
                    row=number,
                    column=indicators[j],
                    unit=unit,
                ) from None
            if value is not None:
                values[i, j] = value
    duplicate_rows: dict[str, int] = {}
    for (number, _), unit in zip(numbered[1:], units, strict=True):
        if unit in duplicate_rows:
            raise EvaluationError(
                f"单位名称重复：「{unit}」出现在第 {duplicate_rows[unit]} 行和第 {number} 行"
                f"（duplicate unit '{unit}' in rows {duplicate_rows[unit]} and {number}）",
                code="duplicate_unit",
                row=number,
                unit=unit,
            )
        duplicate_rows[unit] = number
    return DecisionMatrix(tuple(units), indicators, values)


def read_decision_matrix(path: str | Path) -> DecisionMatrix:
    """Read the data CSV (first column units, header row of indicator names)."""
    return matrix_from_rows(read_rows(path))


def _pairs(spec: str | Path, *, what: str) -> list[tuple[str, str, int | None]]:
    """``name:value`` pairs from an inline spec or a two-column CSV file (with row numbers)."""
    path = Path(spec)
    if path.is_file():
        rows = read_rows(path)
        pairs: list[tuple[str, str, int | None]] = []
        for number, row in enumerate(rows, start=1):
            if not any(row):
                continue
            if len(row) < 2:
                raise EvaluationError(
                    f"{what}文件第 {number} 行应为「指标,值」两列（row {number}: need 2 cells）",
                    code="bad_spec",
                    row=number,
                )
            pairs.append((row[0], row[1], number))
        return pairs
    out: list[tuple[str, str, int | None]] = []
    for item in str(spec).replace("，", ",").split(","):
        if not item.strip():
            continue
        name, sep, value = item.strip().rpartition(":")
        if not sep:
            raise EvaluationError(
                f"{what}「{item.strip()}」应写成「指标:值」，或给出一个存在的文件"
                f"（'{item.strip()}' should be name:value, or a file path）",
                code="bad_spec",
            )
        out.append((name.strip(), value.strip(), None))
    return out


def _where(row: int | None) -> str:
    return f"第 {row} 行" if row is not None else ""


def _check_known(name: str, indicators: Sequence[str], row: int | None, what: str) -> None:
    if name not in indicators:
        raise EvaluationError(
            f"{what}{_where(row)}中的指标「{name}」不在数据表头中（unknown indicator '{name}'）",
            code="unknown_indicator",
            indicator=name,
            row=row,
        )


def parse_directions(spec: str | Path | None, indicators: Sequence[str]) -> IntArray:
    """Directions from ``"失业率:-,GDP:+"`` or a file of ``指标,方向`` rows; unlisted → benefit.

    A header row in the file (``指标,方向``) is skipped when its second cell is not a direction.
    """
    directions = np.full(len(indicators), BENEFIT, dtype=np.int64)
    if spec is None:
        return directions
    for position, (name, word, row) in enumerate(_pairs(spec, what="方向")):
        key = word.strip().lower()
        if key not in DIRECTION_WORDS:
            if row is not None and position == 0:
                continue
            raise EvaluationError(
                f"方向{_where(row)}「{name}:{word}」无法识别：正向用 + 、逆向用 -"
                f"（direction '{word}' of '{name}': use + or -）",
                code="bad_direction",
                indicator=name,
                row=row,
            )
        _check_known(name, indicators, row, "方向")
        directions[indicators.index(name)] = DIRECTION_WORDS[key]
    return directions


def parse_targets(spec: str | Path | None, indicators: Sequence[str]) -> FloatArray:
    """Reference values for ``--normalise target``; unlisted indicators get NaN (= the leader)."""
    references = np.full(len(indicators), np.nan)
    if spec is None:
        return references
    for position, (name, text, row) in enumerate(_pairs(spec, what="目标值")):
        try:
            value = parse_number(text)
        except ValueError:
            value = None
        if value is None:
            if row is not None and position == 0:
                continue
            raise EvaluationError(
                f"目标值{_where(row)}「{name}」的值「{text}」不是数字"
                f"（target of '{name}': '{text}' is not a number）",
                code="non_numeric",
                indicator=name,
                row=row,
            )
        _check_known(name, indicators, row, "目标值")
        references[indicators.index(name)] = value
    return references


def read_weights(path: str | Path, indicators: Sequence[str]) -> FloatArray:
    """Expert weights from a file of ``指标,权重`` rows; every indicator must be listed once."""
    weights = np.full(len(indicators), np.nan)
    for position, (name, text, row) in enumerate(_pairs(path, what="权重")):
        try:
            value = parse_number(text)
        except ValueError:
            value = None
        if value is None:
            if row is not None and position == 0:
                continue
            raise EvaluationError(
                f"权重文件{_where(row)}「{name}」的权重「{text}」不是数字"
                f"（weight of '{name}': '{text}' is not a number）",
                code="non_numeric",
                indicator=name,
                row=row,
            )
        _check_known(name, indicators, row, "权重文件")
        weights[indicators.index(name)] = value
    absent = [name for name, w in zip(indicators, weights, strict=True) if np.isnan(w)]
    if absent:
        raise EvaluationError(
            f"权重文件缺少指标：{'、'.join(absent)}（weights missing for: {', '.join(absent)}）",
            code="bad_weight",
            indicator=absent[0],
        )
    return weights


@dataclass(frozen=True)
class PairwiseMatrix:
    """An AHP judgement matrix over named indicators."""

    indicators: tuple[str, ...]
    matrix: FloatArray

    def restricted_to(self, indicators: Sequence[str]) -> PairwiseMatrix:
        """The same judgements re-ordered to ``indicators``; each must be in the matrix."""
        missing = [name for name in indicators if name not in self.indicators]
        if missing:
            raise EvaluationError(
                f"AHP 判断矩阵缺少指标：{'、'.join(missing)}"
                f"（AHP matrix lacks: {', '.join(missing)}）",
                code="unknown_indicator",
                indicator=missing[0],
            )
        order = [self.indicators.index(name) for name in indicators]
        return PairwiseMatrix(tuple(indicators), self.matrix[np.ix_(order, order)])


def parse_judgement(cell: str) -> float:
    """A Saaty judgement: ``3``, ``0.333`` or ``1/3``."""
    text = cell.strip()
    if "/" in text:
        return float(Fraction(text))
    return float(text)


def read_pairwise(path: str | Path, indicators: Sequence[str] | None = None) -> PairwiseMatrix:
    """An AHP matrix CSV: header row of indicator names, then one row per indicator.

    The first cell of each row repeats the indicator's name and must match the header order.
    Cells may be written as fractions (``1/3``).
    """
    rows = [row for row in read_rows(path) if any(row)]
    if len(rows) < 2:
        raise EvaluationError("AHP 判断矩阵文件为空（AHP file is empty）", code="ahp_shape")
    names = tuple(rows[0][1:])
    if len(rows) - 1 != len(names):
        raise EvaluationError(
            f"AHP 判断矩阵表头有 {len(names)} 个指标，却有 {len(rows) - 1} 行"
            f"（AHP matrix must be square）",
            code="ahp_shape",
        )
    matrix = np.empty((len(names), len(names)))
    for i, row in enumerate(rows[1:]):
        number = i + 2
        if len(row) != len(names) + 1 or row[0] != names[i]:
            raise EvaluationError(
                f"AHP 判断矩阵第 {number} 行应以「{names[i]}」开头并有 {len(names)} 个判断值"
                f"（AHP row {number} must start with '{names[i]}' and hold {len(names)} values）",
                code="ahp_shape",
                row=number,
            )
        for j, cell in enumerate(row[1:]):
            try:
                matrix[i, j] = parse_judgement(cell)
            except (ValueError, ZeroDivisionError):
                raise EvaluationError(
                    f"AHP 判断矩阵第 {number} 行「{names[j]}」列的值「{cell}」不是数字"
                    f"（AHP row {number}, column '{names[j]}': '{cell}' is not a number）",
                    code="non_numeric",
                    row=number,
                    column=names[j],
                ) from None
    pairwise = PairwiseMatrix(names, matrix)
    if indicators is not None:
        extra = [name for name in names if name not in indicators]
        if extra:
            raise EvaluationError(
                f"AHP 判断矩阵中的指标不在数据表头中：{'、'.join(extra)}"
                f"（AHP indicators not in the data: {', '.join(extra)}）",
                code="unknown_indicator",
                indicator=extra[0],
            )
        return pairwise.restricted_to(indicators)
    return pairwise


def weights_mapping(names: Sequence[str], values: npt.ArrayLike) -> Mapping[str, float]:
    """``{indicator: weight}`` for display and saved runs."""
    return {name: float(w) for name, w in zip(names, np.asarray(values), strict=True)}
