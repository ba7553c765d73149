import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shouwei.core.tables import WRAP

from .choices import ArticleStatus
from .models import Article

STATUS_COLOURS = {
    ArticleStatus.DRAFT: "secondary",
    ArticleStatus.IN_REVIEW: "orange",
    ArticleStatus.PUBLISHED: "green",
    ArticleStatus.WITHDRAWN: "red",
}


class StatusColumn(tables.Column):
    def render(self, value, record):
        colour = STATUS_COLOURS.get(record.status, "secondary")
        return format_html('<span class="badge bg-{}-lt">{}</span>', colour, value)

    def value(self, value, record):
        return value


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


class PersonColumn(tables.Column):
    def render(self, value):
        return _person(value)

    def value(self, value):
        return _person(value)


class ArticleTable(tables.Table):
    title = tables.Column(
        linkify=lambda record: reverse("portal_manage:article_detail", args=[record.pk]),
        attrs=WRAP,
    )
    channel = tables.Column(
        accessor="channel__name",
        order_by=("channel__sort_order", "channel"),
        verbose_name=_("栏目"),
    )
    status = StatusColumn()
    published_at = tables.DateTimeColumn(format="Y-m-d H:i")
    created_by = PersonColumn(order_by=("created_by__username",))
    reviewed_by = PersonColumn(order_by=("reviewed_by__username",))
    updated_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = Article
        fields = (
            "title",
            "channel",
            "status",
            "published_at",
            "created_by",
            "reviewed_by",
            "view_count",
            "updated_at",
        )
        order_by = ("-updated_at",)
        empty_text = _("没有文章")
