"""One generic object view set shared by every app (NetBox's generic views, smaller).

An app declares, it does not copy::

    class ObservationViews(ObjectViewSet):
        model = Observation
        filterset = ObservationFilterSet
        table = ObservationTable
        form = ObservationForm
        importer = "observations"

    urlpatterns = ObservationViews.urls()

That yields list (filters, search, sort, pagination, .xlsx/.csv export of exactly what the
user may see), detail (fields, change history, lineage), add/edit/delete behind the one
permission check, and a link into the imports framework.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig
from django_tables2.rows import BoundRows

from .exports import export_response, table_rows
from .permissions import (
    ADD,
    CHANGE,
    DELETE,
    ScopedQuerySet,
    allows,
    can_create,
    reads_internally,
    scope_for,
    visible_users,
    writable_units,
)

security_log = logging.getLogger("shouwei.security")

MAX_PER_PAGE = 200


class ScopedModelForm(forms.ModelForm):
    """A model form that only offers choices the user may see: units the record may be placed
    at (each of its contract's unit fields), records the user may read, people of the user's
    own units. The whole record is checked against the contract again when it is saved."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None:
            return
        model = self._meta.model
        contract = getattr(model, "contract", None)
        unit_fields = set(contract.unit_fields) if contract else set()
        action = CHANGE if self.instance.pk else ADD
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            qs = field.queryset
            if name in unit_fields:
                field.queryset = writable_units(user, model, action, name).order_by("path")
            elif isinstance(qs, ScopedQuerySet):
                field.queryset = qs.visible_to(user)
            elif qs.model is get_user_model():
                field.queryset = qs.filter(pk__in=visible_users(user).values("pk"))


class ObjectViewSet:
    model: ClassVar[type[models.Model]]
    filterset: ClassVar[Any] = None
    table: ClassVar[Any] = None
    form: ClassVar[type[forms.ModelForm] | None] = None
    detail_fields: ClassVar[tuple[str, ...] | None] = None
    importer: ClassVar[str | None] = None
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()
    per_page: ClassVar[int] = 25
    templates: ClassVar[dict[str, str]] = {}
    allow_delete: ClassVar[bool] = True
    # Roles one of which (at any unit) opens these pages at all; empty: everyone logged in,
    # each seeing the rows their scope allows.
    required_roles: ClassVar[tuple[str, ...]] = ()
    # The field-by-field change history on the detail page; a model that shows its own record
    # of changes (article versions) turns it off rather than load what no one sees.
    show_history: ClassVar[bool] = True
    # Fields (who entered, approved, imported a record) shown only to the people of the
    # record's own units, not to everyone who may read it as a published figure.
    private_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def check_access(cls, request: HttpRequest) -> None:
        if cls.required_roles and not scope_for(request.user).has_role(*cls.required_roles):
            security_log.warning("refused %s pages to %s", cls.model_name(), request.user)
            raise PermissionDenied(_("您无权访问该页面"))

    # --- hooks an app may override -------------------------------------------------------
    @classmethod
    def get_queryset(cls, request: HttpRequest) -> models.QuerySet:
        qs = cls.model.objects.visible_to(request.user)
        if cls.select_related:
            qs = qs.select_related(*cls.select_related)
        if cls.prefetch_related:
            qs = qs.prefetch_related(*cls.prefetch_related)
        return qs

    @classmethod
    def save(cls, form: forms.ModelForm, request: HttpRequest) -> models.Model:
        """Write through the app's service when it has one; a plain save otherwise."""
        return form.save()

    @classmethod
    def delete(cls, obj: models.Model, request: HttpRequest) -> None:
        obj.delete()

    @classmethod
    def detail_context(cls, obj, request: HttpRequest) -> dict:
        """Extra context for an app's own detail template (a chart, related lists)."""
        return {}

    @classmethod
    def edit_context(cls, obj, request: HttpRequest) -> dict:
        """Extra context for an app's own edit template (uploads beside the form)."""
        return {}

    @classmethod
    def lineage(cls, obj, *, internal: bool) -> list[dict]:
        fn = getattr(obj, "lineage", None)
        return fn(internal=internal) if callable(fn) else []

    # --- naming ----------------------------------------------------------------------------
    @classmethod
    def app_label(cls) -> str:
        return cls.model._meta.app_label

    @classmethod
    def model_name(cls) -> str:
        return cls.model._meta.model_name

    @classmethod
    def url_name(cls, action: str) -> str:
        return f"{cls.app_label()}:{cls.model_name()}_{action}"

    @classmethod
    def urls(cls) -> list:
        name = cls.model_name()
        patterns = [
            path(f"{name}s/", ObjectListView.as_view(viewset=cls), name=f"{name}_list"),
            path(
                f"{name}s/<int:pk>/", ObjectDetailView.as_view(viewset=cls), name=f"{name}_detail"
            ),
        ]
        if cls.form is not None:
            patterns += [
                path(f"{name}s/add/", ObjectEditView.as_view(viewset=cls), name=f"{name}_add"),
                path(
                    f"{name}s/<int:pk>/edit/",
                    ObjectEditView.as_view(viewset=cls),
                    name=f"{name}_edit",
                ),
            ]
            if cls.allow_delete:
                patterns.append(
                    path(
                        f"{name}s/<int:pk>/delete/",
                        ObjectDeleteView.as_view(viewset=cls),
                        name=f"{name}_delete",
                    )
                )
        return patterns


def _template(viewset, action: str) -> list[str]:
    custom = viewset.templates.get(action)
    app, name = viewset.app_label(), viewset.model_name()
    return [
        t for t in (custom, f"{app}/{name}_{action}.html", f"generic/object_{action}.html") if t
    ]


def _base_context(viewset, request) -> dict:
    meta = viewset.model._meta
    return {
        "viewset": viewset,
        "verbose_name": meta.verbose_name,
        "verbose_name_plural": meta.verbose_name_plural,
        "list_url": reverse(viewset.url_name("list")),
    }


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except ValueError:
        return default


class DeepPagePaginator(Paginator):
    """Pages far down a long list by a deferred join: first the page's primary keys, in the
    list's order, then those rows in full.

    ``ORDER BY … OFFSET 324,500`` over a list's select_related joins sorts every visible row
    with all its joined columns (PostgreSQL spilled 40 MB a worker to disk for the last page of
    324,526 observations); sorting the keys alone is narrow. Near the top the plain slice is as
    cheap and one query fewer, so the first pages keep it.
    """

    deferred_from = 1000  # rows skipped before the deferred join pays

    def page(self, number):
        page = super().page(number)  # the plain slice: lazy, nothing read yet
        qs = getattr(self.object_list.data, "data", None)
        # DISTINCT with an ORDER BY on other columns cannot select the keys alone.
        if (
            page.start_index() - 1 < self.deferred_from
            or not isinstance(qs, models.QuerySet)
            or qs.query.distinct
        ):
            return page
        pks = list(page.object_list.data.values_list("pk", flat=True))
        found = {obj.pk: obj for obj in qs.filter(pk__in=pks).order_by()}
        records = [found[pk] for pk in pks if pk in found]
        page.object_list = BoundRows(
            records, table=page.object_list.table, pinned_data=page.object_list.pinned_data
        )
        return page


def _stable_order(table) -> None:
    """End the list's ordering with the primary key: rows that tie on the sorted column
    (every observation of one unit, sorted by unit) would otherwise come back in any order,
    and a row could show on two pages, or on none."""
    data = table.data
    qs = getattr(data, "data", None)
    if not isinstance(qs, models.QuerySet):
        return
    ordering = list(qs.query.order_by) or (
        list(qs.model._meta.ordering) if qs.query.default_ordering else []
    )
    if not any(isinstance(o, str) and o.lstrip("-") in ("pk", "id") for o in ordering):
        data.data = qs.order_by(*ordering, "pk")


def _paginate(table, request: HttpRequest, *, default: int) -> None:
    per_page = max(1, min(_int_param(request, "per_page", default), MAX_PER_PAGE))
    page = max(1, _int_param(request, "page", 1))
    _stable_order(table)
    try:
        table.paginate(DeepPagePaginator, page=page, per_page=per_page)
    except EmptyPage:
        # Past the last page (rows went away since the link was made): show the last one.
        table.paginate(DeepPagePaginator, page=table.paginator.num_pages, per_page=per_page)


class ViewSetView(View):
    """A page of a view set: the set's role check runs before any handler."""

    viewset: type[ObjectViewSet] = None

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.viewset.check_access(request)
        return super().dispatch(request, *args, **kwargs)


class ObjectListView(ViewSetView):
    viewset: type[ObjectViewSet] = None

    def get(self, request: HttpRequest) -> HttpResponse:
        vs = self.viewset
        qs = vs.get_queryset(request)
        filterset = None
        if vs.filterset is not None:
            filterset = vs.filterset(request.GET or None, queryset=qs, request=request)
            # Unbound (no query string) is the whole list; a bound, invalid filter shows none.
            qs = filterset.qs if not filterset.is_bound or filterset.is_valid() else qs.none()
        fmt = request.GET.get("export")
        # Not vs.table(qs, request=request): that pages by the raw ?per_page= (no cap, and a
        # negative value raises). Sorting comes from the request, paging from _paginate.
        table = vs.table(qs)
        RequestConfig(request, paginate=False).configure(table)
        if fmt in ("xlsx", "csv"):
            security_log.info("export %s by %s: %s", vs.model_name(), request.user, fmt)
            return export_response(
                table_rows(table), fmt=fmt, basename=str(vs.model._meta.verbose_name_plural)
            )
        _paginate(table, request, default=vs.per_page)
        ctx = _base_context(vs, request)
        query = request.GET.copy()
        query.pop("page", None)
        ctx.update(
            table=table,
            filterset=filterset,
            filter_form=filterset.form if filterset is not None else None,
            can_add=vs.form is not None and can_create(request.user, vs.model),
            add_url=reverse(vs.url_name("add")) if vs.form is not None else None,
            import_url=(
                reverse("imports:start", args=[vs.importer])
                if vs.importer and can_create(request.user, vs.model)
                else None
            ),
            export_query=query.urlencode(),
            filtered=bool(
                filterset
                and filterset.is_bound
                and any(v for k, v in request.GET.items() if k not in ("page", "sort", "per_page"))
            ),
        )
        return render(request, _template(vs, "list"), ctx)


def _field_rows(viewset, obj, *, internal: bool) -> list[tuple[str, Any, str | None]]:
    names = viewset.detail_fields
    fields = [f for f in obj._meta.get_fields() if getattr(f, "concrete", False)]
    if names is None:
        names = tuple(f.name for f in fields if f.editable and not f.primary_key)
    if not internal:
        names = tuple(n for n in names if n not in viewset.private_fields)
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, name)
        url = None
        if field.choices:
            value = getattr(obj, f"get_{name}_display")()
        elif isinstance(field, models.ForeignKey) and value is not None:
            url = value.get_absolute_url() if hasattr(value, "get_absolute_url") else None
        elif isinstance(field, models.BooleanField):
            value = _("是") if value else _("否")
        rows.append((field.verbose_name, value, url))
    return rows


