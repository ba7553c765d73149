from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "shouwei.supervision"
    label = "supervision"
    verbose_name = _("督查绩效")

    def ready(self) -> None:
        from . import menu  # noqa: F401
