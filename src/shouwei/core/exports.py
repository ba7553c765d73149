"""The one export and the one .xlsx writer.

A list exports exactly what the user sees (same queryset, same filters), as it reads on the
page: numbers stay numbers, with the Excel number format the page's formatter uses (``0.00``
for 亿元, ``0.0%`` for a rate), yes/no reads 是/否, and text that Excel would take for a formula
is neutralised. Every sheet the product writes — list exports, the 周调度 sheet, an evaluation
run — goes through ``xlsx_bytes``, so header style, number formats and column widths are one
thing.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django_tables2 import BooleanColumn

from . import formatting

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RATE = "0.0%"  # a share in [0, 1], shown as on the page: 84.3%
GENERAL = "General"
MAX_WIDTH = 48  # characters; longer text wraps (sheets that wrap) or runs on (list exports)


def decimals_format(decimals: int) -> str:
    """The Excel number format showing ``decimals`` places: 2 → ``0.00``."""
    return "0." + "0" * decimals if decimals > 0 else "0"


@dataclass(frozen=True)
class Number:
    """A figure and the Excel number format it reads in (``0.00``, ``0.0%``)."""

    value: float | int
    num_format: str = GENERAL

    @classmethod
    def of(cls, value, num_format: str = GENERAL) -> Number | None:
        """None (no figure) for an empty or non-finite value."""
        d = formatting.to_decimal(value)
        return None if d is None else cls(float(d), num_format)

    def as_text(self) -> str:
        """The figure as the format shows it, for CSV (which carries no formats)."""
        fmt = self.num_format
        if fmt == GENERAL:
            return format(self.value, ".15g")
        if fmt.endswith("%"):
            decimals = len(fmt.rstrip("%").partition(".")[2])
            return formatting.format_percent(self.value, decimals)
        decimals = len(fmt.partition(".")[2])
        return formatting.format_number(self.value, decimals, grouping=False)


@dataclass(frozen=True)
class SheetChart:
    """A native Excel chart drawn from the sheet's own cells: the categories in column
    ``categories`` and one series a column of ``values`` (0-based columns of the table), over
    all its body rows, so the chart follows an edit of the figures in Excel. ``kind``: ``bar``
    (columns), ``hbar`` (horizontal bars) or ``line``."""

    title: str
    categories: int
    values: tuple[int, ...]
    kind: str = "bar"
    y_title: str = ""


_CHART_TYPES = {"bar": "column", "hbar": "bar", "line": "line"}


@dataclass
class Sheet:
    """One worksheet: an optional title and notes above a header row and its rows.

    ``totals``: a last row in the header's style. ``widths``: column widths in characters
    (from the content when not given). ``wrap``: long text wraps inside its column (the sheets
    people print), instead of running on (a list export, read on screen). ``freeze_columns``:
    columns kept in view beside the header (the project's name)."""

    name: str
    header: list
    rows: list[list] = field(default_factory=list)
    title: str = ""
    notes: tuple[str, ...] = ()
    totals: list | None = None
    widths: tuple[float, ...] | None = None
    wrap: bool = False
    freeze_columns: int = 0
    charts: tuple[SheetChart, ...] = ()


def cell_value(value):
    """What a cell holds: a ``Number``, ``None`` (blank) or text as the page shows it."""
    if value is None or value == "":
        return None
    if isinstance(value, Number | str):
        return value
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int):
        return Number(value, "0")
    if isinstance(value, Decimal):
        # A stored Decimal keeps its places: 8.50 亿元 reads 8.50.
        exponent = value.as_tuple().exponent
        return Number.of(value, decimals_format(-exponent if isinstance(exponent, int) else 0))
    if isinstance(value, float):
        return Number.of(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return force_str(value)


def safe_text(text: str) -> str:
    """A cell starting with = + - @ is a formula to Excel: neutralise it (CSV injection).
    Every sheet the product writes passes its text through here."""
    if text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def _display_width(text: str) -> int:
    """Characters as wide as Excel draws them: a Chinese character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(sheet: Sheet) -> list[float]:
    if sheet.widths is not None:
        return list(sheet.widths)
    widths: list[float] = [0] * len(sheet.header)
    for row in [sheet.header, *sheet.rows[:500]]:  # enough rows to judge, not all 100,000
        for c, value in enumerate(row[: len(widths)]):
            value = cell_value(value)
            text = value.as_text() if isinstance(value, Number) else str(value or "")
            widths[c] = max(widths[c], _display_width(text) + 2)
    return [min(max(w, 6), MAX_WIDTH) for w in widths]


class _Formats:
    """The book's formats, made once each: header, body and totals, by number format."""

    def __init__(self, book, *, wrap: bool):
        self.book, self.wrap, self.made = book, wrap, {}

    def get(self, role: str, num_format: str = GENERAL):
        key = (role, num_format)
        if key not in self.made:
            spec = {"border": 1, "valign": "top", "num_format": num_format}
            if role in ("header", "total"):
                spec.update(bold=True, bg_color="#DCE6F1", text_wrap=True)
            elif self.wrap:
                spec["text_wrap"] = True
            self.made[key] = self.book.add_format(spec)
        return self.made[key]


def _write_row(ws, r: int, row, formats: _Formats, role: str) -> None:
    for c, raw in enumerate(row):
        value = raw if role == "header" else cell_value(raw)
        if isinstance(value, Number):
            ws.write_number(r, c, value.value, formats.get(role, value.num_format))
        elif value is None:
            ws.write_blank(r, c, None, formats.get(role))
        elif role == "header":
            ws.write_string(r, c, str(value), formats.get(role))
        else:
            ws.write_string(r, c, safe_text(value), formats.get(role))


def xlsx_bytes(*sheets: Sheet, watermark: str = "") -> bytes:
    """``watermark``: who exported non-public data and when (``export_watermark``); printed in
    every page's header and footer, kept in the file's properties and on a sheet of its own
    after the data, so a copy that leaks says whose it was."""
    buf = io.BytesIO()
    # constant_memory: rows go to disk as they are written, so a 100,000-row export stays small.
    book = xlsxwriter.Workbook(buf, {"constant_memory": True, "in_memory": False})
    title_format = book.add_format({"bold": True, "font_size": 14})
    if watermark:
        book.set_properties(
            {"author": watermark, "comments": watermark, "keywords": "内部资料", "title": watermark}
        )
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name[:31])
        if watermark:
            # &C: centred; && is a literal ampersand in Excel's header codes.
            text = watermark.replace("&", "&&")
            ws.set_header(f"&C{text}")
            ws.set_footer(f"&C{text} · &P/&N")
        formats = _Formats(book, wrap=sheet.wrap)
        for c, width in enumerate(_widths(sheet)):
            ws.set_column(c, c, width)
        r = 0
        if sheet.title:
            ws.write_string(r, 0, sheet.title, title_format)
            r += 1
        for note in sheet.notes:
            ws.write_string(r, 0, note)
            r += 1
        if sheet.title or sheet.notes:
            r += 1  # a blank line before the table
        header_row = r
        _write_row(ws, r, sheet.header, formats, "header")
        for row in sheet.rows:
            r += 1
            _write_row(ws, r, row, formats, "body")
        if sheet.totals is not None:
            r += 1
            _write_row(ws, r, sheet.totals, formats, "total")
        ws.freeze_panes(header_row + 1, sheet.freeze_columns)
        if sheet.rows:
            _add_charts(book, ws, sheet, header_row, header_row + len(sheet.rows))
    if watermark:
        ws = book.add_worksheet("导出说明")
        ws.write_string(0, 0, watermark)
        ws.write_string(1, 0, "本文件含未公开数据，仅供内部工作使用，不得外传。")
    book.close()
    return buf.getvalue()


