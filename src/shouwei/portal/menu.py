from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

from .models import Article

register_menu(
    _("门户网站"),
    "ti ti-world",
    60,
    MenuItem(_("文章管理"), Article, "ti ti-news"),
    MenuItem(_("新建文章"), Article, "ti ti-file-plus", action="add"),
)
