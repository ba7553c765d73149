"""The editing side of the portal (platform only, under /content/): the article list, the
editor, uploads, the two-person workflow, versions and the preview. Open to editors and
reviewers; everyone else is refused with a logged 403. The rules live in ``services``."""

from __future__ import annotations

import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from shouwei.core.choices import Role
from shouwei.core.generic import ObjectViewSet, errors_for, url_for
from shouwei.core.permissions import scope_for

from . import diffs, selectors, services
from .choices import ArticleStatus
from .filters import ArticleFilterSet
from .forms import ArticleForm, FileUploadForm, ImageUploadForm, ReturnForm
from .models import Article, Attachment
from .tables import ArticleTable
from .views import article_context

security_log = logging.getLogger("shouwei.security")
LARGE_FIELDS = ("body", "body_text", "part_hashes", "asset_hashes")
VERSIONS_SHOWN = 30


class ArticleViews(ObjectViewSet):
    model = Article
    filterset = ArticleFilterSet
    table = ArticleTable
    form = ArticleForm
    select_related = ("channel", "created_by", "reviewed_by")
    allow_delete = False  # every version is kept; a published article is withdrawn instead
    show_history = False  # the versions and the review log say who changed what
    required_roles = services.EDIT_ROLES
    # "portal" is the public site's namespace; the editing pages have their own.
    namespace = "portal_manage"
    templates = {
        "list": "portal/manage/article_list.html",
        "detail": "portal/manage/article_detail.html",
        "edit": "portal/manage/article_edit.html",
    }
    detail_fields = (
        "channel",
        "status",
        "subtitle",
        "source_unit",
        "author",
        "tags",
        "published_at",
        "created_by",
        "reviewed_by",
        "view_count",
        "created_at",
        "updated_at",
        "source_report",
        "source_data_version",
    )

    create = update = services.save_article

    def get_queryset(self):
        # The list, its export and the detail show no body: 20,000 bodies are not read to
        # sort them (the edit page and the preview read the article themselves).
        return super().get_queryset().defer(*LARGE_FIELDS)

    def detail_context(self):
        obj, user = self.object, self.request.user
        scope = scope_for(user)
        status = obj.status
        is_reviewer = scope.has_role(Role.REVIEWER)
        # 发布 is offered only to a reviewer the two-person rule lets publish: one who neither
        # wrote nor changed the text (the service refuses everyone else anyway).
        own_work = (
            is_reviewer and status == ArticleStatus.IN_REVIEW and selectors.changed_by(user, obj)
        )
        return {
            # The newest; each version's page links to the one before it.
            "versions": obj.versions.select_related("saved_by")
            .defer("body")
            .order_by("-number")[:VERSIONS_SHOWN],
            "version_count": obj.versions.count(),
            "review_log": selectors.review_log(obj),
            "files": obj.attachments.all(),
            "can_submit": status == ArticleStatus.DRAFT,
            "can_publish": is_reviewer and status == ArticleStatus.IN_REVIEW and not own_work,
            "own_work": own_work,
            "can_return": status == ArticleStatus.IN_REVIEW,
            "can_withdraw": is_reviewer and status == ArticleStatus.PUBLISHED,
            "return_form": ReturnForm(),
            "public_url": obj.get_absolute_url() if status == ArticleStatus.PUBLISHED else None,
        }

    def edit_context(self):
        return _upload_context(self.object)


def _upload_context(article: Article | None, **bound_forms) -> dict:
    """The upload forms beside the editor; ``bound_forms``: one refused, with its errors."""
    return {
        "image_form": bound_forms.get("image_form") or ImageUploadForm(),
        "file_form": bound_forms.get("file_form") or FileUploadForm(),
        "files": article.attachments.all() if article is not None else [],
        "upload_limit": settings.SHOUWEI_PORTAL_UPLOAD_MAX_BYTES,
        "detail_url": (url_for(article, "detail") if article else None),
    }


