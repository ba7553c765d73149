from django.db import models
from django.utils.translation import gettext_lazy as _


class LightColour(models.TextChoices):
    """A goal's or milestone's light: the colours of indicators.lights (grey: no data yet)."""

    GREEN = "green", _("按时推进")
    YELLOW = "yellow", _("临近时限")
    RED = "red", _("已逾期")
    DONE = "done", _("已完成")
    GREY = "grey", _("无数据")


class Pace(models.TextChoices):
    """What a bound goal's target light measures progress against: the cockpit's pace
    (indicators.selectors.seasonal_share, else 时间过半、任务过半)."""

    SEASONAL = "seasonal", _("季节性进度（往年同期完成占全年比重）")
    LINEAR = "linear", _("时间进度（时间过半、任务过半；无往年数据）")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已下发")
    SIGNED = "signed", _("已签收")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class IncidentLevel(models.TextChoices):
    """生产安全事故等级 (《生产安全事故报告和调查处理条例》第三条)."""

    GENERAL = "general", _("一般")
    LARGER = "larger", _("较大")
    MAJOR = "major", _("重大")
    ESPECIALLY_MAJOR = "especially_major", _("特别重大")


# 较大及以上: what the zone's safety baseline (and the veto) counts.
SERIOUS_LEVELS = (IncidentLevel.LARGER, IncidentLevel.MAJOR, IncidentLevel.ESPECIALLY_MAJOR)


class ItemKind(models.TextChoices):
    SCORE = "score", _("考核项")
    BONUS = "bonus", _("加分项")
    PENALTY = "penalty", _("减分项")
    VETO = "veto", _("一票否决项")


class ItemRule(models.TextChoices):
    """How an item of the scheme is scored (the facts each rule reads: scoring.py)."""

    INDICATOR_RANK = "indicator_rank", _("指标排名")
    TARGET_ATTAINMENT = "target_attainment", _("目标完成（目标灯）")
    MILESTONE_ON_TIME = "milestone_on_time", _("节点按时完成率")
    ARREARS_COLLECTION = "arrears_collection", _("清收完成率")
    NOTICE_OVERDUE = "notice_overdue", _("督办单逾期未答复")
    SERIOUS_INCIDENT = "serious_incident", _("较大及以上安全事故")
    SOURCE = "source", _("其他应用提供的数据")
    MANUAL = "manual", _("人工认定")
