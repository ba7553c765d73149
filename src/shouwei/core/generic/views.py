"""The view set: one class per model declaring its pages, one instance per request.

Like Django's class-based views, each request gets its own instance (``self.request``,
``self.user``, ``self.object``), so nothing is carried on the request and an app's hooks are
plain methods that read ``self``. ``urls()`` routes each page to ``as_view(action=…)``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from .. import data_version, reauth
from .. import services as records
from ..exports import export_response, table_rows
from ..permissions import (
    ADD,
    CHANGE,
    DELETE,
    administers,
    allows,
    can_create,
    reads_internally,
    scope_for,
)
from . import naming
from .forms import errors_for
from .history import (
    CHANNELS,
    RESTORE_REASON,
    all_version_rows,
    export_rows,
    history_rows,
    version_rows,
    versions,
)
from .pagination import paginate

security_log = logging.getLogger("shouwei.security")

# Each page of a view set, and the HTTP methods it answers.
ACTIONS: dict[str, tuple[str, ...]] = {
    "list": ("get",),
    "detail": ("get",),
    "add": ("get", "post"),
    "edit": ("get", "post"),
    "delete": ("get", "post"),
    "history": ("get",),
    "restore": ("post",),
}
# Versions on one page of a record's history.
HISTORY_PER_PAGE = 50


class ObjectViewSet(View):
    """List (filters, search, sort, pagination, .xlsx/.csv export of exactly what the user
    may see), detail (fields, change history, lineage), add/edit/delete behind the model's
    write contract, and a link into the imports framework."""

    model: ClassVar[type[models.Model]]
    filterset: ClassVar[Any] = None
    table: ClassVar[Any] = None
    form: ClassVar[type[forms.ModelForm] | None] = None
    # The writes, one calling convention: ``create(by=user, **form.cleaned_data)``,
    # ``update(by=user, instance=obj, **form.cleaned_data)``, ``delete(by=user,
    # instance=obj)``. An app with rules of its own names its services; without, the
    # generic ones in core.services (contract, full_clean, save with the author).
    create: ClassVar[Callable[..., models.Model] | None] = None
    update: ClassVar[Callable[..., models.Model] | None] = None
    delete: ClassVar[Callable[..., None] | None] = None
    detail_fields: ClassVar[tuple[str, ...] | None] = None
    importer: ClassVar[str | None] = None
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()
    per_page: ClassVar[int] = 25
    templates: ClassVar[dict[str, str]] = {}
    allow_delete: ClassVar[bool] = True
    # The URL namespace, when it is not the model's app (the portal's editing pages).
    namespace: ClassVar[str | None] = None
    # Roles one of which (at any unit) opens these pages at all; empty: everyone logged in,
    # each seeing the rows their scope allows.
    required_roles: ClassVar[tuple[str, ...]] = ()
    # The field-by-field change history on the detail page; a model that shows its own record
    # of changes (article versions) turns it off rather than load what no one sees.
    show_history: ClassVar[bool] = True
    # Fields (who entered, approved, imported a record) shown only to the people of the
    # record's own units, not to everyone who may read it as a published figure.
    private_fields: ClassVar[tuple[str, ...]] = ()

    # Set by as_view(action=…) for each page; set per request by setup().
    action: str = ""
    request: HttpRequest
    object: models.Model | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "model" in cls.__dict__:
            naming.register(cls.model, cls)

    # --- who may open the pages (the menu asks the same) ----------------------------------
    @classmethod
    def may_open(cls, user, action: str = "list") -> bool:
        if cls.required_roles and not scope_for(user).has_role(*cls.required_roles):
            return False
        return action != "add" or can_create(user, cls.model)

    @classmethod
    def check_access(cls, user) -> None:
        """The pages' role check, for an app's function views beside the view set too."""
        if cls.required_roles and not scope_for(user).has_role(*cls.required_roles):
            security_log.warning("refused %s pages to %s", cls.model._meta.model_name, user)
            raise PermissionDenied(_("您无权访问该页面"))

    # --- hooks an app may override -------------------------------------------------------
    def get_queryset(self) -> models.QuerySet:
        qs = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def detail_context(self) -> dict:
        """Extra context for an app's own detail template (a chart, related lists)."""
        return {}

    def edit_context(self) -> dict:
        """Extra context for an app's own edit template (uploads beside the form)."""
        return {}

    def lineage(self, *, internal: bool) -> list[dict]:
        fn = getattr(self.object, "lineage", None)
        return fn(internal=internal) if callable(fn) else []

    # --- naming ----------------------------------------------------------------------------
    @classmethod
    def url_name(cls, action: str) -> str:
        return naming.url_name(cls.model, action, namespace=cls.namespace)

    @classmethod
    def urls(cls) -> list:
        name = cls.model._meta.model_name
        routes = [("list", f"{name}s/"), ("detail", f"{name}s/<int:pk>/")]
        if cls.form is not None:
            routes += [("add", f"{name}s/add/"), ("edit", f"{name}s/<int:pk>/edit/")]
            if cls.allow_delete:
                routes.append(("delete", f"{name}s/<int:pk>/delete/"))
        if cls.show_history and hasattr(cls.model, "history"):
            routes.append(("history", f"{name}s/<int:pk>/history/"))
            if cls.form is not None:
                routes.append(("restore", f"{name}s/<int:pk>/history/restore/"))
        return [
            path(route, cls.as_view(action=action), name=f"{name}_{action}")
            for action, route in routes
        ]

    # --- dispatch ----------------------------------------------------------------------------
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.check_access(request.user)
        method = request.method.lower()
        allowed = ACTIONS[self.action]
        if method == "head" and "get" in allowed:
            method = "get"
        if method == "options":
            return self.options(request, *args, **kwargs)
        if method not in allowed:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return getattr(self, f"{self.action}_{method}")(**kwargs)

    def _allowed_methods(self) -> list[str]:
        return [m.upper() for m in (*ACTIONS[self.action], "options")]

    def template_names(self, action: str) -> list[str]:
        custom = self.templates.get(action)
        app, name = self.model._meta.app_label, self.model._meta.model_name
        return [
            t for t in (custom, f"{app}/{name}_{action}.html", f"generic/object_{action}.html") if t
        ]

    def render(self, action: str, context: dict, status: int = 200) -> HttpResponse:
        meta = self.model._meta
        base = {
            "viewset": self,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": reverse(self.url_name("list")),
        }
        return render(self.request, self.template_names(action), base | context, status=status)

    # --- list -------------------------------------------------------------------------------
    def list_get(self) -> HttpResponse:
        request, user = self.request, self.request.user
        qs = self.get_queryset()
        filterset = None
        if self.filterset is not None:
            filterset = self.filterset(request.GET or None, queryset=qs, request=request)
            # Unbound (no query string) is the whole list; a bound, invalid filter shows none.
            qs = filterset.qs if not filterset.is_bound or filterset.is_valid() else qs.none()
        fmt = request.GET.get("export")
        # Not self.table(qs, request=request): that pages by the raw ?per_page= (no cap, and a
        # negative value raises). Sorting comes from the request, paging from paginate().
        table = self.table(qs)
        RequestConfig(request, paginate=False).configure(table)
        if fmt in ("xlsx", "csv"):
            if not reauth.is_recent(request):
                return reauth.redirect_to_reauth(request)
            security_log.info("export %s by %s: %s", self.model._meta.model_name, user, fmt)
            return export_response(
                table_rows(table),
                fmt=fmt,
                basename=str(self.model._meta.verbose_name_plural),
                user=user,  # the platform's lists are not public: watermarked
            )
        paginate(table, request, default=self.per_page)
        query = request.GET.copy()
        query.pop("page", None)
        may_add = self.form is not None and can_create(user, self.model)
        return self.render(
            "list",
            {
                "table": table,
                "filterset": filterset,
                "filter_form": filterset.form if filterset is not None else None,
                "filter_fields": self.filter_fields(filterset),
                "can_add": may_add,
                "add_url": reverse(self.url_name("add")) if self.form is not None else None,
                "import_url": (
                    reverse("imports:start", args=[self.importer])
                    if self.importer and can_create(user, self.model)
                    else None
                ),
                "export_query": query.urlencode(),
                "filtered": bool(
                    filterset
                    and filterset.is_bound
                    and any(
                        v for k, v in request.GET.items() if k not in ("page", "sort", "per_page")
                    )
                ),
            },
        )

    def filter_fields(self, filterset) -> str | None:
        """The filter form's fields as HTML, kept per person, query and data version: their
        drop-downs (every unit, indicator, … the person may pick) are a fifth of a list's
        cost, and change only with the data. None (rendered by the template) when the form
        has errors to show or offers choices the data version does not follow."""
        if filterset is None or (filterset.is_bound and not filterset.is_valid()):
            return None
        form = filterset.form
        for field in form.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and not data_version.covers(queryset.model):
                return None
        query = sorted(
            (k, v) for k, values in self.request.GET.lists() if k != "page" for v in values
        )
        return data_version.cached_for(
            self.request.user,
            "filters",
            (self.model._meta.label_lower, urlencode(query)),
            lambda: mark_safe(
                render_to_string("generic/includes/filter_fields.html", {"filter_form": form})
            ),
        )

    # --- detail -----------------------------------------------------------------------------
    def shown_values(self) -> dict[str, Any]:
        """Fields that read otherwise than as stored, each as ``name: obj -> text`` (a figure
        through the one number formatter: 6.9%, not 6.900)."""
        return {}

    def field_rows(self, *, internal: bool) -> list[tuple[str, Any, str | None]]:
        obj = self.object
        names = self.detail_fields
        fields = [f for f in obj._meta.get_fields() if getattr(f, "concrete", False)]
        if names is None:
            names = tuple(f.name for f in fields if f.editable and not f.primary_key)
        if not internal:
            names = tuple(n for n in names if n not in self.private_fields)
        rows = []
        shown = self.shown_values()
        for name in names:
            field = obj._meta.get_field(name)
            value = getattr(obj, name)
            url = None
            if name in shown:
                value = shown[name](obj)
            elif field.choices:
                value = getattr(obj, f"get_{name}_display")()
            elif isinstance(field, models.ForeignKey) and value is not None:
                url = value.get_absolute_url() if hasattr(value, "get_absolute_url") else None
            elif isinstance(field, models.BooleanField):
                value = _("是") if value else _("否")
            rows.append((field.verbose_name, value, url))
        return rows

    def detail_get(self, pk: int) -> HttpResponse:
        user = self.request.user
        self.object = obj = get_object_or_404(self.get_queryset(), pk=pk)
        editable = (
            self.form is not None
            and self.model.objects.editable_by(user).filter(pk=obj.pk).exists()
        )
        internal = reads_internally(user, obj)
        context = {
            "object": obj,
            "field_rows": self.field_rows(internal=internal),
            "history": history_rows(obj, user=user) if self.show_history and internal else [],
            "history_url": (
                reverse(self.url_name("history"), args=[obj.pk])
                if self.show_history and internal
                else None
            ),
            "lineage": self.lineage(internal=internal),
            "can_change": editable,
            "edit_url": reverse(self.url_name("edit"), args=[obj.pk]) if editable else None,
            "delete_url": (
                reverse(self.url_name("delete"), args=[obj.pk])
                if editable and self.allow_delete
                else None
            ),
        }
        return self.render("detail", context | self.detail_context())

    # --- add / edit -------------------------------------------------------------------------
    def writable_object(self, pk: int, action: str = CHANGE) -> models.Model:
        """The stored record the user may ``action``; 403 (logged) when they may only read
        it, 404 when they may not even do that."""
        user = self.request.user
        obj = self.model.objects.restrict(user, action).filter(pk=pk).first()
        if obj is not None:
            return obj
        if self.get_queryset().filter(pk=pk).exists():
            name = self.model._meta.model_name
            security_log.warning("refused %s of %s #%s by %s", action, name, pk, user)
            if action == DELETE:
                raise PermissionDenied(_("您无权删除该记录"))
            raise PermissionDenied(_("您无权修改该记录"))
        raise Http404

    def _start_edit(self, pk: int | None) -> None:
        self.object = self.writable_object(pk) if pk else None
        if self.object is None and not can_create(self.request.user, self.model):
            raise PermissionDenied(_("您无权新增该类记录"))

    def add_get(self, pk: int | None = None) -> HttpResponse:
        self._start_edit(pk)
        initial = dict(self.request.GET.items()) if self.object is None else None
        form = self.form(instance=self.object, user=self.request.user, initial=initial)
        return self.render_form(form)

    edit_get = add_get

    def add_post(self, pk: int | None = None) -> HttpResponse:
        self._start_edit(pk)
        request, user = self.request, self.request.user
        form = self.form(request.POST, request.FILES, instance=self.object, user=user)
        if not form.is_valid():
            return self.render_form(form, status=400)
        # The record as the form would save it: every unit it names must be one the user may
        # write for (its contract), and the service checks the same again.
        if not allows(user, ADD if self.object is None else CHANGE, form.instance):
            security_log.warning("refused %s for %s", self.model._meta.model_name, user)
            form.add_error(None, _("您无权在所选单位登记或修改该记录"))
            return self.render_form(form, status=400)
        try:
            with transaction.atomic():
                saved = self.save(form)
        except ValidationError as exc:
            form.add_error(None, errors_for(form, exc))
        except PermissionDenied as exc:
            security_log.warning("refused %s for %s", self.model._meta.model_name, user)
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存：%(obj)s") % {"obj": saved})
            return redirect(reverse(self.url_name("detail"), args=[saved.pk]))
        return self.render_form(form, status=400)

    edit_post = add_post

    def save(self, form: forms.ModelForm) -> models.Model:
        """The form's cleaned data, as keyword arguments, to the declared service."""
        vs, user = type(self), self.request.user
        if self.object is None:
            if vs.create is not None:
                return vs.create(by=user, **form.cleaned_data)
            return records.record_create(self.model, by=user, **form.cleaned_data)
        update = vs.update or records.record_update
        return update(by=user, instance=self.object, **form.cleaned_data)

    def render_form(self, form: forms.ModelForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "object": self.object}
        return self.render("edit", context | self.edit_context(), status=status)

    # --- delete -----------------------------------------------------------------------------
    def delete_get(self, pk: int) -> HttpResponse:
        self.object = self.writable_object(pk, DELETE)
        return self.render("delete", {"object": self.object})

    def delete_post(self, pk: int) -> HttpResponse:
        self.object = obj = self.writable_object(pk, DELETE)
        delete = type(self).delete or records.record_delete
        try:
            with transaction.atomic():
                delete(by=self.request.user, instance=obj)
        except ProtectedError:
            messages.error(self.request, _("“%(obj)s”仍被其他记录引用，不能删除") % {"obj": obj})
            return redirect(reverse(self.url_name("detail"), args=[obj.pk]))
        messages.success(self.request, _("已删除：%(obj)s") % {"obj": obj})
        return redirect(reverse(self.url_name("list")))

    # --- history and restore ----------------------------------------------------------------
    def _history_object(self, pk: int) -> models.Model:
        """The record whose history the user may read: whoever reads it as one of its units'
        own people (a published figure's history is theirs, docs/decisions/0006); 404 for
        everyone else, as its detail page would be."""
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        if not reads_internally(self.request.user, obj):
            raise Http404
        return obj

    def history_get(self, pk: int) -> HttpResponse:
        request, user = self.request, self.request.user
        self.object = obj = self._history_object(pk)
        if request.GET.get("export") == "xlsx":
            if not reauth.is_recent(request):
                return reauth.redirect_to_reauth(request)
            security_log.info(
                "export history of %s #%s by %s", self.model._meta.model_name, obj.pk, user
            )
            basename = _("%(obj)s 变更历史") % {"obj": obj}
            return export_response(
                export_rows(all_version_rows(obj, user=user)),
                fmt="xlsx",
                basename=basename,
                user=user,
            )
        page = Paginator(versions(obj), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
        may_restore = self.form is not None and administers(user, obj)
        rows = version_rows(obj, page, user=user)
        for i, row in enumerate(rows):
            # The newest version is what the record is now; a deletion has nothing to restore.
            row["restorable"] = row["history_type"] != "-" and (page.number > 1 or i > 0)
        return self.render(
            "history",
            {
                "object": obj,
                "page": page,
                "versions": rows,
                "detail_url": reverse(self.url_name("detail"), args=[obj.pk]),
                "restore_url": (
                    reverse(self.url_name("restore"), args=[obj.pk]) if may_restore else None
                ),
            },
        )

    def restore_post(self, pk: int) -> HttpResponse:
        """Write an old version's values back through the form and the service an edit takes:
        the write contract, the form's and the model's validation, the service's own rules
        (a submitted figure that changes goes back to draft) and the history all apply. The
        restorer needs to be the record's administrator *and* allowed the change."""
        request, user = self.request, self.request.user
        name = self.model._meta.model_name
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            return self._restore_of_missing(pk)
        if not administers(user, obj) or not reads_internally(user, obj):
            security_log.warning("refused restore of %s #%s by %s", name, pk, user)
            raise PermissionDenied(_("只有系统管理员可以恢复历史版本"))
        self.object = obj
        history_url = reverse(self.url_name("history"), args=[obj.pk])
        # Proven recently, as the admin asks; back on the history page (this is a POST).
        if not reauth.is_recent(request):
            return redirect(f"{reverse('reauthenticate')}?{urlencode({'next': history_url})}")
        version = None
        if (raw := request.POST.get("version", "")).isdigit():
            version = obj.history.filter(history_id=int(raw)).first()
        problem = self._restore_problem(obj, version)
        if problem is None:
            form = self._restore_form(obj, version)
            problem = self._restore_write(form, version)
        if problem is not None:
            messages.error(request, problem)
            return redirect(history_url)
        security_log.info(
            "restore of %s #%s to version #%s by %s",
            name,
            obj.pk,
            version.history_id,
            user,
            extra={"event": "restore"},
        )
        messages.success(
            request, _("已恢复至版本 #%(id)s：%(obj)s") % {"id": version.history_id, "obj": obj}
        )
        return redirect(history_url)

    def _restore_of_missing(self, pk: int) -> HttpResponse:
        """A deleted record has no page to restore onto: an administrator is told that a
        deleted record comes back by adding it (the contract's ``add``), anyone else gets 404."""
        user = self.request.user
        last = (
            self.model.history.filter(**{self.model._meta.pk.attname: pk})
            .order_by("-history_id")
            .first()
        )
        if last is None or not administers(user, last.instance):
            raise Http404
        messages.error(self.request, _("该记录已被删除，不能恢复历史版本；如需恢复请重新新增"))
        return redirect(reverse(self.url_name("list")))

    def _restore_problem(self, obj: models.Model, version) -> str | None:
        """Why this version cannot be written back, before anything is tried."""
        if self.request.POST.get("confirm") != "1":
            return _("请勾选确认后再恢复")
        if version is None:
            return _("没有该历史版本")
        if version.history_type == "-":
            return _("删除记录的版本不能恢复")
        if not allows(self.request.user, CHANGE, obj):
            # The contract's ``when`` binds superusers too: an approved figure is changed by
            # a correction, with its reason, not by a restore.
            return _("该记录当前的状态不允许修改（如已审核的数据须走更正流程），不能恢复")
        for f in obj._meta.concrete_fields:
            if not isinstance(f, models.ForeignKey):
                continue
            key = getattr(version, f.attname, None)
            if key is not None and not f.related_model._base_manager.filter(pk=key).exists():
                return _("该版本引用的“%(field)s”（#%(pk)s）已不存在，不能恢复") % {
                    "field": f.verbose_name,
                    "pk": key,
                }
        return None

    def _restore_form(self, obj: models.Model, version) -> forms.ModelForm:
        """The edit form bound to the version's values for the fields it edits; fields the
        history does not keep (many-to-many, files) keep their current values."""
        user = self.request.user
        unbound = self.form(instance=obj, user=user)
        old = version.instance
        tracked = {f.name for f in type(version).tracked_fields}
        data = {}
        for field_name, bound in unbound.fields.items():
            if field_name in tracked:
                value = obj._meta.get_field(field_name).value_from_object(old)
            else:
                value = unbound[field_name].value()
            if isinstance(bound, forms.JSONField):
                value = json.dumps(value)
            if value is not None:
                data[field_name] = value
        return self.form(data, instance=obj, user=user)

    def _restore_write(self, form: forms.ModelForm, version) -> str | None:
        """Save through the view set's service; the message why not, with nothing written."""
        user = self.request.user
        if not form.is_valid():
            errors = "; ".join(
                f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip()
                for f, e in form.errors.items()
            )
            return _("该版本的数据已不能通过校验，未恢复：%(errors)s") % {"errors": errors}
        if not allows(user, CHANGE, form.instance):
            return _("您无权把该记录恢复到所选单位")
        before = type(version).objects.filter(**{self.model._meta.pk.attname: form.instance.pk})
        last_id = before.order_by("-history_id").values_list("history_id", flat=True).first()
        try:
            with transaction.atomic():
                saved = self.save(form)
                latest = (
                    saved.history.filter(history_id__gt=last_id or 0)
                    .order_by("-history_id")
                    .first()
                )
                if latest is not None:
                    own = latest.history_change_reason
                    reason = RESTORE_REASON % {"id": version.history_id}
                    if own and own not in CHANNELS:
                        reason = f"{reason}；{own}"
                    latest.history_change_reason = reason[:100]
                    latest.save(update_fields=["history_change_reason"])
        except ValidationError as exc:
            return _("未恢复：%(errors)s") % {"errors": "; ".join(exc.messages)}
        except PermissionDenied as exc:
            return _("未恢复：%(errors)s") % {"errors": str(exc)}
        return None
