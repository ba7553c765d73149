"""Run an importer over a sheet: headers, cells, duplicates, resolve — collecting every error.

Nothing here writes. The result is either a list of resolved rows ready for ``write_rows`` or
the errors, numbered as the user sees the rows in Excel (the header is row 1).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from .base import CREATE, Column, Importer, Row, RowError
from .parsers import CellError, is_blank
from .readers import FileRejected, Sheet, column_letter

MAX_LISTED_ERRORS = 200
CHUNK_ROWS = 1000
PREVIEW_ROWS = 20


@dataclass
class ErrorLog:
    """Every error counted, the first 200 kept: a file with 50,000 bad rows must not fill the
    database or the page."""

    listed: list[dict] = field(default_factory=list)
    total: int = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.listed) < MAX_LISTED_ERRORS:
            self.listed.append({"row": row, "column": column or "", "message": message})

    @property
    def hidden(self) -> int:
        return self.total - len(self.listed)


def format_error(error: dict) -> str:
    """第12行 “单位代码”：单位“hy-xxx”不存在 — the form every message takes."""
    if not error.get("row"):
        return error["message"]
    if error.get("column"):
        return f"第{error['row']}行 “{error['column']}”：{error['message']}"
    return f"第{error['row']}行：{error['message']}"


def error_lines(errors: list[dict], total: int) -> list[str]:
    lines = [format_error(e) for e in errors]
    if total > len(errors):
        lines.append(f"…还有{total - len(errors)}处错误")
    return lines


@dataclass
class Outcome:
    total_rows: int = 0
    rows: list[Row] = field(default_factory=list)
    errors: ErrorLog = field(default_factory=ErrorLog)
    preview: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.errors.total == 0

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.action == CREATE)

    @property
    def updated(self) -> int:
        return len(self.rows) - self.created


def _fold(text: Any) -> str:
    return unicodedata.normalize("NFKC", str(text if text is not None else "")).strip()


def match_header(importer: Importer, header: list[Any]) -> list[tuple[int, Column]]:
    """Map spreadsheet columns to the importer's columns by exact Chinese header (surrounding
    spaces and full-width brackets ignored) or by field key. Anything unexpected or missing is
    one error listing what was expected and what was found."""
    by_name: dict[str, Column] = {}
    for col in importer.columns:
        by_name[_fold(col.header)] = col
        by_name[col.key.lower()] = col
    found = [_fold(h) for h in header]
    mapping: list[tuple[int, Column]] = []
    unknown, seen, repeated = [], set(), []
    for index, name in enumerate(found):
        if not name:
            continue
        col = by_name.get(name) or by_name.get(name.lower())
        if col is None:
            unknown.append(name)
        elif col.key in seen:
            repeated.append(name)
        else:
            seen.add(col.key)
            mapping.append((index, col))
    missing = [c.header for c in importer.columns if c.required and c.key not in seen]
    if unknown or missing or repeated:
        problems = []
        if missing:
            problems.append("缺少必填列：" + "、".join(missing))
        if unknown:
            problems.append("无法识别的列：" + "、".join(unknown))
        if repeated:
            problems.append("重复的列：" + "、".join(repeated))
        expected = "、".join(
            c.header + ("（必填）" if c.required else "") for c in importer.columns
        )
        shown = "、".join(n for n in found if n) or "（空）"
        raise FileRejected(
            f"第1行表头与模板不符（{'；'.join(problems)}）。应为：{expected}；"
            f"文件中为：{shown}。请下载最新模板，表头不要修改。"
        )
    return mapping


def _display(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    label = getattr(column.parse, "label", None)
    return label(value) if label else str(value)


def _has_data(cells: list[Any]) -> bool:
    return not all(is_blank(c) for c in cells)


def data_row_count(sheet: Sheet) -> int:
    """Rows below the header with anything in them: what the progress bar counts to."""
    return sum(1 for r in sheet.rows[1:] if _has_data(r))


def run(
    importer: Importer,
    sheet: Sheet,
    *,
    user,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Validate every row; raises FileRejected for problems with the file as a whole."""
    rows = sheet.rows
    if all(is_blank(c) for r in rows for c in r):
        raise FileRejected("文件是空的：没有表头，也没有数据")
    mapping = match_header(importer, rows[0])
    outcome = Outcome()
    if sheet.formulas or sheet.formula_unlocated:
        names = dict(mapping)
        for line, index in sheet.formulas:
            col = names.get(index)
            where = f"“{col.header}”列" if col else f"{column_letter(index)}列"
            outcome.errors.add(None, None, f"第{line}行{where}是公式，请粘贴为数值")
        if sheet.formula_unlocated:
            outcome.errors.add(None, None, "文件中有公式单元格，请选中数据后“粘贴为数值”再导入")
        return outcome

    data = [(i + 1, r) for i, r in enumerate(rows) if i > 0 and _has_data(r)]
    outcome.total_rows = len(data)
    if not data:
        raise FileRejected("文件只有表头，没有数据行")
    limit = settings.SHOUWEI_IMPORT_MAX_ROWS
    if len(data) > limit:
        raise FileRejected(f"数据共 {len(data)} 行，超过单次导入上限 {limit} 行，请拆分后分批导入")

    headers = {c.key: c.header for c in importer.columns}
    seen: dict[tuple, int] = {}
    for start in range(0, len(data), CHUNK_ROWS):
        # A chunk's errors are listed in row order, whichever pass found them.
        errors: list[tuple[int, str | None, str]] = []
        parsed: list[Row] = []
        for line, cells in data[start : start + CHUNK_ROWS]:
            row = _parse_row(line, cells, mapping, importer, errors)
            if row is None:
                continue
            key = importer.natural_key(row.values)
            if key is not None:
                first = seen.setdefault(key, line)
                if first != line:
                    errors.append(
                        (
                            line,
                            None,
                            f"与第{first}行重复（{importer.describe_key(key)}相同），请只保留一行",
                        )
                    )
                    continue
            parsed.append(row)
        importer.prepare(parsed, user=user)
        for row in parsed:
            try:
                importer.resolve(row, user=user)
            except RowError as exc:
                errors.extend(
                    (row.line, headers.get(key) if key else None, message)
                    for key, message in exc.problems
                )
                continue
            outcome.rows.append(row)
            if len(outcome.preview) < PREVIEW_ROWS:
                outcome.preview.append(
                    {
                        "line": row.line,
                        "action": row.action,
                        "cells": [_display(row.values.get(c.key), c) for c in importer.columns],
                    }
                )
        for line, column, message in sorted(errors, key=lambda e: e[0]):
            outcome.errors.add(line, column, message)
        processed = min(len(data), start + CHUNK_ROWS)
        if progress is not None:
            progress(processed)
    return outcome


def _parse_row(
    line: int,
    cells: list[Any],
    mapping: list[tuple[int, Column]],
    importer: Importer,
    errors: list[tuple[int, str | None, str]],
) -> Row | None:
    values: dict[str, Any] = {c.key: None for c in importer.columns}
    ok = True
    width = len(cells)
    for index, col in mapping:
        raw = cells[index] if index < width else None
        try:
            value = col.parse(raw)
        except CellError as exc:
            errors.append((line, col.header, str(exc)))
            ok = False
            continue
        if value is None and col.required:
            errors.append((line, col.header, "必填，不能为空"))
            ok = False
        values[col.key] = value
    return Row(line=line, values=values) if ok else None
