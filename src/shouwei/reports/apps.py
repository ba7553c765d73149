from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "shouwei.reports"
    label = "reports"
    verbose_name = _("综合报告")

    def ready(self) -> None:
        from . import menu, renderers  # noqa: F401  (the menu registers itself)

        renderers.load()
