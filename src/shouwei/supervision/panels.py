"""The supervision panel of the 驾驶舱 (registered with core.panels; the cockpit imports
nothing of this app): goals by light, overdue milestones, notices waiting to be signed or
answered, extension requests waiting, and the latest department ranking — each figure a link
to the records behind it."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from shouwei.core import clock
from shouwei.core.generic import url_for
from shouwei.core.panels import register_cockpit_panel

from . import selectors
from .choices import ExtensionStatus, NoticeStatus
from .models import ExtensionRequest, Milestone, SupervisionNotice


def supervision_panel(*, user, unit, period) -> dict | None:
    today = clock.today()
    year = period.year
    rows = [
        r
        for r in selectors.goals_with_lights(user, year=year, today=today)
        if r.goal.unit_id == unit.pk
    ]
    run = selectors.latest_run(user, year=year)
    if not rows and run is None:
        return None
    board = reverse("supervision:board")
    notices = url_for(SupervisionNotice, "list")
    counts = selectors.notice_counts(user)
    return {
        "today": today,
        "lights": [
            (value, label, n, f"{board}?{urlencode({'year': year, 'light': value})}")
            for value, label, n in selectors.light_counts(rows)
            if n
        ],
        "overdue": selectors.overdue_milestones(user, today=today).filter(goal__year=year).count(),
        "overdue_url": url_for(Milestone, "list") + "?overdue=true",
        "unsigned": counts["unsigned"],
        "unsigned_url": f"{notices}?status={NoticeStatus.ISSUED}",
        "unanswered": counts["unanswered"],
        "unanswered_url": f"{notices}?status={NoticeStatus.SIGNED}",
        "extensions": selectors.pending_extensions(user).count(),
        "extensions_url": url_for(ExtensionRequest, "list") + f"?status={ExtensionStatus.PENDING}",
        "run": run,
        "scores": list(selectors.run_scores(run)) if run else [],
    }


register_cockpit_panel(
    "supervision",
    title=_("督查绩效"),
    weight=30,
    template="supervision/cockpit_panel.html",
    context=supervision_panel,
)
