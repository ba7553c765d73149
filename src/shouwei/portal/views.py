"""The public pages. All are reachable without login and show only published material."""

from __future__ import annotations

import hashlib
import io

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from shouwei.core.exports import Number, decimals_format, export_response
from shouwei.core.formatting import format_growth, format_number
from shouwei.core.periods import PeriodKind

from . import cache as page_cache
from . import integrity, jobs, qr, selectors, services
from .choices import ArticleStatus
from .models import Channel


def _channels():
    return selectors.top_channels()


def _platform_login_url() -> str | None:
    # The portal-only site (SHOUWEI_SITE=portal) has no platform to log in to.
    try:
        return reverse("login")
    except NoReverseMatch:
        return None


@require_safe
def home(request):
    def render_home():
        unit = selectors.zone()
        return render(
            request,
            "portal/home.html",
            {
                "channels": _channels(),
                "latest": selectors.latest(10),
                "open_rows": _open_rows(unit)[:8] if unit else [],
                "login_url": _platform_login_url(),
            },
        )

    key = page_cache.page_key(request, "home")
    return page_cache.cached_page(request, key, page_cache.listing_seconds(), render_home)


@require_safe
def channel(request, slug: str):
    def render_channel():
        ch = get_object_or_404(Channel, slug=slug)
        page = Paginator(selectors.channel_articles(ch), 20).get_page(number)
        return render(
            request,
            "portal/channel.html",
            {"channel": ch, "channels": _channels(), "breadcrumb": ch.ancestors(), "page": page},
        )

    number = request.GET.get("page")
    # Only plain page numbers are kept: ?page=01, ?page=x… render the same pages, and keying
    # on them would let anyone fill the cache with copies.
    plain = number is None or (number.isdigit() and len(number) <= 4 and number[0] != "0")
    key = page_cache.page_key(request, "channel", slug, number or 1) if plain else None
    return page_cache.cached_page(
        request, key, page_cache.listing_seconds(), render_channel, params=("page",)
    )


def article_context(request, art, attachments=None) -> dict:
    """What the article page shows; the editors' preview of a draft renders the same.
    ``attachments``: the sealed ones, when the row is served from its last sealed version."""
    page_url = request.build_absolute_uri(art.get_absolute_url())
    return {
        "article": art,
        "body_html": integrity.safe_body(art),
        "breadcrumb": art.channel.ancestors(),
        "channels": _channels(),
        "related": selectors.related(art),
        "attachments": (
            art.attachments.filter(kind="file")
            if attachments is None
            else [a for a in attachments if a.kind == "file"]
        ),
        "page_url": page_url,
        # segno writes only path data and the escaped title: no markup from the request.
        "qr_svg": mark_safe(qr.svg(page_url)),
    }


