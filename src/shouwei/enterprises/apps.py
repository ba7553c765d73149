from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "shouwei.enterprises"
    label = "enterprises"
    verbose_name = _("企业服务")

    def ready(self) -> None:
        from . import menu  # noqa: F401
        from .tallies import connect_signals

        connect_signals()
