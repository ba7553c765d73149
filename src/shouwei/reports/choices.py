from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwei.core import reporting


class ReportKind(models.TextChoices):
    HALF_YEAR = reporting.HALF_YEAR, _("半年经济分析")
    MONTHLY = reporting.MONTHLY, _("月度分析")
    BRIEF = reporting.BRIEF, _("要情简报")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    BUILDING = "building", _("生成中")
    BUILT = "built", _("已生成")
    FAILED = "failed", _("失败")
