"""The web flow: template → fill → upload (dry run) → preview → commit → rollback."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shouwei.imports.models import ImportBatch, ImportStatus
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Observation

from .helpers import HEADERS, csv_bytes, last_batch, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_it_imports_a_filled_template_then_rolls_it_back(client_for, demo):
    client = client_for("staff_cyfz")
    response = client.get(reverse("imports:template", args=["observations"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["数据"]
    sheet.append(["hy-gxq", "industrial_va", "2023-03", 123.45, "6.9%", None, None, None, "提交"])
    sheet.append(
        ["hy-gxq-cyfz", "service_revenue", "2023-03", "1,234.5", 7.1, 2, "hy-5d2p", "增速"]
    )
    filled = io.BytesIO()
    book.save(filled)

    response = upload(client, filled.getvalue(), "上半年数据.xlsx")
    batch = last_batch()
    assert response.status_code == 302
    assert response.url == batch.get_absolute_url()
    assert batch.status == ImportStatus.VALID
    assert (batch.total_rows, batch.created_count, batch.updated_count) == (2, 2, 0)
    assert batch.unit.code == "hy-gxq-cyfz"
    assert batch.original_name == "上半年数据.xlsx" and len(batch.sha256) == 64
    assert not Observation.objects.filter(period="2023-03").exists()
    first, second = batch.preview
    assert first["cells"][:5] == ["hy-gxq", "industrial_va", "2023-03", "123.45", "6.9"]
    assert first["cells"][8] == "提交" and second["cells"][5:8] == ["2", "hy-5d2p", "增速"]

    page = client.get(batch.get_absolute_url())
    html = page.content.decode()
    assert reverse("imports:batch_commit", args=[batch.pk]) in html
    assert "industrial_va" in html and "1234.5" in html

    response = client.post(reverse("imports:batch_commit", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert batch.committed_by == demo["staff_cyfz"]
    created = Observation.objects.filter(import_batch=batch).order_by("unit__code")
    assert created.count() == 2
    submitted, draft = created
    assert submitted.status == ObservationStatus.SUBMITTED and submitted.submitted_at
    assert submitted.value == Decimal("123.45") and submitted.growth == Decimal("6.9")
    assert submitted.reporting_unit.code == "hy-gxq-cyfz"
    assert submitted.source == "导入：上半年数据.xlsx"
    assert submitted.entered_by == demo["staff_cyfz"]
    assert submitted.history.first().history_user == demo["staff_cyfz"]
    assert draft.status == ObservationStatus.DRAFT
    assert draft.value == Decimal("1234.5") and draft.published_rank == 2
    assert draft.rank_group.code == "hy-5d2p" and draft.rank_basis == "growth"
    assert draft.period_end.isoformat() == "2023-03-31"

    response = client.post(reverse("imports:batch_rollback", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.ROLLED_BACK
    assert batch.rolled_back_by == demo["staff_cyfz"]
    assert not Observation.objects.filter(period="2023-03").exists()
    deletion = Observation.history.filter(period="2023-03", history_type="-").first()
    assert deletion.history_user == demo["staff_cyfz"]


def test_it_updates_existing_drafts_and_rollback_restores_them(client_for, demo):
    obs = Observation.objects.get(unit__code="hy-gxq", indicator__code="gdp", period="2022H1")
    obs.status = ObservationStatus.DRAFT
    obs.save()
    old_value = obs.value
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2022H1", value="999", note="新口径")]))
    batch = last_batch()
    assert (batch.status, batch.created_count, batch.updated_count) == ("valid", 0, 1)
    assert batch.preview[0]["action"] == "update"

    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    obs.refresh_from_db()
    assert obs.value == Decimal("999") and obs.note == "新口径" and obs.import_batch == batch
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count) == (0, 1)

    client.post(reverse("imports:batch_rollback", args=[batch.pk]))
    obs.refresh_from_db()
    assert obs.value == old_value and obs.import_batch is None and obs.note == ""
    assert obs.status == ObservationStatus.DRAFT
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.ROLLED_BACK


def test_rollback_is_refused_when_an_imported_record_was_approved_since(client_for, demo):
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2023-04"), row(period="2023-05")]))
    batch = last_batch()
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    Observation.objects.filter(period="2023-05").update(status=ObservationStatus.APPROVED)

    response = client.post(reverse("imports:batch_rollback", args=[batch.pk]), follow=True)
    html = response.content.decode()
    assert "不能撤销" in html and "hy-gxq / gdp / 2023-05" in html
    assert Observation.objects.filter(import_batch=batch).count() == 2
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.COMMITTED


def test_commit_revalidates_and_writes_nothing_when_a_draft_was_approved_after_preview(
    client_for, demo
):
    client = client_for("statistician")
    obs = Observation.objects.get(unit__code="hy-gxq", indicator__code="gdp", period="2022H1")
    Observation.objects.filter(pk=obs.pk).update(status=ObservationStatus.DRAFT)
    upload(client, xlsx_bytes([row(period="2022H1", value="1"), row(period="2023-06")]))
    batch = last_batch()
    assert batch.status == ImportStatus.VALID
    Observation.objects.filter(pk=obs.pk).update(status=ObservationStatus.APPROVED)

    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INVALID
    assert "已有审核通过的数据" in batch.errors[0]["message"]
    assert not Observation.objects.filter(period="2023-06").exists()


def test_a_second_commit_click_is_refused_and_writes_nothing_twice(client_for, demo):
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2023-07")]))
    batch = last_batch()
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    response = client.post(reverse("imports:batch_commit", args=[batch.pk]), follow=True)
    assert "不能确认导入" in response.content.decode()
    assert Observation.objects.filter(period="2023-07").count() == 1


def test_a_failed_write_rolls_everything_back_and_marks_the_batch_failed(
    client_for, demo, monkeypatch
):
    from shouwei.indicators.importers import ObservationImporter

    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2023-08"), row(period="2023-09")]))
    batch = last_batch()
    original = ObservationImporter.write_rows

    def write_then_break(self, rows, *, batch, user):
        original(self, rows, batch=batch, user=user)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ObservationImporter, "write_rows", write_then_break)
    response = client.post(reverse("imports:batch_commit", args=[batch.pk]), follow=True)
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "已全部撤回" in batch.message
    assert not Observation.objects.filter(period__in=["2023-08", "2023-09"]).exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_it_reads_csv_in_each_encoding(client_for, demo, encoding):
    client = client_for("statistician")
    content = csv_bytes([row(period="2023-10", note="衡阳高新区·统计口径")], encoding=encoding)
    upload(client, content, "数据.csv")
    batch = last_batch()
    assert batch.status == ImportStatus.VALID, batch.errors
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    assert Observation.objects.get(period="2023-10").note == "衡阳高新区·统计口径"


def test_an_excel_date_in_the_period_column_means_its_month(client_for, demo):
    from datetime import date

    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period=date(2023, 11, 1))]))
    batch = last_batch()
    assert batch.status == ImportStatus.VALID
    assert batch.preview[0]["cells"][2] == "2023-11"


def test_growth_reads_with_or_without_percent_and_in_full_width(client_for, demo):
    client = client_for("statistician")
    rows = [
        row(indicator="gdp", period="2023-01", value="", growth="6.9%"),
        row(indicator="industrial_va", period="2023-01", value="", growth=6.9),
        row(indicator="retail_sales", period="2023-01", value="", growth="６．９％"),
        row(indicator="service_revenue", period="2023-01", value="1,234.5", growth="6.9 %"),
    ]
    upload(client, xlsx_bytes(rows))
    batch = last_batch()
    assert batch.status == ImportStatus.VALID, batch.errors
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    growths = set(Observation.objects.filter(period="2023-01").values_list("growth", flat=True))
    assert growths == {Decimal("6.9")}
    assert Observation.objects.get(period="2023-01", indicator__code="service_revenue").value == (
        Decimal("1234.5")
    )


def test_the_detail_page_shows_errors_and_offers_no_commit_for_an_invalid_file(client_for, demo):
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(unit="hy-xxx")]))
    html = client.get(last_batch().get_absolute_url()).content.decode()
    assert "单位“hy-xxx”不存在" in html
    assert reverse("imports:batch_commit", args=[last_batch().pk]) not in html


def test_the_batch_list_is_paginated_and_shows_only_visible_batches(client_for, demo):
    for n in range(27):
        ImportBatch.objects.create(
            importer="observations",
            unit=demo["staff_cyfz"].role_assignments.get().unit,
            original_name=f"f{n}.xlsx",
            sha256="0" * 64,
            created_by=demo["staff_cyfz"],
        )
    ImportBatch.objects.create(
        importer="observations",
        unit=demo["staff_jjhz"].role_assignments.get().unit,
        original_name="jjhz.xlsx",
        sha256="0" * 64,
        created_by=demo["staff_jjhz"],
    )
    client = client_for("staff_cyfz")
    first = client.get(reverse("imports:batch_list")).content.decode()
    assert "共 27 批" in first and "下一页" in first and "观测值" in first
    second = client.get(reverse("imports:batch_list") + "?page=2").content.decode()
    assert "f0.xlsx" in second
    assert "jjhz.xlsx" not in first + second


def test_the_start_page_offers_the_template_and_describes_every_column(client_for, demo):
    html = client_for("staff_cyfz").get(reverse("imports:start", args=["observations"]))
    text = html.content.decode()
    assert reverse("imports:template", args=["observations"]) in text
    for header in HEADERS:
        assert header in text
    assert 'enctype="multipart/form-data"' in text


def test_an_unknown_importer_is_404(client_for, demo):
    response = client_for("staff_cyfz").get(reverse("imports:start", args=["nothing"]))
    assert response.status_code == 404


def test_a_leader_cannot_start_an_import(client_for, demo):
    client = client_for("leader")
    assert client.get(reverse("imports:start", args=["observations"])).status_code == 403
    assert client.get(reverse("imports:template", args=["observations"])).status_code == 403


def test_the_observation_list_links_to_the_import_and_the_menu_lists_batches(client_for, demo):
    html = client_for("staff_cyfz").get(reverse("indicators:observation_list")).content.decode()
    assert reverse("imports:start", args=["observations"]) in html
    assert reverse("imports:batch_list") in html


def test_import_pages_have_no_inline_style_or_script(client_for, demo):
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2023-12")]))
    batch = last_batch()
    pages = [
        reverse("imports:start", args=["observations"]),
        reverse("imports:batch_list"),
        batch.get_absolute_url(),
        reverse("imports:batch_progress", args=[batch.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        assert "<script>" not in html, url


def test_the_batch_list_runs_the_same_queries_for_5_or_25_batches(client_for, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("staff_cyfz")
    unit = demo["staff_cyfz"].role_assignments.get().unit

    def count(n):
        ImportBatch.objects.all().delete()
        for i in range(n):
            ImportBatch.objects.create(
                importer="observations",
                unit=unit,
                original_name=f"{i}.xlsx",
                sha256="0" * 64,
                created_by=demo["staff_jjhz" if i % 2 else "staff_cyfz"],
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("imports:batch_list")).status_code == 200
        return len(ctx)

    assert count(5) == count(25)


def test_rollback_works_in_chunks_over_created_and_updated_records(client_for, demo, monkeypatch):
    from shouwei.imports import base

    monkeypatch.setattr(base, "WRITE_CHUNK", 2)
    obs = Observation.objects.get(unit__code="hy-gxq", indicator__code="gdp", period="2022H1")
    obs.status = ObservationStatus.SUBMITTED
    obs.save()
    client = client_for("statistician")
    rows = [row(period=f"2024-{m:02d}") for m in range(1, 6)] + [row(period="2022H1", value="7")]
    upload(client, xlsx_bytes(rows))
    batch = last_batch()
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count) == (5, 1)
    assert Observation.objects.filter(import_batch=batch).count() == 6

    client.post(reverse("imports:batch_rollback", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.ROLLED_BACK
    assert batch.message == "已撤销：删除新增的 5 条，恢复更新前的 1 条"
    assert not Observation.objects.filter(period__startswith="2024").exists()
    obs.refresh_from_db()
    assert obs.status == ObservationStatus.SUBMITTED and obs.value != Decimal("7")
    assert Observation.history.filter(period__startswith="2024", history_type="-").count() == 5


def test_rollback_is_refused_when_a_later_batch_rewrote_a_record(client_for, demo):
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2024-07")]))
    first = last_batch()
    client.post(reverse("imports:batch_commit", args=[first.pk]))
    upload(client, xlsx_bytes([row(period="2024-07", value="8")]))
    second = last_batch()
    client.post(reverse("imports:batch_commit", args=[second.pk]))

    response = client.post(reverse("imports:batch_rollback", args=[first.pk]), follow=True)
    assert f"已被导入批次#{second.pk}修改，请先撤销该批次" in response.content.decode()
    client.post(reverse("imports:batch_rollback", args=[second.pk]))
    client.post(reverse("imports:batch_rollback", args=[first.pk]))
    assert not Observation.objects.filter(period="2024-07").exists()


def test_a_lost_original_file_is_reported_on_commit_not_a_500(client_for, demo):
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2024-08")]))
    batch = last_batch()
    batch.file.storage.delete(batch.file.name)
    response = client.post(reverse("imports:batch_commit", args=[batch.pk]), follow=True)
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INVALID
    assert batch.errors[0]["message"] == "该批次保存的原始文件已无法读取，请重新上传"


def test_the_original_file_can_be_downloaded(client_for, demo):
    client = client_for("statistician")
    content = xlsx_bytes([row(period="2024-09")])
    upload(client, content, "原始.xlsx")
    response = client.get(reverse("imports:batch_file", args=[last_batch().pk]))
    assert b"".join(response.streaming_content) == content
    assert "attachment" in response["Content-Disposition"]
