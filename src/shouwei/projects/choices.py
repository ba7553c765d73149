"""Project levels, construction stages and problem states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("省重点")
    MUNICIPAL = "municipal", _("市重点")
    DISTRICT = "district", _("区重点")


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
