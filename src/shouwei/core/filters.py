"""Filter sets: django-filter with a free-text ``q`` over declared ``search_fields``."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import UnitKind
from .models import PeerGroup, Unit
from .permissions import ScopedQuerySet
from .search import search_q


class SearchFilterSet(django_filters.FilterSet):
    """Every list's filter set: a free-text search, and choice filters that offer only records
    the user may read (a drop-down of leads or enterprises must not list another unit's)."""

    q = django_filters.CharFilter(
        method="search", label=_("搜索"), help_text=_("按名称、代码等关键字搜索")
    )
    search_fields: tuple[str, ...] = ()
    # The model's own text search fields have a bigram GIN index on PostgreSQL (a
    # core.search.CreateBigramIndex in the app's migrations, over the same fields in the
    # same order); the search then asks it first (core/search.py).
    search_index: bool = False

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for f in self.filters.values():
            qs = getattr(f, "queryset", None)
            if isinstance(qs, ScopedQuerySet):
                f.queryset = qs.visible_to(user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        return queryset.filter(
            search_q(
                queryset.model, self.search_fields, value, db=queryset.db, indexed=self.search_index
            )
        )


class UnitFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "short_name")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("类型"))
    parent = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("上级单位"))

    class Meta:
        model = Unit
        fields = ["q", "kind", "parent"]


class PeerGroupFilterSet(SearchFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = PeerGroup
        fields = ["q"]
