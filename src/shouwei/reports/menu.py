from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

from .models import Report

register_menu(
    _("综合报告"),
    "ti ti-report-analytics",
    70,
    MenuItem(_("报告"), Report, "ti ti-list"),
    MenuItem(_("生成报告"), "reports:build", "ti ti-file-plus"),
)
