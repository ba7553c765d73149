"""Build files the way users do (openpyxl, csv) and upload them."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

HEADERS = [
    "单位代码",
    "指标代码",
    "期间",
    "数值",
    "同比增长(%)",
    "公布排名",
    "排名比较组代码",
    "排名依据",
    "状态",
    "备注",
]


def xlsx_bytes(rows, headers=HEADERS, *, sheet="数据") -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=HEADERS, *, encoding="utf-8") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def row(unit="hy-gxq", indicator="gdp", period="2023-03", value="100", growth="", **extra):
    """A data row in template column order; keyword arguments fill the optional columns."""
    return [
        unit,
        indicator,
        period,
        value,
        growth,
        extra.get("rank", ""),
        extra.get("group", ""),
        extra.get("basis", ""),
        extra.get("status", ""),
        extra.get("note", ""),
    ]


def upload(client, content: bytes, name: str = "data.xlsx", importer: str = "observations"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(
        reverse("imports:start", args=[importer]),
        {"file": SimpleUploadedFile(name, content)},
    )


def last_batch():
    from shouwei.imports.models import ImportBatch

    return ImportBatch.objects.order_by("-pk").first()


def messages_of(batch) -> list[str]:
    from shouwei.imports.engine import format_error

    return [format_error(e) for e in batch.errors]
