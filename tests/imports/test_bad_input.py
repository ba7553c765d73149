"""Every bad input: a clear Chinese message naming row and field, nothing written, no 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from shouwei.imports.models import ImportBatch, ImportStatus
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Observation

from .helpers import HEADERS, csv_bytes, last_batch, messages_of, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def statistician(client_for):
    return client_for("statistician")


def _refused(client, content, name="data.xlsx"):
    """Upload, check the batch is invalid, nothing was written and the page renders."""
    before = Observation.objects.count()
    response = upload(client, content, name)
    assert response.status_code == 302
    batch = last_batch()
    assert batch.status == ImportStatus.INVALID
    assert Observation.objects.count() == before
    page = client.get(batch.get_absolute_url())
    commit_url = reverse("imports:batch_commit", args=[batch.pk])
    assert page.status_code == 200 and commit_url not in page.content.decode()
    return messages_of(batch)


def test_an_unknown_unit_code_names_the_row_and_column(statistician):
    errors = _refused(statistician, xlsx_bytes([row(), row(unit="hy-xxx", period="2023-04")]))
    assert errors == ["第3行 “单位代码”：单位“hy-xxx”不存在"]


def test_an_unknown_indicator_code_names_the_row_and_column(statistician):
    errors = _refused(statistician, xlsx_bytes([row(indicator="gpd")]))
    assert errors == ["第2行 “指标代码”：指标“gpd”不存在"]


def test_text_in_a_number_cell_is_refused(statistician):
    errors = _refused(statistician, xlsx_bytes([row(value="约10亿")]))
    assert errors == ["第2行 “数值”：“约10亿”不是数字"]


def test_misplaced_thousands_separators_are_refused(statistician):
    errors = _refused(statistician, csv_bytes([row(value="1,23.4")]), "d.csv")
    assert errors == ["第2行 “数值”：“1,23.4”不是数字（千分位逗号位置不对）"]


def test_duplicate_rows_in_one_file_name_both_rows(statistician):
    rows = [row(period="2023-06"), row(period="2023-07"), row(period="2023-6", value="5")]
    errors = _refused(statistician, xlsx_bytes(rows))
    assert len(errors) == 1
    assert errors[0].startswith("第4行：与第2行重复")
    assert "单位“hy-gxq”、指标“gdp”、期间“2023-06”" in errors[0]


def test_a_row_for_an_approved_observation_needs_a_correction_not_an_overwrite(statistician):
    approved = Observation.objects.get(unit__code="hy-gxq", indicator__code="gdp", period="2022H1")
    assert approved.status == ObservationStatus.APPROVED
    errors = _refused(statistician, xlsx_bytes([row(period="2022H1", value="1")]))
    assert len(errors) == 1
    assert errors[0].startswith("第2行：")
    assert "已有审核通过的数据" in errors[0] and "统计员" in errors[0] and "更正" in errors[0]
    approved.refresh_from_db()
    assert approved.value != 1


def test_a_zero_byte_file_is_refused_before_any_batch(statistician):
    response = upload(statistician, b"", "empty.csv")
    assert response.status_code == 400
    assert "所提交的是空文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_empty_csv_is_refused(statistician):
    assert _refused(statistician, "\ufeff\r\n\r\n".encode(), "empty.csv") == [
        "文件是空的：没有表头，也没有数据"
    ]


def test_an_empty_workbook_is_refused(statistician):
    errors = _refused(statistician, xlsx_bytes([], headers=[]))
    assert errors == ["文件是空的：没有表头，也没有数据"]


def test_a_header_only_file_is_refused(statistician):
    assert _refused(statistician, xlsx_bytes([])) == ["文件只有表头，没有数据行"]


def test_wrong_headers_give_one_error_listing_expected_and_found(statistician):
    headers = ["单位", "指标代码", "期间", "数值", "增速"]
    errors = _refused(statistician, xlsx_bytes([["hy-gxq", "gdp", "2023-01", 1, 2]], headers))
    assert len(errors) == 1
    message = errors[0]
    assert "缺少必填列：单位代码" in message and "无法识别的列：单位、增速" in message
    assert "应为：单位代码（必填）、指标代码（必填）" in message
    assert "文件中为：单位、指标代码、期间、数值、增速" in message


def test_headers_match_with_spaces_full_width_brackets_and_field_keys(statistician):
    headers = [" unit ", "指标代码", "期间 ", "同比增长（%）"]
    upload(statistician, xlsx_bytes([["hy-gxq", "gdp", "2023-02", "5.5"]], headers))
    assert last_batch().status == ImportStatus.VALID


def test_a_zip_bomb_is_refused_before_it_is_inflated(statistician, settings):
    settings.SHOUWEI_IMPORT_MAX_BYTES = 64 * 1024
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    assert len(buf.getvalue()) < settings.SHOUWEI_IMPORT_MAX_BYTES
    errors = _refused(statistician, buf.getvalue(), "bomb.xlsx")
    assert len(errors) == 1 and "压缩炸弹" in errors[0]


def test_text_with_an_xlsx_extension_is_not_a_workbook(statistician):
    errors = _refused(statistician, "单位代码,指标代码\nhy-gxq,gdp\n".encode(), "data.xlsx")
    assert errors == [
        "文件不是有效的 .xlsx 工作簿（内容与扩展名不符），请用 Excel 另存为 .xlsx 后再上传"
    ]


def test_a_zip_that_is_not_a_workbook_is_refused(statistician):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _refused(statistician, buf.getvalue(), "data.xlsx") == [
        "文件是压缩包而不是 Excel 工作簿，请上传 .xlsx 文件"
    ]


def test_text_with_an_xls_extension_is_refused(statistician):
    errors = _refused(statistician, b"not a workbook", "data.xls")
    assert "不是有效的 .xls 工作簿" in errors[0]


def test_a_file_over_the_size_limit_is_refused_before_parsing(statistician, settings):
    settings.SHOUWEI_IMPORT_MAX_BYTES = 1024
    response = upload(statistician, csv_bytes([row()] * 100), "big.csv")
    assert response.status_code == 400
    assert "超过上限 1 KB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_another_file_type_is_refused(statistician):
    response = upload(statistician, b"%PDF-1.4", "data.pdf")
    assert response.status_code == 400
    assert "请上传 .xlsx、.xls 或 .csv 文件" in response.content.decode()


def test_a_month_13_period_is_refused(statistician):
    errors = _refused(statistician, xlsx_bytes([row(period="2022-13")]))
    assert errors == ["第2行 “期间”：期间“2022-13”的月份应在 1—12 之间"]


def test_a_period_typed_as_a_decimal_number_is_ambiguous(statistician):
    errors = _refused(statistician, xlsx_bytes([row(period=2022.1)]))
    assert errors[0].startswith("第2行 “期间”：“2022.1”是数字格式")


def test_formula_cells_are_refused_naming_row_and_column(statistician):
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(HEADERS)
    sheet.append(row(period="2023-01"))
    for n in range(3, 13):
        sheet.append(row(period=f"2024-{n - 2:02d}"))
    sheet["D12"] = "=D2*2"
    buf = io.BytesIO()
    book.save(buf)
    assert _refused(statistician, buf.getvalue()) == ["第12行“数值”列是公式，请粘贴为数值"]


def test_a_cell_with_too_many_decimals_is_refused_not_rounded(statistician):
    errors = _refused(statistician, xlsx_bytes([row(value=1 / 3)]))
    assert errors == ["第2行 “数值”：“0.3333333333333333”超过4位小数，请先按口径四舍五入后再导入"]


def test_a_rank_without_its_basis_and_a_row_without_figures_are_refused(statistician):
    rows = [row(value="", rank="2"), row(period="2023-02", value="")]
    assert _refused(statistician, xlsx_bytes(rows)) == [
        "第2行 “排名依据”：填写公布排名时须说明按总量还是按增速排名",
        "第3行：数值、同比增长(%)、公布排名至少填写一项",
    ]


def test_a_status_other_than_draft_or_submit_is_refused(statistician):
    errors = _refused(statistician, xlsx_bytes([row(status="已审核")]))
    assert errors == ["第2行 “状态”：只能填写“草稿”、“提交”，收到“已审核”"]


def test_a_missing_required_cell_is_refused(statistician):
    assert _refused(statistician, xlsx_bytes([row(period="")])) == ["第2行 “期间”：必填，不能为空"]


def test_at_most_200_errors_are_listed_and_the_rest_counted(statistician):
    rows = [row(unit=f"nope-{n}", period="2023-01") for n in range(250)]
    errors = _refused(statistician, csv_bytes(rows), "many.csv")
    assert len(errors) == 200
    batch = last_batch()
    assert batch.error_count == 250
    html = statistician.get(batch.get_absolute_url()).content.decode()
    assert "…还有50处错误" in html


def test_a_csv_in_an_unknown_encoding_is_refused(statistician):
    content = "单位代码".encode("utf-16")
    assert _refused(statistician, content, "data.csv") == [
        "无法识别 CSV 文件的编码：请另存为“CSV UTF-8”或 GB18030（GBK）编码"
    ]


def test_upload_page_without_a_file_says_so(statistician):
    response = statistician.post(reverse("imports:start", args=["observations"]), {})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()
