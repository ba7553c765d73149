from typing import Any

import django_tables2 as tables
from django.db import models
from django.template.base import render_value_in_context
from django.templatetags import l10n
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.utils import A, AttributeDict, computed_values, signature

from . import formatting
from .exports import Number, decimals_format
from .models import PeerGroup, Unit

# Cells of every list table stay on one line (app.css: a narrow column must not break a Chinese
# name one character a line; the table scrolls sideways instead). Long text opts out with this.
WRAP = {"td": {"class": "cell-wrap"}}


class MeasureColumn(tables.Column):
    """A number shown through the one formatter, in the row's indicator measure when known."""

    def __init__(
        self,
        *args,
        decimals: int | None = None,
        measure_from: str | None = None,
        growth: bool = False,
        **kwargs,
    ):
        kwargs.setdefault(
            "attrs", {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
        )
        super().__init__(*args, **kwargs)
        self.decimals, self.measure_from, self.growth = decimals, measure_from, growth

    def render(self, value, record):
        if self.growth:
            return formatting.format_growth(value)
        measure, decimals = "", self.decimals if self.decimals is not None else 2
        if self.measure_from:
            ind = getattr(record, self.measure_from)
            measure, decimals = ind.measure, ind.decimals
        return formatting.format_measure(value, measure, decimals)

    def value(self, value, record):
        """The figure for an export: a number in the places the page shows."""
        if self.growth:
            return Number.of(value, decimals_format(1))
        decimals = self.decimals if self.decimals is not None else 2
        if self.measure_from:
            decimals = getattr(record, self.measure_from).decimals
        return Number.of(value, decimals_format(decimals))


class UnitTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True, attrs=WRAP)
    parent = tables.Column(linkify=True)

    class Meta:
        model = Unit
        fields = ("code", "name", "short_name", "kind", "parent")
        empty_text = _("没有符合条件的单位")


class PeerGroupTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True, attrs=WRAP)
    description = tables.Column(attrs=WRAP)

    class Meta:
        model = PeerGroup
        fields = ("code", "name", "description")
        empty_text = _("没有比较组")


# --- the rows of a page, written in Python --------------------------------------------------
# django_tables2 writes each cell through its template (a {% for %} over the row's items, an
# attribute dict made and joined per cell) and asks each cell's render method for its
# signature (inspect.signature, per cell): over half of a list page's time, for 250 cells.
# The writer below gives the same HTML. What is the same for every cell of a column — the
# <td> attributes, which arguments the render method takes, whether the field has choices —
# is worked out once per page; what tables2 computes per cell (a callable attribute, a
# get_FOO_display, a link) still is. The template's tbody block calls it
# (templates/django_tables2/bootstrap5-responsive.html); tests/core/test_tables.py compares it
# with the tables2 template for every table of the site.
_CELL_ARGUMENTS = frozenset(("value", "record", "column", "bound_column", "bound_row", "table"))


class _Caller:
    """``call_with_appropriate(fn, kwargs)`` with ``fn``'s signature read once."""

    def __init__(self, fn):
        args, catch_all = signature(fn)
        self.fn, self.args, self.catch_all = fn, args, catch_all
        # An argument the cell cannot supply: tables2 then calls nothing and answers None.
        self.callable = bool(catch_all) or _CELL_ARGUMENTS.issuperset(args)

    def __call__(self, kwargs: dict):
        if not self.callable:
            return None
        if self.catch_all:
            return self.fn(**kwargs)
        return self.fn(**{name: kwargs[name] for name in self.args})


def _static(attrs) -> bool:
    return not any(callable(v) for v in (attrs or {}).values())


