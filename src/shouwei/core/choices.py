"""Choice sets (value, Chinese label, badge colour), NetBox style."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("县区")
    ZONE = "zone", _("开发区/高新区")
    PARK = "park", _("园区")
    BONDED_ZONE = "bonded_zone", _("综合保税区")
    DEPARTMENT = "department", _("部门")
    STREET = "street", _("街道")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    LEADER = "leader", _("领导")
    SUPERVISOR = "supervisor", _("督查绩效办")
    STAFF = "staff", _("部门填报员")
    STATISTICIAN = "statistician", _("统计员")
    LIAISON = "liaison", _("驻企联络员")
    ENTERPRISE = "enterprise", _("企业联系人")
    # "编辑"/"审核" are also verbs on buttons: the context keeps the English role nouns apart.
    EDITOR = "editor", pgettext_lazy("role", "编辑")
    REVIEWER = "reviewer", pgettext_lazy("role", "审核")


class NotificationLevel(models.TextChoices):
    INFO = "info", _("通知")
    WARNING = "warning", _("提醒")
    DANGER = "danger", _("告警")
