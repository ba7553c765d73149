from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    LEVEL = "level", _("总量")
    GROWTH = "growth", _("增速")
    RATE = "rate", _("比率")
    COUNT = "count", _("计数")
    ASSESSMENT = "assessment", _("考核排名")


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class Category(models.TextChoices):
    ECONOMY = "economy", _("经济运行")
    PROJECTS = "projects", _("重点项目")
    INVESTMENT = "investment", _("招商引资")
    INNOVATION = "innovation", _("科技创新")
    EPIDEMIC = "epidemic", _("疫情防控")
    ENTERPRISE = "enterprise", _("产业生态")
    LIVELIHOOD = "livelihood", _("民生保障")
    CIVILISATION = "civilisation", _("文明创建与治理")
    SAFETY = "safety", _("安全生产")
    TRADE = "trade", _("开放型经济")
    ASSESSMENT = "assessment", _("综合考核")


class ObservationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("已审核")


class RankBasis(models.TextChoices):
    VALUE = "value", _("总量")
    GROWTH = "growth", _("增速")


class TargetKind(models.TextChoices):
    VALUE = "value", _("总量目标")
    GROWTH = "growth", _("增速目标")
    RANK = "rank", _("排名目标")
