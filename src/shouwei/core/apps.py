import axes.apps
import django_tasks_db.apps
from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    # This module also holds two third-party apps' configs (below): without ``default`` Django
    # would not pick this one for "shouwei.core", and ready() would never run.
    default = True
    name = "shouwei.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        # Each app declares its cockpit panel in its own panels.py (see core/panels.py).
        autodiscover_modules("panels")
        # And the sections it can write into the reports (see core/reporting.py).
        autodiscover_modules("report_sections")
        # And the files ``shouwei report <kind>`` writes (see core/reporting.py).
        autodiscover_modules("report_files")
        from django.contrib.auth.signals import user_logged_in

        from . import signals

        user_logged_in.connect(signals.on_login, dispatch_uid="shouwei.core.on_login")
        # The security log (core.models.SecurityEvent) of logins, failures, lockouts, roles.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_out, user_login_failed
        from django.db.models.signals import post_delete, post_save

        from .models import RoleAssignment

        user_logged_in.connect(signals.on_logged_in, dispatch_uid="shouwei.security.login")
        user_logged_out.connect(signals.on_logged_out, dispatch_uid="shouwei.security.logout")
        user_login_failed.connect(signals.on_login_failed, dispatch_uid="shouwei.security.fail")
        user_locked_out.connect(signals.on_locked_out, dispatch_uid="shouwei.security.lockout")
        post_save.connect(
            signals.on_role_saved, sender=RoleAssignment, dispatch_uid="shouwei.security.role"
        )
        post_delete.connect(
            signals.on_role_deleted, sender=RoleAssignment, dispatch_uid="shouwei.security.unrole"
        )
        # A new data version after each committed data write (the cockpit's cache key).
        from . import data_version

        data_version.connect_signals()
        # Each version's source (web form, API, admin) for the record history page.
        from simple_history.signals import pre_create_historical_record

        pre_create_historical_record.connect(
            signals.on_history_record, dispatch_uid="shouwei.history.source"
        )


# Third-party apps under a Chinese name in the admin (English in the English UI): their own
# AppConfig gives none (django-axes: "Axes") or an English one (django-tasks-db). Listed in
# INSTALLED_APPS in their place; name and label stay theirs, so migrations and tables do not change.
class AxesConfig(axes.apps.AppConfig):
    verbose_name = _("登录防护")


class TasksDatabaseConfig(django_tasks_db.apps.TasksAppConfig):
    verbose_name = _("后台任务")
