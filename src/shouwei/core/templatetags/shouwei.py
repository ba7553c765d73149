"""Template filters over ``core.formatting`` (loaded as a builtin in every template)."""

from django import template
from django.apps import apps
from django.utils.html import format_html

from .. import formatting, tables
from ..generic import url_for

register = template.Library()


@register.filter
def measure(value, arg=""):
    """``{{ obs.value|measure:indicator }}`` or ``{{ amount|measure:"亿元" }}``."""
    if hasattr(arg, "measure"):
        return formatting.format_measure(value, arg.measure, arg.decimals)
    return formatting.format_measure(value, str(arg))


@register.filter
def with_unit(text, measure=""):
    """``{{ row.value|with_unit:row.measure }}``: a figure formatted already, and its unit
    (``'354家'``; in English ``'354 entities'``)."""
    return formatting.with_unit(str(text), str(measure or ""))


@register.filter
def number(value, decimals=2):
    return formatting.format_number(value, int(decimals))


@register.filter
def plain(value):
    """``value="{{ obs.growth|plain }}"``: 11.8 in an input, not the stored 11.800."""
    return formatting.format_plain(value)


@register.filter
def growth(value, decimals=1):
    return formatting.format_growth(value, int(decimals))


@register.filter
def rank(value, of=None):
    return formatting.format_rank(value, of)


@register.filter
def percent(value, decimals=1):
    return formatting.format_percent(value, int(decimals))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def light_badge(light):
    """A red/yellow/green badge for a target light (``indicators.lights.Light``)."""
    if light is None:
        return ""
    return format_html(
        '<span class="badge bg-{}-lt light light-{}" title="{}">{}</span>',
        light.css,
        light.colour,
        light.reason,
        light.label,
    )


@register.filter
def add_class(bound_field, css):
    """Render a form field with a CSS class added (no inline styles: CSP forbids them)."""
    attrs = dict(bound_field.field.widget.attrs)
    attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
    if bound_field.errors:
        attrs["class"] += " is-invalid"
    if bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_help"
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def page_url(model_or_record, action="detail"):
    """``{% page_url "projects.Problem" "list" %}``, ``{% page_url object "edit" %}``: a view
    set's page, named by the model (its label) or the record, never by a spelled URL name."""
    if isinstance(model_or_record, str):
        model_or_record = apps.get_model(model_or_record)
    return url_for(model_or_record, action)


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """``{% table_rows table %}``: the rows of a list table's page (the tbody block of the
    tables template), written by core.tables rather than a template per cell."""
    return tables.rows_html(table, context)
