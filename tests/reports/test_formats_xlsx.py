"""The monthly sheet as .xlsx: a sheet a table, numbers in formats, frozen header, native
charts bound to the cells, formula text neutralised."""

import io
import zipfile

import openpyxl

from shouwei.reports.renderers import FORMATS, load
from shouwei.reports.renderers.xlsx import render_xlsx

from .formats_document import half_year_document


def _book():
    data = render_xlsx(half_year_document("monthly"))
    return data, openpyxl.load_workbook(io.BytesIO(data))


def test_each_table_is_a_sheet_with_numbers_and_a_frozen_header():
    _, book = _book()
    ws = book["重点项目"]
    header = [c.value for c in ws[3]]
    assert header == ["类别", "项目数", "总投资（亿元）", "完成率"]
    assert ws.freeze_panes == "B4"
    assert [c.value for c in ws[4]] == ["省重点", 2, 180.0, 84.3]
    assert ws["C4"].number_format == "0.00" and ws["D4"].number_format == '0.0"%"'
    assert ws["B5"].number_format == "0"


def test_formula_text_is_neutralised():
    _, book = _book()
    assert book["重点项目"]["A6"].value == '\'=HYPERLINK("x")'


def test_each_chart_is_a_native_chart_bound_to_its_cells():
    data, book = _book()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(n.startswith("xl/charts/chart") for n in names) == 3
    ws = book["主要经济指标增速"]
    assert [ws.cell(r, 1).value for r in range(4, 8)] == [
        "地区生产总值",
        "规模工业增加值",
        "规上服务业营业收入",
        "社会消费品零售总额",
    ]
    assert [ws.cell(r, 2).value for r in range(4, 8)] == [6.9, 11.5, 13.1, 1.7]
    chart = zipfile.ZipFile(io.BytesIO(data)).read("xl/charts/chart1.xml").decode()
    assert "主要经济指标增速" in chart and "$B$4:$B$7" in chart and "$A$4:$A$7" in chart


def test_the_cover_names_the_report_and_the_excluded_data():
    _, book = _book()
    values = [c.value for row in book["说明"].iter_rows() for c in row]
    assert "v42-7f3a" in values and "社会消费品零售总额（5月）：未审核，未列入" in values


def test_the_xlsx_is_offered_for_the_monthly_sheet_only():
    load()
    assert FORMATS["xlsx"].kinds == ("monthly",)


def test_a_figure_reads_in_its_texts_places_even_when_its_value_has_28():
    # A ratio computed in Decimal carries 28 places; quantizing 62.2… to 28 places raised
    # InvalidOperation and failed the whole sheet.
    from decimal import Decimal

    from shouwei.core.exports import Number
    from shouwei.core.reporting import Figure
    from shouwei.reports.renderers.xlsx import cell

    ratio = Decimal(2) / Decimal(3) * 100
    assert len(str(ratio).partition(".")[2]) > 20
    number = cell(Figure(key="k", text="66.7%", value=ratio))
    assert number == Number(float(ratio), '0.0"%"')
    assert cell(Figure(key="k", text="1,234.56", value=Decimal("1234.56"))).num_format == "0.00"
