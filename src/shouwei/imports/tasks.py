"""Background work for large files (more than SHOUWEI_IMPORT_INLINE_ROWS data rows), run by
the django-tasks worker (`shouwei db_worker`). Arguments are primary keys: a task may run in
another process, long after the request."""

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from . import services
from .models import ImportBatch, ImportStatus

logger = logging.getLogger("shouwei.imports")


@task()
def validate_batch(batch_id: int) -> None:
    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.VALIDATING).first()
    if batch is None:
        return
    try:
        services.batch_validate(batch=batch)
    except Exception:
        # Nobody waits on this call but the page polling the batch: it must end in a state
        # the page can show, not "校验中" for ever. The task result keeps the traceback.
        logger.exception("import batch %s: validation crashed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED,
            message=_("校验时出错，没有写入任何数据；详情已记入系统日志"),
        )
        raise


@task()
def commit_batch(batch_id: int) -> None:
    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.COMMITTING).first()
    if batch is not None:
        services.run_commit(batch=batch)
