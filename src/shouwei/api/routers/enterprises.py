"""Enterprise service: enterprises, requests (诉求), coverage and the request rates.

Staff read from ``visible_to(request.auth)``; an enterprise's contact reads only its own
enterprise's requests (another's answers 404, logged). Writes call the services the pages
call, with ``by=request.auth``.
"""

import logging
from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from shouwei.core import clock
from shouwei.enterprises import selectors, services
from shouwei.enterprises.choices import RequestCategory, RequestChannel, RequestStatus, Scale
from shouwei.enterprises.models import Enterprise, Request

from ..errors import NotFound
from ..lookups import get_visible, unit_by_code
from ..pagination import Pagination
from ..schemas import BODY_ERRORS, ERRORS, DecimalStr, UnitRef

router = Router(tags=["企业服务"])
security_log = logging.getLogger("shouwei.security")


class EnterpriseOut(Schema):
    uscc: str
    name: str
    legal_representative: str
    industry: str
    scale: Scale
    is_key: bool
    street: UnitRef | None
    liaison_unit: UnitRef
    address: str


@router.get(
    "/enterprises",
    response={200: list[EnterpriseOut], **ERRORS},
    summary="企业名录",
    description="当前用户可查看的企业（服务部门、所在街道及其上级）。",
)
@paginate(Pagination)
def list_enterprises(request, q: str | None = None):
    qs = Enterprise.objects.visible_to(request.auth).select_related("street", "liaison_unit")
    return qs.filter(name__icontains=q) if q else qs


@router.get(
    "/enterprises/{uscc}",
    response={200: EnterpriseOut, **ERRORS},
    summary="企业详情",
    description="按统一社会信用代码查询（大小写不限）。",
)
def get_enterprise(request, uscc: str):
    return get_visible(
        Enterprise.objects.visible_to(request.auth).select_related("street", "liaison_unit"),
        _("没有统一社会信用代码为“%(code)s”的企业，或您无权查看") % {"code": uscc},
        uscc=uscc.strip().upper(),
    )


class RequestOut(Schema):
    id: int
    enterprise: str = Field(description="企业统一社会信用代码")
    category: RequestCategory
    description: str
    channel: RequestChannel
    status: RequestStatus
    filed_on: date
    assigned_department: UnitRef | None
    due_on: date | None
    answer: str
    answered_on: date | None
    satisfaction: int | None
    reopen_count: int

    @staticmethod
    def resolve_enterprise(obj: Request) -> str:
        return obj.enterprise.uscc


def _readable_requests(user):
    """What staff read by their units, or the contact's own enterprise's requests."""
    if selectors.contact_enterprise_id(user) is not None:
        return selectors.requests_for_contact(user)
    return Request.objects.visible_to(user)


def _request(user, request_id: int) -> Request:
    req = (
        _readable_requests(user)
        .select_related("enterprise", "assigned_department")
        .filter(pk=request_id)
        .first()
    )
    if req is None:
        security_log.warning("refused request #%s to %s (API)", request_id, user)
        raise NotFound(_("没有编号为 %(id)s 的诉求，或您无权查看") % {"id": request_id})
    return req


@router.get(
    "/enterprise-requests",
    response={200: list[RequestOut], **ERRORS},
    summary="企业诉求列表",
    description="工作人员看到其单位可查看的诉求；企业联系人只看到本企业的诉求。",
)
@paginate(Pagination)
def list_requests(request, status: RequestStatus | None = None):
    qs = _readable_requests(request.auth).select_related("enterprise", "assigned_department")
    return qs.filter(status=status) if status else qs


@router.get(
    "/enterprise-requests/{request_id}",
    response={200: RequestOut, **ERRORS},
    summary="诉求详情",
    description="其他企业的诉求一律返回 404（并记录日志）。",
)
def get_request(request, request_id: int):
    return _request(request.auth, request_id)


