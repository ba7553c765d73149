"""Background builds, run by the django-tasks worker (``shouwei db_worker``). The argument is
the report's primary key: the task may run in another process, long after the request."""

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from . import services
from .choices import ReportStatus
from .models import Report

logger = logging.getLogger("shouwei.reports")


@task()
def build_report(report_id: int) -> None:
    report = Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).first()
    if report is None:
        return
    try:
        services.run_build(report=report)
    except Exception:
        # The page polling the report must see it end, not "生成中" for ever.
        logger.exception("report %s: build crashed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=_("生成时出错，报告未生成；详情已记入系统日志")
        )
        raise
