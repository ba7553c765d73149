import django_filters
from django.utils.translation import gettext_lazy as _

from shouwei.core.filters import SearchFilterSet

from .choices import ArticleStatus
from .models import Article, Channel


class ArticleFilterSet(SearchFilterSet):
    search_fields = ("title", "subtitle", "body_text", "tags", "author", "source_unit")
    q = django_filters.CharFilter(
        method="search", label=_("搜索"), help_text=_("按标题、正文、标签、作者或来源搜索")
    )
    channel = django_filters.ModelChoiceFilter(
        queryset=Channel.objects.all(),
        method="in_channel",
        label=_("栏目"),
        help_text=_("含下级栏目"),
    )
    status = django_filters.ChoiceFilter(
        choices=ArticleStatus.choices, label=_("状态"), help_text=_("草稿、待审核、已发布或已撤回")
    )

    class Meta:
        model = Article
        fields = ["q", "channel", "status"]

    def in_channel(self, queryset, name, value):
        return queryset.filter(channel_id__in=value.descendant_ids())
