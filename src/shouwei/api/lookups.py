"""Finding one record by its code for the user asking, or answering 404 in Chinese."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from shouwei.core.models import PeerGroup, Unit

from .errors import NotFound


def get_visible(queryset: QuerySet, message: str, **lookup):
    """``queryset`` must already be ``visible_to(user)``: a record the user may not see and a
    record that does not exist get the same 404."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise NotFound(message) from None


def unit_by_code(user, code: str) -> Unit:
    return get_visible(
        Unit.objects.visible_to(user),
        _("没有代码为“%(code)s”的单位，或您无权查看") % {"code": code},
        code=code,
    )


def group_by_code(user, code: str) -> PeerGroup:
    return get_visible(
        PeerGroup.objects.visible_to(user),
        _("没有代码为“%(code)s”的比较组，或您无权查看") % {"code": code},
        code=code,
    )
