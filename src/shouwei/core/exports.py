"""The one export: a table of exactly what the user sees (same queryset, same filters)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _clean(value):
    if value is None:
        return ""
    text = str(value)
    # A cell starting with = + - @ is a formula to Excel: neutralise it (CSV injection).
    if text[:1] in ("=", "+", "@") or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def rows_to_xlsx(rows, sheet_name: str = "数据") -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet(sheet_name[:31])
    head = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if r == 0:
                sheet.write_string(r, c, str(value), head)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, _clean(value))
    sheet.freeze_panes(1, 0)
    book.close()
    return buf.getvalue()


def rows_to_csv(rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    for i, row in enumerate(rows):
        writer.writerow(row if i == 0 else [_clean(v) for v in row])
    # UTF-8 with BOM: Excel on Chinese Windows opens it without mojibake.
    return buf.getvalue().encode("utf-8-sig")


def export_response(rows, *, fmt: str, basename: str) -> HttpResponse:
    stamp = (
        timezone.localtime().strftime("%Y%m%d-%H%M")
        if timezone.is_aware(timezone.now())
        else datetime.now().strftime("%Y%m%d-%H%M")
    )
    if fmt == "csv":
        resp = HttpResponse(rows_to_csv(rows), content_type="text/csv; charset=utf-8")
        ext = "csv"
    else:
        resp = HttpResponse(rows_to_xlsx(rows, basename), content_type=XLSX_TYPE)
        ext = "xlsx"
    from urllib.parse import quote

    filename = f"{basename}-{stamp}.{ext}"
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


def table_rows(table) -> list[list]:
    """Header + rows of a django-tables2 table, as rendered values (all pages)."""
    exclude = tuple(getattr(table, "exclude_from_export", ()))
    return [list(row) for row in table.as_values(exclude_columns=exclude)]