class _ColumnWriter:
    """The cells of one column, as BoundRow.get_cell and the tables2 template make them."""

    def __init__(self, bound_column, context):
        table = bound_column._table
        self.bound_column, self.column, self.context = bound_column, bound_column.column, context
        self.accessor = A(bound_column.accessor)
        self.display_name = f"get_{self.accessor.rpartition(A.SEPARATOR)[2]}_display"
        self.fields: dict[type, Any] = {}  # the accessor's field, per model of the records
        self.default = bound_column.default
        self.render = _Caller(bound_column.render)
        self.is_link_column = isinstance(self.column, BaseLinkColumn)
        self.is_many_to_many = isinstance(self.column, ManyToManyColumn)
        declared = {**table.attrs, **self.column.attrs}
        if _static(declared.get("td", declared.get("cell", {}))):
            self.td: SafeString | None = format_html("<td {}>", bound_column.attrs["td"].as_html())
        else:
            self.td = None
        self.link = bound_column.link
        if self.link is not None:
            url = self.link.url
            self.url = _Caller(url) if url and callable(url) else None
            self.link_attrs = (
                AttributeDict(self.link.attrs or {}) if _static(self.link.attrs) else None
            )
            self.link_accessor = A(
                self.link.accessor if self.link.accessor is not None else bound_column.name
            )
        localize = self.column.localize
        self.filter = None if localize is None else (l10n.localize if localize else l10n.unlocalize)

    def has_choices(self, record) -> bool:
        model = type(record)
        if model not in self.fields:
            self.fields[model] = self.accessor.get_field(record)
        return bool(getattr(self.fields[model], "choices", ()))

    def content(self, row):
        """BoundRow._get_and_render_with: the value (a choice's label), or the default."""
        record, value = row.record, None
        penultimate, remainder = self.accessor.penultimate(record)
        if isinstance(penultimate, models.Model):
            display = getattr(penultimate, self.display_name, None)
            if display and self.has_choices(record):
                value, remainder = display(), None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:  # as tables2 does: a column not backed by a field
                if self.is_link_column and self.column.text is not None:
                    return self.rendered(row, None)
        if value in self.column.empty_values or (self.is_many_to_many and not value.exists()):
            return self.default
        return self.rendered(row, value)

    def rendered(self, row, value):
        kwargs = {
            "value": value,
            "record": row.record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": row.table,
        }
        content = self.render(kwargs)
        return self.linked(content, kwargs) if self.link else content

    def linked(self, content, kwargs):
        """LinkTransform.__call__: the content in an <a> to the record's (or value's) page."""
        link = self.link
        if self.link_attrs is None:
            attrs = AttributeDict(computed_values(link.attrs or {}, kwargs=kwargs))
        else:
            attrs = AttributeDict(self.link_attrs)
        if self.url is not None:
            attrs["href"] = self.url(kwargs)
        elif link.reverse_args.get("viewname") is not None:
            attrs["href"] = link.call_reverse(record=kwargs["record"])
        else:
            target = self.link_accessor.resolve(kwargs["record"])
            if not hasattr(target, "get_absolute_url"):
                target = kwargs["record"]  # tables2 raises TypeError when neither has one
            attrs["href"] = target.get_absolute_url()
        if attrs["href"] is None:
            return content
        return format_html("<a {}>{}</a>", attrs.as_html(), content)

    def cell(self, row) -> str:
        value = self.content(row)
        if self.td is None:
            bound_column = self.bound_column
            bound_column.current_value, bound_column.current_record = value, row.record
            td = format_html("<td {}>", bound_column.attrs["td"].as_html())
        else:
            td = self.td
        if self.filter is not None:
            value = self.filter(value)
        return f"{td}{render_value_in_context(value, self.context)}</td>"


def rows_html(table, context) -> SafeString:
    """The <tbody>'s rows of the table's current page, or its empty text."""
    writers = [_ColumnWriter(bound_column, context) for bound_column in table.columns]
    parts = []
    for row in table.paginated_rows:
        parts.append(format_html("<tr {}>", row.attrs.as_html()))
        parts.extend(writer.cell(row) for writer in writers)
        parts.append("</tr>\n")
    if not parts and table.empty_text:
        parts.append(
            format_html(
                '<tr><td colspan="{}">{}</td></tr>',
                len(table.columns),
                render_value_in_context(table.empty_text, context),
            )
        )
    return mark_safe("".join(parts))  # each part is escaped above
