from django.utils.translation import gettext_lazy as _

from shouwei.core.navigation import MenuItem, register_menu

from .models import (
    AdmissionThreshold,
    Agency,
    Contract,
    Event,
    FortuneListEntry,
    IndustryChain,
    Lead,
    Office,
)

register_menu(
    _("招商引资"),
    "ti ti-briefcase",
    25,
    MenuItem(_("招商看板"), "investment:board", "ti ti-layout-kanban"),
    MenuItem(_("招商线索"), Lead, "ti ti-list"),
    MenuItem(_("履约跟踪"), "investment:fulfilment", "ti ti-checklist"),
    MenuItem(_("渠道漏斗"), "investment:funnel", "ti ti-filter"),
    MenuItem(_("投资合同"), Contract, "ti ti-file-certificate"),
    MenuItem(_("招商活动"), Event, "ti ti-speakerphone"),
    MenuItem(_("驻地办事处"), Office, "ti ti-building"),
    MenuItem(_("招商机构"), Agency, "ti ti-users-group"),
    MenuItem(_("靶向招商"), "investment:chain_gaps", "ti ti-target-arrow"),
    MenuItem(_("产业链"), IndustryChain, "ti ti-link"),
    MenuItem(_("500强榜单"), FortuneListEntry, "ti ti-trophy"),
    MenuItem(_("准入标准"), AdmissionThreshold, "ti ti-ruler-measure"),
)
