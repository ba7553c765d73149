from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "shouwei.portal"
    label = "portal"
    verbose_name = _("门户网站")

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from . import cache, menu  # noqa: F401  (menu registers the editing pages)

        cache.connect_signals()
        register(cache.check_shared_cache, Tags.caches, deploy=True)
