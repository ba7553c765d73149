from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

from .models import (
    Arrears,
    ExtensionRequest,
    Goal,
    Milestone,
    PerformanceScheme,
    ProgressReport,
    SafetyIncident,
    ScoreRun,
    SupervisionNotice,
)

register_menu(
    _("督查绩效"),
    "ti ti-checkup-list",
    40,
    MenuItem(_("督查看板"), "supervision:board", "ti ti-layout-kanban"),
    MenuItem(_("督查目标"), Goal, "ti ti-target"),
    MenuItem(_("节点"), Milestone, "ti ti-timeline"),
    MenuItem(_("督查进展"), ProgressReport, "ti ti-progress"),
    MenuItem(_("督办单"), SupervisionNotice, "ti ti-file-alert"),
    MenuItem(_("延期申请"), ExtensionRequest, "ti ti-calendar-time"),
    MenuItem(_("绩效考评方案"), PerformanceScheme, "ti ti-list-check"),
    MenuItem(_("考评结果"), ScoreRun, "ti ti-trophy"),
    MenuItem(_("安全事故"), SafetyIncident, "ti ti-alert-octagon"),
    MenuItem(_("清收台账"), Arrears, "ti ti-cash"),
)
