"""Large files: 50,000 rows commit in one go; above the inline limit the worker takes over and
the page polls progress."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from shouwei.core.models import Unit
from shouwei.imports import services, tasks
from shouwei.imports.models import ImportStatus
from shouwei.indicators.models import Indicator, Observation

from .helpers import HEADERS, last_batch, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def _rows(n: int) -> list[list[str]]:
    """n distinct unit × indicator × month rows for units under the zone (2000 onwards: the
    demo's own figures are 2021–2022)."""
    units = list(
        Unit.objects.filter(path__startswith="/hn/hy/hy-gxq/").values_list("code", flat=True)
    )
    indicators = list(Indicator.objects.values_list("code", flat=True))
    months = [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(12 * 20)]
    keys = itertools.product(months, units, indicators)
    return [
        [u, i, p, f"{k * 1.25:.2f}", "6.9%", "", "", "", "", ""]
        for k, (p, u, i) in zip(range(n), keys, strict=False)
    ]


def _csv(rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def test_a_50000_row_file_commits_with_progress_recorded(client_for, monkeypatch):
    client = client_for("statistician")
    content = _csv(_rows(50_000))
    progress = []
    record = services._progress

    def spy(batch_pk, processed):
        progress.append(processed)
        record(batch_pk, processed)

    monkeypatch.setattr(services, "_progress", spy)
    upload(client, content, "全年数据.csv")
    batch = last_batch()
    assert batch.status == ImportStatus.VALID, batch.errors[:3]
    assert (batch.total_rows, batch.created_count, batch.processed_rows) == (50_000, 50_000, 50_000)
    assert len(batch.preview) == 20
    assert progress[:3] == [1000, 2000, 3000] and progress[-1] == 50_000

    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED, batch.message
    assert batch.created_count == 50_000
    assert Observation.objects.filter(import_batch=batch).count() == 50_000
    assert Observation.history.filter(import_batch_id=batch.pk).count() == 50_000


def test_above_the_inline_limit_validation_and_commit_run_in_the_worker(
    client_for, settings, django_capture_on_commit_callbacks
):
    settings.SHOUWEI_IMPORT_INLINE_ROWS = 2
    client = client_for("statistician")
    rows = [row(period=f"2023-{m:02d}") for m in range(1, 6)]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx_bytes(rows))
    batch = last_batch()
    assert (batch.status, batch.total_rows) == (ImportStatus.VALIDATING, 5)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "shouwei.imports.tasks.validate_batch"

    page = client.get(batch.get_absolute_url()).content.decode()
    progress_url = reverse("imports:batch_progress", args=[batch.pk])
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 1s"' in page
    partial = client.get(progress_url)
    assert "<progress" in partial.content.decode() and "HX-Refresh" not in partial.headers
    assert 'style="' not in partial.content.decode()

    tasks.validate_batch.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALID and batch.processed_rows == 5
    assert client.get(progress_url).headers["HX-Refresh"] == "true"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTING
    assert DBTaskResult.objects.filter(task_path="shouwei.imports.tasks.commit_batch").exists()
    assert not Observation.objects.filter(import_batch=batch).exists()

    tasks.commit_batch.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert Observation.objects.filter(import_batch=batch).count() == 5


def test_a_crash_in_the_worker_leaves_the_batch_failed_not_validating(
    client_for, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SHOUWEI_IMPORT_INLINE_ROWS = 1
    client = client_for("statistician")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx_bytes([row(period="2023-01"), row(period="2023-02")]))
    batch = last_batch()
    assert batch.status == ImportStatus.VALIDATING

    def crash(*, batch):
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "batch_validate", crash)
    with pytest.raises(RuntimeError):
        tasks.validate_batch.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "没有写入任何数据" in batch.message
    assert client.get(reverse("imports:batch_progress", args=[batch.pk])).headers["HX-Refresh"]
