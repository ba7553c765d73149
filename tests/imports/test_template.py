"""The downloadable template: headers, drop-downs, instructions and the user's own codes."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shouwei.core.choices import Role
from shouwei.core.models import Unit
from tests.factories import user_with_role

from .helpers import HEADERS

pytestmark = pytest.mark.django_db


def _template(client):
    response = client.get(reverse("imports:template", args=["observations"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_the_data_sheet_has_bold_frozen_chinese_headers_with_widths(client_for, demo):
    book = _template(client_for("staff_cyfz"))
    assert book.sheetnames == ["数据", "填写说明", "代码表"]
    sheet = book["数据"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 22
    assert sheet.max_row == 1


def test_code_columns_have_drop_downs_fed_by_the_code_sheet(client_for, demo):
    book = _template(client_for("staff_cyfz"))
    rules = book["数据"].data_validations.dataValidation
    validations = {str(dv.sqref).split(":")[0]: dv for dv in rules}
    unit, indicator, period = validations["A2"], validations["B2"], validations["C2"]
    assert unit.type == "list" and unit.formula1 == "codes_units"
    assert indicator.type == "list" and indicator.formula1 == "codes_indicators"
    assert validations["I2"].formula1 == '"草稿,提交"'
    assert period.type is None and period.showInputMessage and "2022Q2" in period.prompt
    # The named range points at the indicator codes on the code sheet.
    sheet_name, cells = book.defined_names["codes_indicators"].attr_text.split("!")
    assert sheet_name.strip("'") == "代码表"
    first, last = cells.replace("$", "").split(":")
    listed = [c.value for row in book["代码表"][first:last] for c in row]
    assert "gdp" in listed and "industrial_va" in listed


def test_period_and_growth_columns_are_text_so_excel_keeps_what_is_typed(client_for, demo):
    sheet = _template(client_for("staff_cyfz"))["数据"]
    assert sheet.column_dimensions["C"].number_format == "@"
    assert sheet.column_dimensions["E"].number_format == "@"


def test_the_instructions_sheet_explains_each_column(client_for, demo):
    sheet = _template(client_for("staff_cyfz"))["填写说明"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    table = {r[0]: r for r in rows if r[0] in HEADERS}
    assert set(table) == set(HEADERS)
    assert table["单位代码"][1] == "必填" and table["备注"][1] == "选填"
    assert "2022Q2" in table["期间"][3] and table["期间"][4] == "2022-06"


def test_the_unit_list_holds_only_units_the_user_may_write_for(demo):
    from django.test import Client

    finance = Unit.objects.get(code="hy-gxq-czj")  # owns no indicator
    user = user_with_role(Role.STAFF, finance, username="staff_czj")
    client = Client()
    client.force_login(user)
    codes = _template(client)["代码表"]
    units = [c.value for c in codes["A"][2:] if c.value]
    # Its own unit, and the zone it serves; no other department, no peer district.
    assert units == ["hy-gxq", "hy-gxq-czj"]


def test_a_department_reporting_indicators_picks_its_zone_and_itself_never_a_peer(client_for, demo):
    codes = _template(client_for("staff_cyfz"))["代码表"]
    units = {c.value for c in codes["A"][2:] if c.value}
    assert units == {"hy-gxq", "hy-gxq-cyfz"}
