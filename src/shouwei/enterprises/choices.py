"""Enterprise scale, visit kinds, request categories (with their time limits), channels and
the states a request (诉求) moves through, 12345-style."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scale(models.TextChoices):
    ABOVE = "above", _("规上")
    BELOW = "below", _("规下")


class VisitKind(models.TextChoices):
    ONSITE = "onsite", _("上门走访")
    MEETING = "meeting", _("座谈会")
    PHONE = "phone", _("电话联系")
    ONLINE = "online", _("线上沟通")


class RequestCategory(models.TextChoices):
    LAND = "land", _("用地")
    POWER = "power", _("用电用能")
    FINANCE = "finance", _("融资")
    HIRING = "hiring", _("用工")
    APPROVAL = "approval", _("审批")
    POLICY = "policy", _("政策")
    OTHER = "other", _("其他")


# 办结时限 (calendar days from acceptance) per category, after the 12345 hotline's practice of
# shorter limits for consultations than for matters that need several departments.
SLA_DAYS: dict[str, int] = {
    RequestCategory.LAND: 15,
    RequestCategory.POWER: 7,
    RequestCategory.FINANCE: 10,
    RequestCategory.HIRING: 7,
    RequestCategory.APPROVAL: 5,
    RequestCategory.POLICY: 5,
    RequestCategory.OTHER: 10,
}


class RequestChannel(models.TextChoices):
    CADRE = "cadre", _("联络员代提")
    PORTAL = "portal", _("企业端")
    PHONE = "phone", _("电话")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复")
    REVISITED = "revisited", _("已回访")
    RATED = "rated", _("已评价")


# The department holds the request in these states: its time limit runs.
OPEN_STATUSES = (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS)
# An answer exists: the enterprise may rate it.
RATEABLE_STATUSES = (RequestStatus.ANSWERED, RequestStatus.REVISITED)


class Escalation(models.IntegerChoices):
    NONE = 0, _("未升级")
    DEPARTMENT_HEAD = 1, _("已升级至部门负责人")
    LEADER = 2, _("已升级至分管领导")
