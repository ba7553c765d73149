"""Publish in one step (issue 18): a built half-year report becomes a portal DRAFT article —
its title, its text as the portal's HTML with the charts as uploaded pictures, its source and
date — which then goes through the portal's two-person publishing like any other article: the
person who drafted it cannot publish it, and the seal covers its body and its pictures. The
article keeps the report and its data version (shown on the article's editing page).

Everything is written through the portal's own services (``portal.services.draft_with_images``
over ``save_article`` and ``add_attachment``), so the body is sanitised and the pictures
checked exactly as a typed article's are. It is the one import from reports into the portal,
allowed in .importlinter.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shouwei.core.periods import Period
from shouwei.core.permissions import VIEW, require
from shouwei.core.reporting import HALF_YEAR, Chart
from shouwei.portal import services as portal

from .choices import ReportStatus
from .models import PUBLISH_TO_PORTAL, Report
from .renderers.charts import chart_png
from .renderers.html import public_html
from .services import ReportError, build_document

# The portal channel a report is published in (the demo's 数据发布).
DEFAULT_CHANNEL = "sjfb"


def publishable(report: Report) -> str | None:
    """Why ``report`` cannot become an article (None if it can), without reading the data."""
    if report.kind != HALF_YEAR:
        return _("只有半年经济分析可以发布到门户")
    if report.status != ReportStatus.BUILT or report.document is None:
        return _("报告尚未生成成功，不能发布到门户")
    if report.changed_figures:
        n = len(report.changed_figures)
        return ngettext(
            "与上一次生成相比有 %(n)d 个数字发生变化，请核对后重新生成，再发布",
            "与上一次生成相比有 %(n)d 个数字发生变化，请核对后重新生成，再发布",
            n,
        ) % {"n": n}
    return None


@transaction.atomic
def publish_to_portal(*, report: Report, by) -> portal.Article:
    """A DRAFT portal article from a built half-year report of a unit ``by`` reads; nothing
    is published here. Raises PermissionDenied (no right) or ReportError (the report cannot
    be published as it is: not a half-year analysis, not built, changed figures, data changed
    since it was built)."""
    require(by, VIEW, report, _("您无权查看该报告"))
    require(by, PUBLISH_TO_PORTAL, report, _("您无权将报告发布到门户网站"))
    reason = publishable(report)
    if reason:
        raise ReportError(reason)
    doc = report.as_document()
    # The data read now, as the report's builder reads it: a figure corrected or approved
    # since the build would publish a figure the database no longer holds.
    now, _read = build_document(
        kind=report.kind, unit=report.unit, period=Period.parse(report.period), by=report.built_by
    )
    if now.data_version != report.data_version:
        raise ReportError(_("报告生成后数据已有变化，请重新生成报告后再发布"))
    charts = [b for s in doc.sections for b in s.blocks if isinstance(b, Chart)]
    return portal.draft_with_images(
        by=by,
        channel_slug=getattr(settings, "SHOUWEI_REPORT_CHANNEL", DEFAULT_CHANNEL),
        title=doc.title,
        body=lambda urls: public_html(doc, urls),
        images=[
            portal.DraftImage(key=c.key, name=f"{c.key}.png", data=chart_png(c), caption=c.title)
            for c in charts
        ],
        source_unit=report.unit.name[:100],
        source_report=report,
        source_data_version=report.data_version,
    )
