from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

register_menu(
    _("门户网站"),
    "ti ti-world",
    60,
    MenuItem(_("文章管理"), "portal_manage:article_list", "ti ti-news"),
    MenuItem(_("新建文章"), "portal_manage:article_add", "ti ti-file-plus"),
)
