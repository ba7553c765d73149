"""Writes of the import framework: upload (with the dry run), commit, rollback.

Validation never writes business records. Commit re-reads the stored file and validates again
as the committing user — records may have been approved, or rights changed, since the preview —
then writes everything in one transaction or nothing. Files above SHOUWEI_IMPORT_INLINE_ROWS
data rows are validated and committed by the django-tasks worker; the page polls progress.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import socket
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwei.core import data_version
from shouwei.core.permissions import ADD, CHANGE, ROLLBACK, require, scope_for

from . import engine
from .base import ImportConflict, Importer
from .models import ImportBatch, ImportStatus
from .readers import FileRejected, Sheet, check_name_and_size, read_sheet
from .registry import get_importer

logger = logging.getLogger("shouwei.imports")


class ImportRefused(Exception):
    """The action is not possible in the batch's current state; the message says why."""


def inline_limit() -> int:
    return settings.SHOUWEI_IMPORT_INLINE_ROWS


def importer_for(batch: ImportBatch) -> Importer:
    importer = get_importer(batch.importer)
    if importer is None:
        raise ImportRefused(_("导入类型“%(key)s”已不存在") % {"key": batch.importer})
    return importer


def batch_upload(
    *,
    importer: Importer,
    content: bytes,
    filename: str,
    user,
    inline: bool | None = None,
) -> ImportBatch:
    """Keep the original file with who, when and its digest, then dry-run it.

    Raises FileRejected (and keeps nothing) for a file refused by name or size alone; every
    other problem is recorded on the batch so the history shows what was tried.
    """
    if not importer.can_start(user):
        raise PermissionDenied(_("您无权导入%(label)s") % {"label": importer.label})
    name = posixpath.basename(filename.replace("\\", "/"))[:255]
    check_name_and_size(name, len(content))
    digest = hashlib.sha256(content).hexdigest()
    batch = ImportBatch(
        importer=importer.key,
        unit_id=scope_for(user).home_unit_pk_for(ImportBatch.contract.roles(ADD)),
        original_name=name,
        sha256=digest,
        size=len(content),
        created_by=user,
        status=ImportStatus.PENDING,
    )
    suffix = name.lower().rsplit(".", 1)[-1]
    batch.file.save(f"{digest[:16]}.{suffix}", ContentFile(content), save=False)
    batch.save()
    try:
        sheet = read_sheet(content, name, sheet_name=importer.sheet_title)
    except FileRejected as exc:
        return _reject(batch, exc)
    rows = engine.data_row_count(sheet)
    if _runs_inline(rows, inline):
        return batch_validate(batch=batch, sheet=sheet)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.VALIDATING, total_rows=rows, processed_rows=0
    )
    from .tasks import validate_batch  # tasks imports this module

    transaction.on_commit(partial(validate_batch.enqueue, batch.pk))
    batch.refresh_from_db()
    return batch


def batch_validate(*, batch: ImportBatch, sheet: Sheet | None = None) -> ImportBatch:
    """The dry run: every row checked as the uploader, counts, errors and a preview stored."""
    importer = importer_for(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.VALIDATING,
        processed_rows=0,
        worker=process_token(),
        heartbeat_at=timezone.now(),
    )
    try:
        sheet = sheet or _read(batch, importer)
        outcome = engine.run(
            importer, sheet, user=batch.created_by, progress=partial(_progress, batch.pk)
        )
    except FileRejected as exc:
        return _reject(batch, exc)
    return _store(
        batch, outcome, ImportStatus.VALID if outcome.ok else ImportStatus.INVALID, message=""
    )


