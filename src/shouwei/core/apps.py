from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shouwei.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        # Each app declares its cockpit panel in its own panels.py (see core/panels.py).
        autodiscover_modules("panels")
