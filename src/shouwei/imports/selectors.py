"""Reads of import batches: every one starts from ``visible_to(user)``."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ImportBatch, ImportStatus


def batch_list(user) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.visible_to(user).select_related("created_by", "unit")


def batch_actions(user, batch: ImportBatch) -> dict[str, bool]:
    """What the detail page offers; the services check again when the button is pressed."""
    editable = ImportBatch.objects.editable_by(user).filter(pk=batch.pk).exists()
    return {
        "can_commit": editable
        and (
            batch.status == ImportStatus.VALID
            or (batch.status == ImportStatus.FAILED and not batch.dry_run)
        ),
        "can_rollback": editable and batch.status == ImportStatus.COMMITTED,
    }
