"""Lead stages, channels, 三类500强 classes and review decisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadStage(models.TextChoices):
    """In the order a lead moves through them; going back needs a reason."""

    LEAD = "lead", _("线索")
    CONTACT = "contact", _("接洽")
    INTENT = "intent", _("意向")
    NEGOTIATION = "negotiation", _("洽谈")
    SIGNED = "signed", _("签约")
    REGISTERED = "registered", _("注册")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("投产")

    @classmethod
    def order(cls, value: str) -> int:
        return cls.values.index(value)


# The date field of the lead that records when it reached each stage.
STAGE_DATE_FIELDS = {
    LeadStage.LEAD: "lead_on",
    LeadStage.CONTACT: "contact_on",
    LeadStage.INTENT: "intent_on",
    LeadStage.NEGOTIATION: "negotiation_on",
    LeadStage.SIGNED: "signed_on",
    LeadStage.REGISTERED: "registered_on",
    LeadStage.STARTED: "started_on",
    LeadStage.PRODUCING: "producing_on",
}
# The stages after signing, with the contract milestone each one fulfils.
MILESTONE_OF_STAGE = {
    LeadStage.REGISTERED: "registration",
    LeadStage.STARTED: "start",
    LeadStage.PRODUCING: "production",
}


class LeadChannel(models.TextChoices):
    RESIDENT = "resident", _("驻地招商")
    EVENT = "event", _("重大活动签约")
    AGENCY = "agency", _("第三方招商机构")
    TARGETED = "targeted", _("大数据库精准信息靶向招商")
    BUSINESS = "business", _("以商招商")


class FortuneClass(models.TextChoices):
    """三类500强."""

    WORLD = "world", _("世界500强")
    CHINA = "china", _("中国500强")
    PRIVATE = "private", _("中国民营500强")


class Decision(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("不通过")