def batch_commit(*, batch: ImportBatch, user, inline: bool | None = None) -> ImportBatch:
    """Claim a validated batch for writing (a second click finds it claimed), then write it
    here or in the worker."""
    require(user, CHANGE, batch, _("您无权操作该导入批次"))
    if not importer_for(batch).can_start(user):
        raise PermissionDenied(_("您无权导入该类数据"))
    recover_stale(batch_pk=batch.pk)
    claimed = (
        ImportBatch.objects.filter(pk=batch.pk)
        .filter(committable())
        .update(
            status=ImportStatus.COMMITTING,
            committed_by=user,
            processed_rows=0,
            dry_run=False,
            message="",
        )
    )
    batch.refresh_from_db()
    if not claimed:
        raise ImportRefused(
            _("批次当前状态为“%(s)s”，不能确认导入") % {"s": batch.get_status_display()}
        )
    if _runs_inline(batch.total_rows, inline):
        return run_commit(batch=batch)
    from .tasks import commit_batch  # tasks imports this module

    transaction.on_commit(partial(commit_batch.enqueue, batch.pk))
    return batch


def run_commit(*, batch: ImportBatch) -> ImportBatch:
    """Validate again as the committing user, then write all rows in one transaction."""
    user = batch.committed_by
    importer = importer_for(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(
        worker=process_token(), heartbeat_at=timezone.now()
    )
    try:
        outcome = engine.run(
            importer, _read(batch, importer), user=user, progress=partial(_progress, batch.pk)
        )
    except FileRejected as exc:
        return _reject(batch, exc)
    if not outcome.ok:
        return _store(
            batch,
            outcome,
            ImportStatus.INVALID,
            message=_("确认导入时重新校验未通过（数据或权限在预览后有变化），没有写入任何数据"),
        )
    try:
        with transaction.atomic():
            result = importer.write_rows(outcome.rows, batch=batch, user=user)
            # Bulk writes send no signal: pages cached on the data version must learn of them.
            data_version.changed()
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportStatus.COMMITTED,
                created_count=result.created,
                updated_count=result.updated,
                processed_rows=outcome.total_rows,
                total_rows=outcome.total_rows,
                committed_at=timezone.now(),
                error_count=0,
                errors=[],
            )
    except ImportConflict as exc:
        _fail(batch, str(exc))
    except IntegrityError:
        logger.warning("import batch %s hit a constraint while writing", batch.pk, exc_info=True)
        _fail(
            batch,
            _(
                "写入时与其他同时写入的数据冲突（如同一单位、指标、期间已被他人新增），已全部撤回，请重新上传校验"
            ),
        )
    except Exception:
        # The commit boundary: whatever failed, the transaction has rolled back, and the batch
        # must say so instead of staying "写入中" for ever. The traceback goes to the log.
        logger.exception("import batch %s failed while writing", batch.pk)
        _fail(batch, _("写入失败，已全部撤回，没有写入任何数据；错误详情已记入系统日志"))
    batch.refresh_from_db()
    return batch


@transaction.atomic
def batch_rollback(*, batch: ImportBatch, user) -> ImportBatch:
    """Undo a committed batch: delete what it created, restore what it updated — all, or
    nothing when any record has been approved or re-imported since (ImportConflict)."""
    require(user, ROLLBACK, batch, _("您无权撤销该导入批次"))
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.COMMITTED:
        raise ImportRefused(
            _("批次当前状态为“%(s)s”，只有已导入的批次可以撤销") % {"s": batch.get_status_display()}
        )
    result = importer_for(batch).rollback(batch=batch, user=user)
    data_version.changed()
    batch.status = ImportStatus.ROLLED_BACK
    batch.rolled_back_by = user
    batch.rolled_back_at = timezone.now()
    batch.message = _("已撤销：删除新增的 %(c)s 条，恢复更新前的 %(u)s 条") % {
        "c": result.created,
        "u": result.updated,
    }
    batch.save(update_fields=["status", "rolled_back_by", "rolled_back_at", "message"])
    return batch


# --- helpers ----------------------------------------------------------------------------------
def _runs_inline(rows: int, inline: bool | None) -> bool:
    return inline if inline is not None else rows <= inline_limit()


def _read(batch: ImportBatch, importer: Importer) -> Sheet:
    try:
        with batch.file.open("rb") as fh:
            content = fh.read()
    except OSError:
        logger.warning("import batch %s: stored file %s unreadable", batch.pk, batch.file.name)
        raise FileRejected(_("该批次保存的原始文件已无法读取，请重新上传")) from None
    return read_sheet(content, batch.original_name, sheet_name=importer.sheet_title)


