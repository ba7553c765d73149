import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

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
