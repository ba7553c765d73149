from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

from .models import Enterprise, EnterpriseContact, LiaisonAssignment, Request, Visit

register_menu(
    _("企业服务"),
    "ti ti-building-store",
    30,
    MenuItem(_("我的诉求"), "enterprises:contact_home", "ti ti-message-2"),
    MenuItem(_("我的联点"), "enterprises:my_assignments", "ti ti-user-check"),
    MenuItem(_("诉求办理台"), "enterprises:desk", "ti ti-clock-exclamation"),
    MenuItem(_("企业诉求"), Request, "ti ti-messages"),
    MenuItem(_("企业名录"), Enterprise, "ti ti-list"),
    MenuItem(_("企业端联系人"), EnterpriseContact, "ti ti-id-badge"),
    MenuItem(_("联点安排"), LiaisonAssignment, "ti ti-link"),
    MenuItem(_("走访记录"), Visit, "ti ti-walk"),
    MenuItem(_("覆盖情况"), "enterprises:coverage", "ti ti-shield-check"),
    MenuItem(_("办理统计"), "enterprises:figures", "ti ti-chart-bar"),
)
