from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "shouwei.indicators"
    label = "indicators"
    verbose_name = _("指标")

    def ready(self) -> None:
        from . import menu  # noqa: F401
        from .ranks import connect_signals

        connect_signals()