@require_safe
def article(request, pk: int):
    seconds = page_cache.article_seconds()
    key = page_cache.page_key(request, "article", pk) if seconds > 0 else None
    # A hit is a published article: every change of status replaces the cache's generation.
    response = page_cache.cached_response(request, key)
    art = None
    if response is None:
        art = get_object_or_404(selectors.published(), pk=pk)  # no count for a 404
    counted = request.method == "GET" and services.record_view(  # a HEAD reads nothing
        article_id=pk,
        ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    if response is not None:
        return response
    # The 浏览量 on a cached page is the count when the page was rendered, so at most
    # SHOUWEI_PORTAL_CACHE_SECONDS old; the count itself (the database's) stays exact. Putting
    # the live count into the cached bytes would cost a query on every hit, the one thing the
    # cache is there to save, and a government site's counter is not read to the second.
    art.view_count += int(counted)
    served = _sealed_or_none(art)
    if served is None:
        return unavailable(request)
    page, attachments = served
    response = render(request, "portal/article.html", article_context(request, page, attachments))
    return page_cache.store(request, key, response, seconds)


def _sealed_or_none(art):
    """What may be served for a published row: itself when it matches its seal; when it was
    changed behind the application's back, its last sealed version (with the sealed
    attachments); None when nothing sealed can be shown (a changed template or static file,
    no intact version). Either way operators are alerted."""
    files = integrity.file_problems(art)
    row = integrity.row_problems(art)
    if not files and not row:
        if not integrity.content_differs(art):
            return art, None
        files = ["content"]
    jobs.alert_tampered(art, files + row)
    if files:
        return None
    page = integrity.last_sealed_version(art)
    if page is None:
        return None
    page.content_sha256 = art.content_sha256
    if integrity.content_differs(page):
        return None
    return page, integrity.sealed_attachments(art)


def unavailable(request):
    """A published page whose seal fails and that has no intact version: a notice, never
    the tampered page. Standalone template: the site's base template may be what changed."""
    response = render(request, "portal/unavailable.html", status=503)
    response["Retry-After"] = "600"
    patch_cache_control(response, no_store=True)
    return response


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()[: selectors.MAX_QUERY]

    def render_search():
        results = []
        page = None
        if query:
            terms = selectors.search_terms(query)
            page = Paginator(selectors.search(terms), 20).get_page(request.GET.get("page"))
            # A row changed behind the application's back is left out: its forged words must
            # not be shown (the page itself serves its last sealed version; the check alerts).
            results = [
                {
                    "article": a,
                    "title": selectors.highlight(a.title, terms),
                    "excerpt": selectors.highlight(selectors.excerpt(a.body_text, terms), terms),
                }
                for a in page
                if integrity.searchable(a)
            ]
        return render(
            request,
            "portal/search.html",
            {"query": query, "results": results, "page": page, "channels": _channels()},
        )

    # The public's searches are few words asked again and again (the zone's name, a policy):
    # kept like a channel page, under the page generation that any publication replaces. The
    # key holds the words as sent (the page echoes its own address) and only plain page numbers.
    number = request.GET.get("page")
    plain = number is None or (number.isdigit() and len(number) <= 4 and number[0] != "0")
    raw = request.GET.get("q", "")
    key = (
        page_cache.page_key(
            request, "search", hashlib.sha256(raw.encode()).hexdigest()[:32], number or 1
        )
        if plain and query and len(raw) <= 4 * selectors.MAX_QUERY
        else None
    )
    return page_cache.cached_page(
        request, key, page_cache.listing_seconds(), render_search, params=("q", "page")
    )


def period_text(observation) -> str:
    """The period as a reader says it: 2022年上半年, 2022年一季度; a month of a cumulative
    indicator is year to date (2022年1—6月), as the statistics bureau prints it."""
    period = observation.period_obj
    if period.kind == PeriodKind.MONTH and observation.indicator.cumulative:
        return period.label
    return period.span_label


def _open_rows(unit) -> list[dict]:
    rows = []
    for o in selectors.open_observations(unit):
        ind = o.indicator
        rows.append(
            {
                "indicator": ind.name,
                "period": period_text(o),
                "value": format_number(o.value, ind.decimals) if o.value is not None else "",
                "value_number": Number.of(o.value, decimals_format(ind.decimals)),
                "measure": ind.measure if o.value is not None else "",
                "growth": format_growth(o.growth) if o.growth is not None else "",
                "growth_number": Number.of(o.growth, decimals_format(1)),
                # Some figures are published as a rank only (全市综合考核第2名).
                "rank": o.published_rank,
                "source": o.source,
            }
        )
    return rows


@require_safe
def open_data(request):
    unit = selectors.zone()
    return render(
        request,
        "portal/open_data.html",
        {"unit": unit, "rows": _open_rows(unit) if unit else [], "channels": _channels()},
    )


@require_safe
def open_data_export(request, fmt: str):
    unit = selectors.zone()
    if unit is None or fmt not in ("csv", "xlsx"):
        raise Http404
    head = ["指标", "期间", "数值", "计量单位", "同比增长(%)", "公布排名", "来源"]
    keys = ["indicator", "period", "value_number", "measure", "growth_number", "rank", "source"]
    rows = [head] + [[r[k] for k in keys] for r in _open_rows(unit)]
    return export_response(rows, fmt=fmt, basename=f"{unit.name}-开放数据")


@require_safe
def attachment(request, pk: int):
    att = get_object_or_404(
        selectors.attachments_for(request.user).select_related("article"), pk=pk
    )
    # Read whole (at most SHOUWEI_PORTAL_UPLOAD_MAX_BYTES) and checked before a byte is sent:
    # a file replaced on disk, or a row inserted or changed behind the application's back in
    # a published article, is not served.
    try:
        with att.file.open("rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise Http404 from exc
    problem = integrity.file_bytes_problem(att, data)
    if problem is None and att.article.status == ArticleStatus.PUBLISHED:
        sealed = att.article.part_hashes.get(f"{integrity.ATTACHMENT_PART}{att.pk}")
        if sealed != integrity.attachment_part(att):
            problem = f"{integrity.ATTACHMENT_PART}{att.pk}"
    if problem is not None:
        jobs.alert_tampered(att.article, [problem])
        raise Http404
    response = FileResponse(
        io.BytesIO(data),
        content_type=att.content_type,
        as_attachment=att.kind != "image",
        filename=att.original_name,
    )
    if request.user.is_authenticated:
        # An editor may be fetching a draft's image: no shared cache keeps it.
        patch_cache_control(response, private=True)
    return response


@require_safe
def integrity_manifest(request):
    base = request.build_absolute_uri("/").rstrip("/")
    resp = JsonResponse(integrity.manifest(base), json_dumps_params={"ensure_ascii": False})
    resp["Access-Control-Allow-Origin"] = "*"
    return resp


def page_not_found(request, exception=None):
    return render(request, "portal/404.html", {"channels": _channels()}, status=404)
