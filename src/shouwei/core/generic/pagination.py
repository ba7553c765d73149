"""Paging a list: a capped ``?per_page=``, a stable order, a deferred join for deep pages, and
no full ``COUNT`` of a long list on PostgreSQL."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db import connections, models
from django.http import HttpRequest
from django.utils.functional import cached_property
from django_tables2.rows import BoundRows

MAX_PER_PAGE = 200


def int_param(request: HttpRequest, name: str, default: int) -> int:
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

    A page in the back half of the list is read from the end: the keys in the reversed order,
    skipping the rows after the page, then turned round. The last page of 324,526 observations
    skipped 324,525 sorted rows (0.7–0.9 s on PostgreSQL, the sort spilling to disk); from the
    end it skips none, and PostgreSQL walks the ``period_end`` index with an incremental sort
    (40 ms). The rows are the same: the order ends with the primary key (``stable_order``), so
    it is total and its reverse is exactly the rows backwards, NULLs included (each database
    puts them at the same end for DESC as it does for the reversed ASC). It needs the exact
    count, which this class always has; ``ListPaginator`` counts before it reads a page there.
    """

    deferred_from = 1000  # rows skipped before the deferred join pays

    def from_the_end(self, number: int) -> bool:
        """Page ``number`` starts past the middle of the list (by ``count``)."""
        bottom = (number - 1) * self.per_page
        return bottom >= self.deferred_from and 2 * bottom > self.count

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
        if qs.ordered and self.from_the_end(page.number):
            bottom, top = page.start_index() - 1, page.end_index()
            keys = qs.reverse().values_list("pk", flat=True)[self.count - top : self.count - bottom]
            pks = list(keys)[::-1]
        else:
            pks = list(page.object_list.data.values_list("pk", flat=True))
        found = {obj.pk: obj for obj in qs.filter(pk__in=pks).order_by()}
        records = [found[pk] for pk in pks if pk in found]
        page.object_list = BoundRows(
            records, table=page.object_list.table, pinned_data=page.object_list.pinned_data
        )
        return page


def estimated_rows(qs: models.QuerySet) -> int | None:
    """The planner's estimate of the rows ``qs`` returns (PostgreSQL's ``EXPLAIN``), or None
    where the database gives none (SQLite)."""
    if connections[qs.db].vendor != "postgresql":
        return None
    plan = json.loads(qs.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class ListPaginator(DeepPagePaginator):
    """Every list's paginator. The row count is exact up to ``SHOUWEI_LIST_EXACT_COUNT_UP_TO``
    rows, counted with a ``LIMIT`` so that a long list is never counted in full; above it, on
    PostgreSQL, the planner's estimate is shown as "约 N 条" (``estimated``). Counting 324,526
    visible observations was most of the list's page 1 (docs/benchmarks.md). SQLite gives no
    estimate and keeps the exact count.

    With an estimate the last pages may be past the real end; ``paginate`` then counts
    exactly and shows the real last page.
    """

    estimated = False

    def queryset(self) -> models.QuerySet | None:
        qs = getattr(self.object_list, "data", None)
        qs = getattr(qs, "data", None)
        return qs if isinstance(qs, models.QuerySet) else None

    @cached_property
    def count(self) -> int:
        qs = self.queryset()
        limit = settings.SHOUWEI_LIST_EXACT_COUNT_UP_TO
        if qs is None or connections[qs.db].vendor != "postgresql":
            return super().count
        counted = qs.order_by()[: limit + 1].count()
        if counted <= limit:
            return counted
        self.estimated = True
        return max(estimated_rows(qs) or 0, counted)

    def exact(self) -> None:
        """Drop the estimate: count every row."""
        self.__dict__.pop("num_pages", None)
        self.__dict__["count"] = self.queryset().count()
        self.estimated = False

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            if not self.estimated:
                raise
            # Past the estimated end: a low estimate must not hide real pages.
            self.exact()
            return super().validate_number(number)

    def page(self, number):
        number = self.validate_number(number)
        # A page past the middle is read from the end (DeepPagePaginator), which needs the
        # real count; past the real end, the real last page (as paginate() shows then).
        if self.estimated and self.from_the_end(number):
            self.exact()
            number = min(number, self.num_pages)
        return super().page(number)


def stable_order(table) -> None:
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


def paginate(table, request: HttpRequest, *, default: int) -> None:
    per_page = max(1, min(int_param(request, "per_page", default), MAX_PER_PAGE))
    page = max(1, int_param(request, "page", 1))
    stable_order(table)
    try:
        table.paginate(ListPaginator, page=page, per_page=per_page)
    except EmptyPage:
        # Past the last page (rows went away since the link was made): show the last one.
        table.paginate(ListPaginator, page=table.paginator.num_pages, per_page=per_page)
    paginator = table.paginator
    if paginator.estimated and page > 1 and not len(table.page.object_list):
        # Past the real end of an estimated list: count it, and show its real last page.
        paginator.exact()
        table.page = paginator.page(min(page, paginator.num_pages))
