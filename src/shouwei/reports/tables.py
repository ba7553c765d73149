import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Report


class ReportTable(tables.Table):
    title = tables.Column(verbose_name=_("标题"), linkify=True)
    data_version = tables.Column(verbose_name=_("数据版本"))

    class Meta:
        model = Report
        fields = (
            "title",
            "kind",
            "unit",
            "period",
            "status",
            "progress",
            "built_by",
            "created_at",
            "built_at",
            "data_version",
        )
        order_by = ("-created_at",)

    def render_data_version(self, value):
        return value[:12]
