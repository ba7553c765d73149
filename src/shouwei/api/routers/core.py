"""Units and peer groups (core)."""

from django.db.models import Q
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from shouwei.core.choices import UnitKind
from shouwei.core.models import PeerGroup, Unit

from ..lookups import group_by_code, unit_by_code
from ..pagination import Pagination
from ..schemas import ERRORS, UnitRef

router = Router(tags=["单位与比较组"])


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: UnitKind
    kind_label: str
    parent: str | None = Field(None, description="上级单位代码")
    sort_order: int

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent_id else None


class UnitFilters(Schema):
    kind: UnitKind | None = Field(None, description="单位类型")
    parent: str | None = Field(None, description="上级单位代码：只列其直接下级")
    q: str | None = Field(None, description="按代码、名称、简称搜索")


class PeerGroupOut(Schema):
    code: str
    name: str
    description: str


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="单位列表")
@paginate(Pagination)
def list_units(request, filters: Query[UnitFilters]):
    units = Unit.objects.visible_to(request.auth).select_related("parent")
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.parent:
        units = units.filter(parent=unit_by_code(request.auth, filters.parent))
    if filters.q and filters.q.strip():
        text = filters.q.strip()
        units = units.filter(
            Q(code__icontains=text) | Q(name__icontains=text) | Q(short_name__icontains=text)
        )
    return units


@router.get("/units/{code}", response={200: UnitOut, **ERRORS}, summary="单位详情（按代码）")
def get_unit(request, code: str):
    return unit_by_code(request.auth, code)


@router.get("/peer-groups", response={200: list[PeerGroupOut], **ERRORS}, summary="比较组列表")
@paginate(Pagination)
def list_peer_groups(request):
    return PeerGroup.objects.visible_to(request.auth)


@router.get("/peer-groups/{code}", response={200: PeerGroupOut, **ERRORS}, summary="比较组详情")
def get_peer_group(request, code: str):
    return group_by_code(request.auth, code)


@router.get(
    "/peer-groups/{code}/members",
    response={200: list[UnitRef], **ERRORS},
    summary="比较组某年度的成员单位",
)
def list_peer_group_members(
    request, code: str, year: int = Query(..., ge=1900, le=2200, description="年度，如 2022")
):
    group = group_by_code(request.auth, code)
    return (
        Unit.objects.visible_to(request.auth)
        .filter(peer_memberships__group=group, peer_memberships__year=year)
        .order_by("sort_order", "code")
    )
