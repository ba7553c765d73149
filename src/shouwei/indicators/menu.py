from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

from .models import Indicator, Observation, Target

register_menu(
    _("经济运行"),
    "ti ti-chart-line",
    10,
    MenuItem(_("驾驶舱"), "indicators:cockpit", "ti ti-dashboard"),
    MenuItem(_("观测值"), Observation, "ti ti-table"),
    MenuItem(_("目标"), Target, "ti ti-target"),
    MenuItem(_("指标目录"), Indicator, "ti ti-list-details"),
)