def history_rows(obj, limit: int = 50, *, user=None) -> list[dict]:
    """Change history with the fields each version changed (simple-history)."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    deltas = []
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changed = rec.diff_against(prev).changes if prev and rec.history_type == "~" else []
        deltas.append((rec, [(obj._meta.get_field(c.field), c.old, c.new) for c in changed]))
    shown = _history_values(deltas, user=user)
    return [
        {
            "date": rec.history_date,
            "user": rec.history_user,
            "type": {"+": _("创建"), "~": _("修改"), "-": _("删除")}[rec.history_type],
            "reason": rec.history_change_reason,
            "changes": [(f.verbose_name, shown(f, old), shown(f, new)) for f, old, new in changes],
        }
        for rec, changes in deltas
    ]


def _history_values(deltas, *, user=None):
    """A function showing a stored value as a reader knows it: the related record's name
    (not its key), a choice's label, 是/否. Related records are fetched once per field for
    the whole history, not once per change."""
    keys: dict[models.ForeignKey, set] = {}
    for _rec, changes in deltas:
        for f, old, new in changes:
            if isinstance(f, models.ForeignKey):
                keys.setdefault(f, set()).update(v for v in (old, new) if v is not None)
    names = {f: _related_names(f.related_model, pks, user) for f, pks in keys.items()}

    def shown(f, value):
        if value is None:
            return None
        if f in names:
            # A related record deleted since keeps its key in the history.
            return names[f].get(value, f"#{value}")
        if f.choices:
            return dict(f.flatchoices).get(value, value)
        if isinstance(f, models.BooleanField):
            return _("是") if value else _("否")
        return value

    return shown


def _related_names(model, pks, user) -> dict:
    """Names of related records a history mentions, looked up within what the user may read:
    a record they may not see keeps its key (#12), not its name."""
    qs = model._default_manager.filter(pk__in=pks)
    if isinstance(qs, ScopedQuerySet):
        qs = qs.visible_to(user)
    return {o.pk: str(o) for o in qs}


class ObjectDetailView(ViewSetView):
    viewset: type[ObjectViewSet] = None

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        vs = self.viewset
        obj = get_object_or_404(vs.get_queryset(request), pk=pk)
        editable = (
            vs.form is not None
            and vs.model.objects.editable_by(request.user).filter(pk=obj.pk).exists()
        )
        ctx = _base_context(vs, request)
        internal = reads_internally(request.user, obj)
        ctx.update(
            object=obj,
            field_rows=_field_rows(vs, obj, internal=internal),
            history=history_rows(obj, user=request.user) if vs.show_history and internal else [],
            lineage=vs.lineage(obj, internal=internal),
            can_change=editable,
            edit_url=reverse(vs.url_name("edit"), args=[obj.pk]) if editable else None,
            delete_url=(
                reverse(vs.url_name("delete"), args=[obj.pk])
                if editable and vs.allow_delete
                else None
            ),
        )
        ctx.update(vs.detail_context(obj, request))
        return render(request, _template(vs, "detail"), ctx)


def _editable_object(vs, request, pk, action: str = CHANGE):
    # The delete page asks the contract's ``delete``, not ``change``: a problem's handed-to
    # department may work it, only the project's department may delete it.
    obj = vs.model.objects.restrict(request.user, action).filter(pk=pk).first()
    if obj is not None:
        return obj
    if vs.get_queryset(request).filter(pk=pk).exists():
        security_log.warning(
            "refused %s of %s #%s by %s", action, vs.model_name(), pk, request.user
        )
        raise PermissionDenied(_("您无权修改该记录"))
    raise Http404


class ObjectEditView(ViewSetView):
    viewset: type[ObjectViewSet] = None

    def _form(self, request, obj, data=None, files=None):
        return self.viewset.form(data, files, instance=obj, user=request.user)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        vs = self.viewset
        obj = _editable_object(vs, request, pk) if pk else None
        if obj is None and not can_create(request.user, vs.model):
            raise PermissionDenied(_("您无权新增该类记录"))
        initial = {k: v for k, v in request.GET.items()} if obj is None else None
        form = vs.form(instance=obj, user=request.user, initial=initial)
        return self._render(request, form, obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        vs = self.viewset
        obj = _editable_object(vs, request, pk) if pk else None
        if obj is None and not can_create(request.user, vs.model):
            raise PermissionDenied(_("您无权新增该类记录"))
        form = self._form(request, obj, request.POST, request.FILES)
        if form.is_valid():
            # The record as the form would save it: every unit it names must be one the user
            # may write for (its contract), and the service checks the same again.
            if not allows(request.user, ADD if obj is None else CHANGE, form.instance):
                security_log.warning("refused %s for %s", vs.model_name(), request.user)
                form.add_error(None, _("您无权在所选单位登记或修改该记录"))
            else:
                try:
                    with transaction.atomic():
                        saved = vs.save(form, request)
                except ValidationError as exc:
                    form.add_error(None, exc)
                except PermissionDenied as exc:
                    security_log.warning("refused %s for %s", vs.model_name(), request.user)
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("已保存：%(obj)s") % {"obj": saved})
                    return redirect(reverse(vs.url_name("detail"), args=[saved.pk]))
        return self._render(request, form, obj, status=400)

    def _render(self, request, form, obj, status=200):
        ctx = _base_context(self.viewset, request)
        ctx.update(form=form, object=obj)
        ctx.update(self.viewset.edit_context(obj, request))
        return render(request, _template(self.viewset, "edit"), ctx, status=status)


class ObjectDeleteView(ViewSetView):
    viewset: type[ObjectViewSet] = None

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = _editable_object(self.viewset, request, pk, DELETE)
        ctx = _base_context(self.viewset, request)
        ctx["object"] = obj
        return render(request, _template(self.viewset, "delete"), ctx)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        vs = self.viewset
        obj = _editable_object(vs, request, pk, DELETE)
        try:
            with transaction.atomic():
                vs.delete(obj, request)
        except ProtectedError:
            messages.error(request, _("“%(obj)s”仍被其他记录引用，不能删除") % {"obj": obj})
            return redirect(reverse(vs.url_name("detail"), args=[obj.pk]))
        messages.success(request, _("已删除：%(obj)s") % {"obj": obj})
        return redirect(reverse(vs.url_name("list")))
