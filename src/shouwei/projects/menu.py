from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

from .models import AnnualPlan, ProgressReport, Project, RollingPlan, SchedulingCall, Stoppage

register_menu(
    _("重点项目"),
    "ti ti-building-factory-2",
    20,
    MenuItem(_("项目清单"), Project, "ti ti-list"),
    MenuItem(_("问题看板"), "projects:problem_board", "ti ti-alert-triangle"),
    MenuItem(_("调度任务"), SchedulingCall, "ti ti-speakerphone"),
    MenuItem(_("调度待办"), "projects:call_todo", "ti ti-checklist"),
    MenuItem(_("前期手续看板"), "projects:procedure_board", "ti ti-stack-2"),
    MenuItem(_("资金与债券"), "projects:funding_board", "ti ti-coin-yuan"),
    MenuItem(_("月度进度填报"), "projects:progress_entry", "ti ti-forms"),
    MenuItem(_("月度进度"), ProgressReport, "ti ti-calendar-stats"),
    MenuItem(_("年度计划"), AnnualPlan, "ti ti-calendar"),
    MenuItem(_("滚动投资计划"), RollingPlan, "ti ti-calendar-repeat"),
    MenuItem(_("停工复工"), Stoppage, "ti ti-player-pause"),
)
