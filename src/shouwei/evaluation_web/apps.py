from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationWebConfig(AppConfig):
    name = "shouwei.evaluation_web"
    label = "evaluation_web"
    verbose_name = _("综合评价")

    def ready(self) -> None:
        from . import menu  # noqa: F401
