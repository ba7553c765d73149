"""Exports of non-public data carry who exported them and when; the public open data do not."""

import io
from urllib.parse import unquote

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook


def test_a_list_export_is_watermarked_with_the_user_and_time(client_for):
    response = client_for("leader").get(reverse("indicators:observation_list"), {"export": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.properties.creator.startswith("内部资料 · 导出人：")
    assert "leader" in book.properties.creator
    assert "导出说明" in book.sheetnames
    assert "leader" in book["导出说明"]["A1"].value
    first = book.worksheets[0]
    assert "leader" in first.oddHeader.center.text and "内部资料" in first.oddFooter.center.text


def test_a_csv_export_says_it_in_a_header(client_for):
    response = client_for("leader").get(reverse("indicators:observation_list"), {"export": "csv"})
    assert "leader" in unquote(response["X-Shouwei-Watermark"])


def test_the_weekly_sheet_is_watermarked(client_for):
    response = client_for("staff_cyfz").get(reverse("projects:weekly_sheet"), {"week": "2022-W30"})
    book = load_workbook(io.BytesIO(response.content))
    assert "staff_cyfz" in book["导出说明"]["A1"].value


def test_the_public_open_data_carry_no_watermark(demo):
    response = Client().get(reverse("portal:open_data_export", args=["xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert "导出说明" not in book.sheetnames