class RequestIn(Schema):
    enterprise: str = Field(description="企业统一社会信用代码")
    category: RequestCategory
    description: str = Field(min_length=1, max_length=4000)
    channel: RequestChannel | None = Field(
        None, description="工作人员代提时的渠道；企业联系人提交时为企业端"
    )


@router.post(
    "/enterprise-requests",
    response={201: RequestOut, **BODY_ERRORS},
    summary="提交诉求",
    description="企业联系人为本企业提交（渠道：企业端），或联络员、工作人员代企业提交。",
)
def file_request(request, payload: RequestIn):
    user = request.auth
    code = payload.enterprise.strip().upper()
    own = selectors.contact_enterprise(user)
    if own is not None and own.uscc == code:
        enterprise = own
    else:
        enterprise = get_visible(
            Enterprise.objects.visible_to(user).select_related("liaison_unit"),
            _("没有统一社会信用代码为“%(code)s”的企业，或您无权查看") % {"code": code},
            uscc=code,
        )
    req = services.request_file(
        by=user,
        enterprise=enterprise,
        category=payload.category,
        description=payload.description,
        channel=payload.channel,
    )
    return Status(201, req)


class RateIn(Schema):
    satisfaction: int = Field(ge=1, le=5, description="1—5；2 分及以下视为不满意，诉求重新办理")


@router.post(
    "/enterprise-requests/{request_id}/rate",
    response={200: RequestOut, **BODY_ERRORS},
    summary="评价诉求答复",
    description="只有该企业的联系人可以评价，且诉求须已答复。",
)
def rate_request(request, request_id: int, payload: RateIn):
    req = _request(request.auth, request_id)
    return services.request_rate(by=request.auth, request=req, satisfaction=payload.satisfaction)


class RatesOut(Schema):
    unit: str
    year: int
    due: int
    on_time: int
    on_time_rate: DecimalStr | None = Field(description="按时办结率（0—1）")
    rated: int
    satisfied: int
    satisfaction_rate: DecimalStr | None = Field(description="满意率（0—1，4—5 分为满意）")
    answered: int
    reopened: int
    reopen_rate: DecimalStr | None = Field(description="重办率（0—1）")


@router.get(
    "/enterprise-rates",
    response={200: RatesOut, **ERRORS},
    summary="诉求按时办结率、满意率、重办率",
    description="该年度提交、由该单位（部门，或区内所有部门）承办的诉求，限当前用户可查看的。",
)
def request_rates(request, unit: str, year: int | None = None):
    user = request.auth
    year = year or clock.today().year
    place = unit_by_code(user, unit)
    r = selectors.request_rates(place, year, user=user)
    return {
        "unit": place.code,
        "year": year,
        **{k: getattr(r, k) for k in ("due", "on_time", "rated", "satisfied", "answered")},
        "reopened": r.reopened,
        "on_time_rate": r.on_time_rate,
        "satisfaction_rate": r.satisfaction_rate,
        "reopen_rate": r.reopen_rate,
    }


class CoverageOut(Schema):
    cadres: int = Field(description="联点干部数（按联点安排去重）")
    enterprises: int
    by_cadre: int = Field(description="有联点干部的企业数")
    projects: int = Field(description="有联点干部的重点项目数")
    covered: int
    uncovered: int
    rate: DecimalStr | None = Field(description="覆盖率（0—1）")


@router.get(
    "/enterprise-coverage",
    response={200: CoverageOut, **ERRORS},
    summary="联点覆盖情况",
    description="从当前的联点安排数出干部、企业、项目，企业有联点干部或属地街道即为覆盖。",
)
def coverage(request):
    c = selectors.coverage(request.auth)
    return {
        "cadres": c.cadres,
        "enterprises": c.enterprises,
        "by_cadre": c.by_cadre,
        "projects": c.projects,
        "covered": c.covered,
        "uncovered": c.uncovered,
        "rate": c.rate,
    }