def _progress(batch_pk: int, processed: int) -> None:
    # A plain UPDATE outside any transaction: the polling page sees it at once.
    ImportBatch.objects.filter(pk=batch_pk).update(
        processed_rows=processed, heartbeat_at=timezone.now()
    )


# --- batches whose process died ---------------------------------------------------------------


def committable():
    """A validated batch, or one whose writing failed (its rows were rolled back with it):
    committing validates the whole file again as the committing user first."""
    from django.db.models import Q

    return Q(status=ImportStatus.VALID) | Q(status=ImportStatus.FAILED, dry_run=False)


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (/proc/PID/stat, field 22): with
    the pid it names one process, not whichever later reuses the number. "" off Linux."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def process_token(pid: int | None = None) -> str:
    pid = pid or os.getpid()
    return f"{socket.gethostname()} {pid} {_start_time(pid)}".strip()


def process_alive(token: str) -> bool | None:
    """Whether the process a token names still runs; None when that cannot be told here
    (another machine's process)."""
    host, _, rest = token.partition(" ")
    pid_text, _, started = rest.partition(" ")
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        pass
    return not started or _start_time(pid) == started


def stale_after() -> timedelta:
    """How long a batch on another machine may go without progress before it counts as
    abandoned (a process on this machine is checked directly)."""
    return timedelta(minutes=settings.SHOUWEI_IMPORT_STALE_MINUTES)


def recover_stale(*, batch_pk: int | None = None) -> int:
    """Mark failed, with the reason, every batch in 校验中/写入中 whose process has died; its
    transaction died with it, so nothing was written. Returns how many were marked. A batch
    still queued for the task worker (no process yet) is left waiting."""
    running = ImportBatch.objects.filter(
        status__in=(ImportStatus.VALIDATING, ImportStatus.COMMITTING)
    ).exclude(worker="")
    if batch_pk is not None:
        running = running.filter(pk=batch_pk)
    marked = 0
    now = timezone.now()
    for pk, status, worker, heartbeat in running.values_list(
        "pk", "status", "worker", "heartbeat_at"
    ):
        alive = process_alive(worker)
        if alive is None:
            alive = heartbeat is not None and now - heartbeat < stale_after()
        if alive:
            continue
        if status == ImportStatus.COMMITTING:
            message = _(
                "写入进程（%(w)s）意外终止，事务已整体回滚，没有写入任何数据；可以重新确认导入"
            ) % {"w": worker}
        else:
            message = _("校验进程（%(w)s）意外终止，没有写入任何数据；请重新上传该文件") % {
                "w": worker
            }
        # Conditional: the process may have finished between the read and this write.
        marked += ImportBatch.objects.filter(pk=pk, status=status, worker=worker).update(
            status=ImportStatus.FAILED, message=message
        )
        logger.warning("import batch %s: process %s died in %s, marked failed", pk, worker, status)
    return marked


def _reject(batch: ImportBatch, exc: FileRejected) -> ImportBatch:
    batch.status = ImportStatus.INVALID
    batch.errors = [{"row": None, "column": "", "message": str(exc)}]
    batch.error_count = 1
    batch.preview = []
    batch.total_rows = batch.processed_rows = 0
    batch.created_count = batch.updated_count = 0
    batch.save(
        update_fields=[
            "status",
            "errors",
            "error_count",
            "preview",
            "total_rows",
            "processed_rows",
            "created_count",
            "updated_count",
        ]
    )
    return batch


def _store(batch: ImportBatch, outcome: engine.Outcome, status: str, *, message: str):
    batch.status = status
    batch.total_rows = batch.processed_rows = outcome.total_rows
    batch.created_count = outcome.created
    batch.updated_count = outcome.updated
    batch.error_count = outcome.errors.total
    batch.errors = outcome.errors.listed
    batch.preview = outcome.preview
    batch.message = message
    batch.save(
        update_fields=[
            "status",
            "total_rows",
            "processed_rows",
            "created_count",
            "updated_count",
            "error_count",
            "errors",
            "preview",
            "message",
        ]
    )
    return batch


def _fail(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, message=message)
