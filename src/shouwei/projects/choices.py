"""Project levels, construction stages and problem states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("省重点")
    MUNICIPAL = "municipal", _("市重点")
    DISTRICT = "district", _("区重点")


# 省、市重点项目: the levels the article's headline figures count ("实施省、市重点项目49个，
# 总投资499.65亿元"). 区重点 projects are listed and served (联点) beside them, never summed in.
HEADLINE_LEVELS = (ProjectLevel.PROVINCIAL, ProjectLevel.MUNICIPAL)
# The list's level filter value for both of them (the summary's 合计 links to it).
HEADLINE = "provincial_municipal"
HEADLINE_LABEL = _("省、市重点")


class Stage(models.TextChoices):
    """In the order a project moves through them; going back needs a reason."""

    RESERVE = "reserve", _("储备")
    PRELIMINARY = "preliminary", _("前期")
    STARTED = "started", _("开工")
    CONSTRUCTION = "construction", _("在建")
    COMPLETED = "completed", _("竣工")
    OPERATING = "operating", _("投产")

    @classmethod
    def order(cls, value: str) -> int:
        return cls.values.index(value)


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待解决")
    RESOLVED = "resolved", _("已解决")


class CallPeriodKind(models.TextChoices):
    WEEK = "week", _("周")
    MONTH = "month", _("月")


class CallRowStatus(models.TextChoices):
    """Where one project's row of a scheduling call stands (computed, never stored)."""

    ANSWERED = "answered", _("已报")
    LATE = "late", _("逾期填报")
    AFTER_CLOSE = "after_close", _("关闭后填报")
    OVERDUE = "overdue", _("逾期未报")
    PENDING = "pending", _("未报")


class ProcedureKind(models.TextChoices):
    """前期手续, in the order a project normally obtains them (国家发展改革委《政府投资项目
    审批流程》: 立项 → 用地 → 规划 → 环评/能评 → 施工许可). ``custom`` is any other item."""

    APPROVAL = "approval", _("立项/备案")
    LAND = "land", _("用地预审与选址")
    PLANNING = "planning", _("规划许可")
    ENVIRONMENT = "environment", _("环评")
    ENERGY = "energy", _("能评")
    CONSTRUCTION = "construction", _("施工许可")
    CUSTOM = "custom", _("其他")


class FundingKind(models.TextChoices):
    FISCAL = "fiscal", _("财政资金")
    BOND = "bond", _("专项债券")
    SELF = "self", _("企业自筹")
    LOAN = "loan", _("银行贷款")
    OTHER = "other", _("其他")


class LandStatus(models.TextChoices):
    """供地: whether the project's land has been supplied (出让/划拨)."""

    NONE = "none", _("未供地")
    PARTIAL = "partial", _("部分供地")
    SUPPLIED = "supplied", _("已供地")
    NOT_NEEDED = "not_needed", _("不需新增用地")
