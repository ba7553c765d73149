"""NUL and control characters came in from .xlsx notes, and a 1 MB note was accepted: imports
strip the control characters and refuse over-long text, forms and the API refuse both."""

import pytest

from shouwei.core.text import check_text_fields, strip_control, text_problem
from shouwei.imports.models import ImportStatus
from shouwei.indicators.models import Observation
from tests.imports.helpers import last_batch, row, upload, xlsx_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_control_characters_are_found_and_stripped_but_line_breaks_stay():
    assert strip_control("a\x00b\x07c\x1bd\x7fe\x85f") == "abcdef"
    assert strip_control("第一行\r\n第二行\t完") == "第一行\r\n第二行\t完"
    assert "控制字符" in text_problem("a\x01")
    assert text_problem("正常的备注\n第二行") is None


def test_an_xlsx_note_with_control_characters_is_stored_without_them(client_for, settings):
    client = client_for("statistician")
    from shouwei.imports import parsers

    assert parsers.text("备\x00注") == "备注"
    upload(client, _xlsx_with_controls(row(period="2023-05", note="口径\x00说明\x07\x1b")))
    batch = last_batch()
    assert batch.status == ImportStatus.VALID, batch.errors
    client.post(f"/imports/batches/{batch.pk}/commit/")
    assert Observation.objects.get(period="2023-05", unit__code="hy-gxq").note == "口径说明"


def _xlsx_with_controls(values) -> bytes:
    """openpyxl refuses control characters; xlsxwriter writes them as _x0000_ escapes, as
    other producers do, and readers turn them back into the characters."""
    import io

    import xlsxwriter

    from tests.imports.helpers import HEADERS

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet("数据")
    ws.write_row(0, 0, HEADERS)
    for c, v in enumerate(values):
        ws.write_string(1, c, v)
    book.close()
    return buf.getvalue()


def test_an_over_long_xlsx_note_is_refused(client_for, settings):
    settings.SHOUWEI_TEXT_MAX_CHARS = 50
    upload(client_for("statistician"), xlsx_bytes([row(period="2023-05", note="长" * 51)]))
    batch = last_batch()
    assert batch.status == ImportStatus.INVALID
    assert any("不能超过 50 字" in e["message"] for e in batch.errors)


@pytest.mark.parametrize(("note", "says"), [("长" * 2001, "不能超过"), ("a\u0007b", "控制字符")])
def test_the_api_refuses_an_over_long_or_controlled_note(api_for, note, says):
    response = api_for("statistician").post(
        "/api/observations",
        {"unit": "hy-gxq", "indicator": "gdp", "period": "2023-05", "value": "1", "note": note},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert says in str(response.json())
    assert not Observation.objects.filter(period="2023-05", unit__code="hy-gxq").exists()


def test_a_portal_body_may_be_long(db):
    from shouwei.portal.models import Article

    article = Article(body="<p>" + "长" * 10000 + "</p>", title="t")
    check_text_fields(article)  # the body is rich text, named in long_text_fields
