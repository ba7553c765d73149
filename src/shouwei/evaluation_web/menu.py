from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

register_menu(
    _("经济运行"),
    "ti ti-chart-line",
    10,
    MenuItem(_("综合评价"), "evaluation_web:index", "ti ti-chart-dots-3"),
)
