"""A batch whose process died (kill -9 in the middle of a commit or a validation) used to stay
写入中/校验中 for ever, its page polling, commit and rollback refused. It is found, marked
failed with the reason, and can be committed again."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shouwei.imports import jobs, services
from shouwei.imports.models import ImportBatch, ImportStatus
from shouwei.indicators.models import Observation

from .helpers import last_batch, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def _killed_process_token() -> str:
    """The token of a process that ran here and was killed with SIGKILL."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    token = services.process_token(child.pid)
    child.send_signal(signal.SIGKILL)
    child.wait()
    return token


def _left_committing(client) -> ImportBatch:
    upload(client, xlsx_bytes([row(period="2023-10"), row(period="2023-11")]))
    batch = last_batch()
    assert batch.status == ImportStatus.VALID
    # What the dead worker left: claimed (committed state), its write transaction gone.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.COMMITTING,
        dry_run=False,
        committed_by=batch.created_by,
        worker=_killed_process_token(),
        heartbeat_at=timezone.now(),
    )
    return batch


def test_a_running_process_is_alive_and_a_killed_one_is_not():
    assert services.process_alive(services.process_token()) is True
    assert services.process_alive(_killed_process_token()) is False
    assert services.process_alive("another-host 123 456") is None


def test_a_commit_whose_worker_was_killed_is_marked_failed_and_can_be_committed_again(
    client_for, demo
):
    client = client_for("statistician")
    batch = _left_committing(client)

    page = client.get(reverse("imports:batch_progress", args=[batch.pk]))
    assert page["HX-Refresh"] == "true"  # the polling stops
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "意外终止" in batch.message and "没有写入任何数据" in batch.message
    assert not Observation.objects.filter(period__in=["2023-10", "2023-11"]).exists()

    detail = client.get(batch.get_absolute_url()).content.decode()
    assert reverse("imports:batch_commit", args=[batch.pk]) in detail
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert Observation.objects.filter(period__in=["2023-10", "2023-11"]).count() == 2


def test_a_commit_click_on_a_dead_batch_recovers_it_first(client_for, demo):
    client = client_for("statistician")
    batch = _left_committing(client)
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED


def test_a_validation_whose_worker_died_is_marked_failed(client_for, demo):
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2023-10")]))
    batch = last_batch()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.VALIDATING, worker=_killed_process_token()
    )
    assert jobs.recover_stale_batches() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "校验进程" in batch.message
    assert batch.dry_run  # never validated to the end: upload it again, not commit


def test_a_live_commit_and_a_queued_one_are_left_alone(client_for, demo):
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2023-10")]))
    batch = last_batch()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.COMMITTING, worker=services.process_token()
    )
    upload(client, xlsx_bytes([row(period="2023-11")]))
    queued = last_batch()
    ImportBatch.objects.filter(pk=queued.pk).update(status=ImportStatus.COMMITTING, worker="")
    assert services.recover_stale() == 0


def test_a_batch_on_another_machine_is_failed_after_the_quiet_period(client_for, demo, settings):
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2023-10")]))
    batch = last_batch()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.COMMITTING,
        dry_run=False,
        worker="other-host 4242 1",
        heartbeat_at=timezone.now() - timedelta(minutes=settings.SHOUWEI_IMPORT_STALE_MINUTES - 1),
    )
    assert services.recover_stale() == 0
    ImportBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=settings.SHOUWEI_IMPORT_STALE_MINUTES + 1)
    )
    assert services.recover_stale() == 1
