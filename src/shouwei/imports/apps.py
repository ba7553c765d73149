from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "shouwei.imports"
    label = "imports"
    verbose_name = _("数据导入")

    def ready(self) -> None:
        from . import menu  # noqa: F401

        # Every app registers its importers in its own importers.py.
        autodiscover_modules("importers")
