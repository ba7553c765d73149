"""Cell parsers and file readers, without the database."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from shouwei.imports import parsers
from shouwei.imports.readers import FileRejected, column_letter, decode_csv, read_sheet

number = parsers.decimal(max_digits=20, decimal_places=4)


@pytest.mark.parametrize(
    "raw",
    ["6.9", "6.9%", "6.9 %", "６．９％", "6.9％", 6.9, " 6.9 ", "+6.9", "6.90"],
)
def test_growth_is_read_with_or_without_a_percent_sign(raw):
    assert number(raw) == Decimal("6.9")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("1,234,567", Decimal("1234567")),
        ("１，２３４．５", Decimal("1234.5")),
        ("\u22123.5", Decimal("-3.5")),
        (1234, Decimal("1234")),
        (1234.0, Decimal("1234")),
        ("", None),
        ("\u3000", None),
        (None, None),
    ],
)
def test_numbers_read_the_way_people_type_them(raw, expected):
    assert number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("约10", "“约10”不是数字"),
        ("12,34", "“12,34”不是数字（千分位逗号位置不对）"),
        ("nan", "“nan”不是数字"),
        ("Infinity", "“Infinity”不是数字"),
        (True, "应为数字，收到“True”"),
        (date(2022, 6, 1), "应为数字，收到日期/时间“2022-06-01”"),
        ("1.23456", "“1.23456”超过4位小数，请先按口径四舍五入后再导入"),
        ("1" * 17, "超出可存储的范围（整数部分最多16位）"),
    ],
)
def test_what_is_not_a_number_says_so(raw, message):
    with pytest.raises(parsers.CellError, match=re.escape(message)):
        number(raw)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_any_two_decimal_number_survives_thousands_separators(value):
    assert number(f"{value:,.2f}") == value
    assert number(f"{value:.2f}%") == value


def test_trailing_zeros_beyond_the_decimal_places_are_not_an_error():
    assert number("1.230000") == Decimal("1.23")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-06", "2022-06"),
        ("2022-6", "2022-06"),
        ("2022年6月", "2022-06"),
        ("2022q2", "2022Q2"),
        ("2022H1", "2022H1"),
        (2022, "2022"),
        (2022.0, "2022"),
        (date(2022, 6, 1), "2022-06"),
        (datetime(2022, 6, 30, 0, 0), "2022-06"),
        ("", None),
    ],
)
def test_periods_are_normalised(raw, expected):
    assert parsers.period(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2022-13", "期间“2022-13”的月份应在 1—12 之间"),
        ("2022Q5", "无法识别的期间“2022Q5”"),
        (2022.1, "“2022.1”是数字格式，无法区分月份"),
    ],
)
def test_bad_periods_say_why(raw, message):
    with pytest.raises(parsers.CellError, match=re.escape(message)):
        parsers.period(raw)


def test_ranks_and_codes():
    assert parsers.positive_int("第2名") == 2
    assert parsers.positive_int(3.0) == 3
    assert parsers.code(" HY-GXQ ") == "hy-gxq"
    with pytest.raises(parsers.CellError, match="应为正整数，收到“0”"):
        parsers.positive_int("0")
    with pytest.raises(parsers.CellError, match=re.escape("应为正整数，收到“2.5”")):
        parsers.positive_int(2.5)


def test_choices_accept_aliases_but_name_only_the_offered_words():
    status = parsers.choice({"草稿": "draft", "提交": "submitted"}, aliases={"已提交": "submitted"})
    assert status("提交") == status("已提交") == "submitted"
    assert status("") is None
    with pytest.raises(parsers.CellError, match="只能填写“草稿”、“提交”，收到“通过”"):
        status("通过")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(encoding):
    text = "单位代码,指标代码\r\nhy-gxq,gdp\r\n"
    assert decode_csv(text.encode(encoding)).lstrip("\ufeff") == text


def test_a_gbk_file_is_not_mistaken_for_utf8():
    # "数值" in GBK is not valid UTF-8: strict UTF-8 fails first, then GB18030 reads it.
    assert decode_csv("数值".encode("gbk")) == "数值"


def _xlsx_with_sheet_xml(transform) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["单位代码", "数值"])
    sheet.append(["hy-gxq", "=1+1"])
    buf = io.BytesIO()
    book.save(buf)
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = transform(data)
            target.writestr(info.filename, data)
    return out.getvalue()


def test_formulas_are_located_by_cell_reference():
    sheet = read_sheet(_xlsx_with_sheet_xml(lambda x: x), "a.xlsx", sheet_name="数据")
    assert sheet.formulas == [(2, 1)]


MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def test_formulas_in_prefixed_xml_are_found():
    """.NET writers prefix the elements (x:c, x:f) instead of using a default namespace."""

    def prefix(xml: bytes) -> bytes:
        for plain, prefixed in (
            (b"<c ", b"<x:c "),
            (b"</c>", b"</x:c>"),
            (b"<f>", b"<x:f>"),
            (b"</f>", b"</x:f>"),
        ):
            xml = xml.replace(plain, prefixed)
        return xml.replace(b"<worksheet ", b'<worksheet xmlns:x="' + MAIN_NS + b'" ', 1)

    content = _xlsx_with_sheet_xml(prefix)
    assert b"<x:f>" in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    sheet = read_sheet(content, "a.xlsx", sheet_name="数据")
    assert sheet.formulas == [(2, 1)]


def test_a_formula_without_a_cell_reference_is_still_caught():
    content = _xlsx_with_sheet_xml(lambda xml: re.sub(rb' r="[A-Z]+[0-9]+"', b"", xml))
    sheet = read_sheet(content, "a.xlsx", sheet_name="数据")
    assert sheet.formulas == [] and sheet.formula_unlocated


def test_an_encrypted_or_old_workbook_named_xlsx_is_explained():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    with pytest.raises(FileRejected, match=re.escape("旧版 .xls 或设置了密码")):
        read_sheet(ole, "a.xlsx")


def test_column_letters_round_trip():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
