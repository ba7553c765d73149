import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shouwei.core.tables import WRAP, MeasureColumn

from .models import Indicator, Observation, Target


class IndicatorTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True, attrs=WRAP)

    class Meta:
        model = Indicator
        fields = (
            "code",
            "name",
            "measure",
            "kind",
            "direction",
            "category",
            "owner_unit",
            "cumulative",
        )
        empty_text = _("没有符合条件的指标")


class ObservationTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name="#")
    unit = tables.Column(
        accessor="unit__display_name", order_by=("unit__path",), verbose_name=_("单位")
    )
    indicator = tables.Column(
        linkify=lambda record: record.indicator.get_absolute_url(),
        order_by=("indicator__sort_order",),
        attrs=WRAP,
    )
    value = MeasureColumn(measure_from="indicator")
    growth = MeasureColumn(growth=True)
    published_rank = tables.Column(attrs={"td": {"class": "text-end"}})
    status = tables.Column()

    class Meta:
        model = Observation
        fields = (
            "id",
            "unit",
            "indicator",
            "period",
            "value",
            "growth",
            "published_rank",
            "status",
            "source",
            "synthetic",
        )
        order_by = ("-period_end",)
        empty_text = _("没有符合条件的观测值")


class TargetTable(tables.Table):
    name = tables.Column(linkify=True, attrs=WRAP)

    class Meta:
        model = Target
        fields = (
            "year",
            "unit",
            "name",
            "label",
            "kind",
            "indicator",
            "floor_rank",
            "stretch_rank",
            "target_value",
            "rank_group",
        )
        empty_text = _("没有目标")