def editors_only(view):
    """The view set's role check, for the pages that are plain functions."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        ArticleViews.check_access(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def _article(request: HttpRequest, pk: int) -> Article:
    return get_object_or_404(Article.objects.visible_to(request.user), pk=pk)


def _detail(article: Article) -> HttpResponse:
    return redirect(url_for(article, "detail"))


def _edit_url(article: Article) -> str:
    return url_for(article, "edit")


# --- uploads -----------------------------------------------------------------------------------


def _wants_json(request: HttpRequest) -> bool:
    # The editor's script asks for JSON; a form posted without JavaScript gets a page.
    return "application/json" in request.headers.get("Accept", "")


def _store(request: HttpRequest, form, article: Article, *, image: bool) -> Attachment | None:
    if not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    try:
        return services.add_attachment(
            by=request.user,
            article=article,
            name=upload.name,
            data=upload.read(),
            image=image,
            caption=form.cleaned_data.get("caption", ""),
        )
    except ValidationError as exc:
        form.add_error(None, errors_for(form, exc))
        return None


def _refused_upload(request: HttpRequest, article: Article, form, key: str) -> HttpResponse:
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    if _wants_json(request):
        return JsonResponse(
            {"error": " ".join(errors), "errors": form.errors.get_json_data()}, status=400
        )
    if article.status not in services.EDITABLE_STATUSES:
        messages.error(request, " ".join(errors))
        return _detail(article)
    # The edit page again, the upload form showing its errors beside its fields.
    context = {
        "object": article,
        "form": ArticleForm(instance=article, user=request.user),
        "list_url": url_for(Article, "list"),
        **_upload_context(article, **{key: form}),
    }
    return render(request, ArticleViews.templates["edit"], context, status=400)


@require_POST
@editors_only
def upload_image(request: HttpRequest, pk: int) -> HttpResponse:
    """An image for the body: re-encoded without EXIF; answers the address to insert."""
    article = _article(request, pk)
    form = ImageUploadForm(request.POST, request.FILES)
    att = _store(request, form, article, image=True)
    if att is None:
        return _refused_upload(request, article, form, "image_form")
    if _wants_json(request):
        return JsonResponse(
            {"url": att.get_absolute_url(), "caption": att.caption, "name": att.original_name},
            status=201,
        )
    messages.success(
        request,
        _("图片“%(name)s”已上传，地址 %(url)s；在正文中插入它即可显示")
        % {"name": att.original_name, "url": att.get_absolute_url()},
    )
    return redirect(_edit_url(article) + "#uploads")


@require_POST
@editors_only
def upload_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A PDF/Word/Excel attachment listed under the article."""
    article = _article(request, pk)
    form = FileUploadForm(request.POST, request.FILES)
    att = _store(request, form, article, image=False)
    if att is None:
        return _refused_upload(request, article, form, "file_form")
    if _wants_json(request):
        return JsonResponse({"url": att.get_absolute_url(), "name": att.original_name}, status=201)
    messages.success(request, _("附件“%(name)s”已上传") % {"name": att.original_name})
    return redirect(_edit_url(article) + "#uploads")


@require_POST
@editors_only
def delete_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    att = get_object_or_404(
        Attachment.objects.filter(
            article__in=Article.objects.visible_to(request.user)
        ).select_related("article"),
        pk=pk,
    )
    article = att.article
    try:
        services.remove_attachment(by=request.user, attachment=att)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已删除：%(name)s") % {"name": att.original_name})
    if article.status in services.EDITABLE_STATUSES:
        return redirect(_edit_url(article) + "#uploads")
    return _detail(article)


# --- workflow --------------------------------------------------------------------------------

ACTIONS = {
    "submit": (services.submit_for_review, gettext_lazy("已送审，等待其他审核人发布")),
    "publish": (services.publish, gettext_lazy("已发布")),
    "withdraw": (services.withdraw, gettext_lazy("已撤回，公众不再能看到该文章")),
}


@require_POST
@editors_only
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """送审 / 发布 / 撤回 / 退回修改; a refusal (the two-person rule, a wrong status) is shown
    on the article's page, nothing changes."""
    article = _article(request, pk)
    try:
        if action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.get("reason", _("退回理由有误")))
            services.return_to_draft(
                by=request.user, article=article, reason=form.cleaned_data["reason"]
            )
            done = _("已退回修改")
        else:
            service, done = ACTIONS[action]
            service(by=request.user, article=article)
    except PermissionDenied as exc:
        security_log.info("refused %s of article #%s by %s: %s", action, pk, request.user, exc)
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return _detail(article)


# --- versions and preview --------------------------------------------------------------------


@require_safe
@editors_only
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    article = _article(request, pk)
    ver = get_object_or_404(article.versions.select_related("saved_by"), number=number)
    return render(
        request,
        "portal/manage/article_version.html",
        {
            "article": article,
            "diff": diffs.version_diff(ver),
            "list_url": url_for(Article, "list"),
            "detail_url": url_for(article, "detail"),
        },
    )


@require_safe
@editors_only
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The article as the public page would show it, whatever its status; for its editors and
    reviewers only (the middleware sends everyone else to the login page). Nothing is counted
    and nothing is cached."""
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("channel"), pk=pk
    )
    context = article_context(request, article)
    context["detail_url"] = url_for(article, "detail")
    response = render(request, "portal/manage/article_preview.html", context)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