def _add_charts(book, ws, sheet: Sheet, header_row: int, last_row: int) -> None:
    """Each of the sheet's charts, bound to its cells, placed right of the table."""
    name = ws.get_name()
    anchor_col = len(sheet.header) + 1
    for n, spec in enumerate(sheet.charts):
        chart = book.add_chart({"type": _CHART_TYPES[spec.kind]})
        for col in spec.values:
            chart.add_series(
                {
                    "name": [name, header_row, col],
                    "categories": [
                        name,
                        header_row + 1,
                        spec.categories,
                        last_row,
                        spec.categories,
                    ],
                    "values": [name, header_row + 1, col, last_row, col],
                    "data_labels": {"value": True},
                }
            )
        chart.set_title({"name": spec.title})
        if spec.y_title:
            chart.set_y_axis({"name": spec.y_title})
        if len(spec.values) == 1:
            chart.set_legend({"none": True})
        if spec.kind == "hbar":
            # a bar chart's category (x) axis is the vertical one: list top to bottom
            chart.set_x_axis({"reverse": True})
        chart.set_size({"width": 640, "height": 360})
        ws.insert_chart(header_row + n * 20, anchor_col, chart)


def csv_bytes(sheet: Sheet) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([str(h) for h in sheet.header])
    for row in [*sheet.rows, *([sheet.totals] if sheet.totals is not None else [])]:
        out = []
        for raw in row:
            value = cell_value(raw)
            if isinstance(value, Number):
                out.append(value.as_text())
            else:
                out.append("" if value is None else safe_text(value))
        writer.writerow(out)
    # UTF-8 with BOM: Excel on Chinese Windows opens it without mojibake.
    return buf.getvalue().encode("utf-8-sig")


