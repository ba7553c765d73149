import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shouwei.core.navigation import open_to
from shouwei.core.permissions import VIEW, may
from shouwei.core.reauth import reauth_required

from . import selectors, services
from .base import ImportConflict, Importer
from .engine import MAX_LISTED_ERRORS
from .forms import UploadForm
from .models import ImportBatch, ImportStatus
from .readers import FileRejected
from .registry import get_importer, registered_importers
from .workbook import build_template

security_log = logging.getLogger("shouwei.security")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUNNING = (ImportStatus.PENDING, ImportStatus.VALIDATING, ImportStatus.COMMITTING)
PER_PAGE = 25


def _importer(request, key: str) -> Importer:
    importer = get_importer(key)
    if importer is None:
        raise Http404(_("没有“%(key)s”这种导入") % {"key": key})
    if not importer.can_start(request.user):
        raise PermissionDenied(_("您无权导入%(label)s") % {"label": importer.label})
    return importer


@open_to(
    lambda user: may(user, ImportBatch, VIEW),
    gettext_lazy("导入记录只对填报、统计、督查和领导岗位开放"),
)
def batch_list(request):
    page = Paginator(selectors.batch_list(request.user), PER_PAGE).get_page(request.GET.get("page"))
    labels = {key: cls.label for key, cls in registered_importers().items()}
    return render(request, "imports/batch_list.html", {"page": page, "labels": labels})


def start(request, importer):
    imp = _importer(request, importer)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.batch_upload(
                importer=imp, content=upload.read(), filename=upload.name, user=request.user
            )
        except FileRejected as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(batch.get_absolute_url())
    return render(
        request,
        "imports/start.html",
        {"importer": imp, "form": form},
        status=400 if form.is_bound else 200,
    )


def template_download(request, importer):
    imp = _importer(request, importer)
    response = HttpResponse(build_template(imp, user=request.user), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{imp.label}导入模板.xlsx"
    )
    return response


def _batch(request, pk):
    return get_object_or_404(selectors.batch_list(request.user), pk=pk)


def batch_detail(request, pk):
    batch = _stale_checked(request, pk)
    importer = get_importer(batch.importer)
    return render(
        request,
        "imports/batch_detail.html",
        {
            "batch": batch,
            "importer": importer,
            "running": batch.status in RUNNING,
            "hidden_errors": max(0, batch.error_count - len(batch.errors)),
            "max_errors": MAX_LISTED_ERRORS,
            **selectors.batch_actions(request.user, batch),
        },
    )


def batch_progress(request, pk):
    """The partial the detail page polls every second while the worker runs."""
    batch = _stale_checked(request, pk)
    running = batch.status in RUNNING
    response = render(request, "imports/_progress.html", {"batch": batch, "running": running})
    if not running:
        # Done: htmx reloads the whole page to show the preview, counts and errors.
        response["HX-Refresh"] = "true"
    return response


def _stale_checked(request, pk):
    """The batch, after marking it failed if the process working on it has died."""
    batch = _batch(request, pk)
    if batch.status in (ImportStatus.VALIDATING, ImportStatus.COMMITTING) and (
        services.recover_stale(batch_pk=batch.pk)
    ):
        batch.refresh_from_db()
    return batch


@reauth_required
def batch_file(request, pk):
    batch = _batch(request, pk)
    return FileResponse(batch.file.open("rb"), as_attachment=True, filename=batch.original_name)


def _act(request, pk, action):
    batch = _batch(request, pk)
    try:
        batch = action(batch=batch, user=request.user)
    except PermissionDenied:
        security_log.warning("refused import action on batch %s by %s", pk, request.user)
        raise
    except (services.ImportRefused, ImportConflict) as exc:
        messages.error(request, str(exc))
    return batch


@require_POST
def batch_commit(request, pk):
    batch = _act(request, pk, services.batch_commit)
    if batch.status == ImportStatus.COMMITTED:
        messages.success(
            request,
            _("已导入：新增 %(c)s 条，更新 %(u)s 条")
            % {"c": batch.created_count, "u": batch.updated_count},
        )
    elif batch.status == ImportStatus.COMMITTING:
        messages.info(request, _("数据较多，已转入后台写入；完成后本页自动刷新"))
    elif batch.status in (ImportStatus.FAILED, ImportStatus.INVALID) and batch.message:
        messages.error(request, batch.message)
    return redirect(batch.get_absolute_url())


@require_POST
def batch_rollback(request, pk):
    batch = _act(request, pk, services.batch_rollback)
    if batch.status == ImportStatus.ROLLED_BACK:
        messages.success(request, batch.message)
    return redirect(batch.get_absolute_url())
