from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "shouwei.projects"
    label = "projects"
    verbose_name = _("重点项目")

    def ready(self) -> None:
        from . import menu  # noqa: F401
