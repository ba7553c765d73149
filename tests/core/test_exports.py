"""Exports read as the page does: numbers stay numbers in the page's places, yes/no reads 是/否,
and every sheet the product writes comes from the one writer."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse


def _xlsx(client, url_name, **params):
    response = client.get(reverse(url_name), {**params, "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def _csv(client, url_name, **params):
    response = client.get(reverse(url_name), {**params, "export": "csv"})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_completion_rate_exports_as_a_number_read_as_a_percent(client_for):
    c = client_for("leader")
    rows = _xlsx(c, "projects:project_list")
    rates = [r["完成率"] for r in rows if r["完成率"].value is not None]
    assert rates and all(isinstance(cell.value, int | float) for cell in rates)
    assert {cell.number_format for cell in rates} == {"0.0%"}
    texts = [r["完成率"] for r in _csv(c, "projects:project_list") if r["完成率"]]
    assert texts and all(re.fullmatch(r"\d+\.\d%", t) for t in texts), texts[:5]


def test_money_exports_as_a_number_with_two_places(client_for):
    c = client_for("leader")
    rows = _xlsx(c, "projects:project_list")
    planned = [r["年度计划（亿元）"] for r in rows if r["年度计划（亿元）"].value is not None]
    assert planned and {cell.number_format for cell in planned} == {"0.00"}
    assert all(isinstance(cell.value, int | float) for cell in planned)
    texts = [r["年度计划（亿元）"] for r in _csv(c, "projects:project_list")]
    assert all(re.fullmatch(r"\d+\.\d\d", t) for t in texts if t), texts[:5]


@pytest.mark.parametrize(
    ("url_name", "column"),
    [("indicators:observation_list", "模拟数据"), ("indicators:indicator_list", "累计值")],
)
def test_yes_no_columns_export_as_shi_and_fou(client_for, url_name, column):
    c = client_for("leader")
    shown = {r[column].value for r in _xlsx(c, url_name)}
    assert shown <= {"是", "否"} and shown
    assert {r[column] for r in _csv(c, url_name)} == shown


def test_a_growth_exports_in_the_places_the_page_shows(client_for):
    rows = _xlsx(client_for("leader"), "indicators:observation_list", per_page=200)
    growths = [r["同比增长(%)"] for r in rows if r["同比增长(%)"].value is not None]
    assert growths and {cell.number_format for cell in growths} == {"0.0"}


def test_text_that_excel_would_run_as_a_formula_is_neutralised():
    from shouwei.core.exports import Sheet, csv_bytes, xlsx_bytes

    sheet = Sheet(name="x", header=["a", "b"], rows=[["=HYPERLINK(1)", "-1.5"], ["@sum", "-x"]])
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheet))).active
    assert [c.value for c in book[2]] == ["'=HYPERLINK(1)", "-1.5"]
    assert [c.value for c in book[3]] == ["'@sum", "'-x"]
    assert csv_bytes(sheet).decode("utf-8-sig").splitlines()[1:] == [
        "'=HYPERLINK(1),-1.5",
        "'@sum,'-x",
    ]


def test_the_writer_gives_titles_totals_and_formats_to_any_sheet():
    from shouwei.core.exports import RATE, Number, Sheet, xlsx_bytes

    sheet = Sheet(
        name="周调度",
        title="标题",
        notes=("说明",),
        header=["项目", "完成率"],
        rows=[["甲", Number(0.8111111111111111, RATE)], ["乙", None]],
        totals=["合计", Number(0.5, RATE)],
        freeze_columns=1,
    )
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheet)))["周调度"]
    assert ws["A1"].value == "标题" and ws["A2"].value == "说明"
    assert ws["A4"].value == "项目" and ws["A4"].font.bold
    assert ws["B5"].value == pytest.approx(0.8111, abs=1e-4) and ws["B5"].number_format == "0.0%"
    assert ws["B6"].value is None
    assert ws["A7"].value == "合计" and ws["A7"].font.bold and ws["B7"].number_format == "0.0%"
    assert ws.freeze_panes == "B5"
