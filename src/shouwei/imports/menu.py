from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

# Same group, icon and weight as core's 基础数据 menu: whichever registers first creates it. The
# item shows to those the import history lets in (``open_to`` on the view: the batch contract's
# readers).
register_menu(
    _("基础数据"),
    "ti ti-building",
    90,
    MenuItem(_("导入记录"), "imports:batch_list", "ti ti-file-import"),
)
