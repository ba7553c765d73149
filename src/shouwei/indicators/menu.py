from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

register_menu(
    _("经济运行"),
    "ti ti-chart-line",
    10,
    MenuItem(_("驾驶舱"), "indicators:cockpit", "ti ti-dashboard"),
    MenuItem(_("观测值"), "indicators:observation_list", "ti ti-table"),
    MenuItem(_("目标"), "indicators:target_list", "ti ti-target"),
    MenuItem(_("指标目录"), "indicators:indicator_list", "ti ti-list-details"),
)
