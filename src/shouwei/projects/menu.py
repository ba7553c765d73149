from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

register_menu(
    _("重点项目"),
    "ti ti-building-factory-2",
    20,
    MenuItem(_("项目清单"), "projects:project_list", "ti ti-list"),
    MenuItem(_("问题看板"), "projects:problem_board", "ti ti-alert-triangle"),
    MenuItem(_("月度进度填报"), "projects:progress_entry", "ti ti-forms"),
    MenuItem(_("月度进度"), "projects:progressreport_list", "ti ti-calendar-stats"),
    MenuItem(_("年度计划"), "projects:annualplan_list", "ti ti-calendar"),
)
