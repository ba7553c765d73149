from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, Observation, Target


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "measure", "kind", "direction", "category", "cumulative")
    list_filter = ("category", "kind", "direction")
    search_fields = ("code", "name")


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = (
        "unit",
        "indicator",
        "period",
        "value",
        "growth",
        "published_rank",
        "status",
        "synthetic",
    )
    list_filter = ("status", "synthetic", "indicator__category")
    search_fields = ("unit__code", "indicator__code", "period")
    raw_id_fields = ("unit", "indicator", "reporting_unit", "rank_group", "import_batch")
    list_select_related = ("unit", "indicator")


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("year", "unit", "name", "label", "kind", "floor_rank", "stretch_rank")
    list_filter = ("year", "kind")
    search_fields = ("name", "label")