def rows_sheet(rows, name: str) -> Sheet:
    """A header row and the rows under it as one sheet."""
    rows = list(rows)
    return Sheet(name=name, header=list(rows[0]) if rows else [], rows=rows[1:])


def file_response(content: bytes, *, filename: str, content_type: str = XLSX_TYPE) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_watermark(user) -> str:
    """The mark of an export of non-public data: who, and when."""
    name = user.get_full_name() or user.get_username()
    return (
        f"内部资料 · 导出人：{name}（{user.get_username()}）· {timezone.localtime():%Y-%m-%d %H:%M}"
    )


def export_response(rows, *, fmt: str, basename: str, user=None) -> HttpResponse:
    """``rows``: a ``Sheet``, or a header row and the rows under it. ``user``: the person
    exporting non-public data; the .xlsx then carries their watermark (export_watermark),
    the .csv (plain data, no page to print on) an X-Shouwei-Watermark header."""
    sheet = rows if isinstance(rows, Sheet) else rows_sheet(rows, basename)
    stamp = (
        timezone.localtime().strftime("%Y%m%d-%H%M")
        if timezone.is_aware(timezone.now())
        else datetime.now().strftime("%Y%m%d-%H%M")
    )
    watermark = export_watermark(user) if user is not None else ""
    if fmt == "csv":
        response = file_response(
            csv_bytes(sheet),
            filename=f"{basename}-{stamp}.csv",
            content_type="text/csv; charset=utf-8",
        )
        if watermark:
            # A plain-data file has no page to print on: the mark travels as a header.
            response["X-Shouwei-Watermark"] = quote(watermark)
        return response
    return file_response(
        xlsx_bytes(sheet, watermark=watermark), filename=f"{basename}-{stamp}.xlsx"
    )


def table_rows(table) -> list[list]:
    """Header + rows of a django-tables2 table (all pages), each cell as the page shows it:
    a column's ``value()`` may return a ``Number`` with its format; a yes/no column reads
    是/否 (django-tables2 would give "True"/"False")."""
    exclude = set(getattr(table, "exclude_from_export", ()))
    columns = [
        c
        for c in table.columns.iterall()
        if not (c.column.exclude_from_export or c.name in exclude)
    ]
    rows: list[list] = [[force_str(c.header) for c in columns]]
    for row in table.rows:
        cells = []
        for c in columns:
            value = row.get_cell_value(c.name)
            if isinstance(c.column, BooleanColumn) and value in ("True", "False"):
                value = value == "True"
            cells.append(value)
        rows.append(cells)
    return rows
