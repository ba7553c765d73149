"""Errors as JSON with Chinese messages, one shape for all: ``{"detail": …, "errors": {…}}``.

400 a body that is not JSON · 401 no or bad credentials · 403 not allowed (services'
PermissionDenied, a failed CSRF check) · 404 unknown code or id, or a record the user may not
see (the two are not told apart, so the API does not confirm that a hidden record exists) ·
409 an action the record's status does not allow (approving a draft) · 422 bad input, whether
caught by the request schema (pydantic) or by the model's own validation in a service.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

security_log = logging.getLogger("shouwei.security")

# Request field → Chinese name, for messages like 数值（value）：应为数字. Routers of other apps
# add their fields here, next to the ones below.
FIELD_LABELS = {
    "unit": _lazy("单位"),
    "indicator": _lazy("指标"),
    "group": _lazy("比较组"),
    "period": _lazy("期间"),
    "period_from": _lazy("起始期间"),
    "period_to": _lazy("截止期间"),
    "value": _lazy("数值"),
    "growth": _lazy("同比增长(%)"),
    "published_rank": _lazy("公布排名"),
    "rank_group": _lazy("排名比较组"),
    "rank_basis": _lazy("排名依据"),
    "basis": _lazy("排名依据"),
    "reporting_unit": _lazy("填报单位"),
    "source": _lazy("来源"),
    "note": _lazy("备注"),
    "submit": _lazy("是否提交"),
    "status": _lazy("状态"),
    "category": _lazy("类别"),
    "kind": _lazy("类型"),
    "parent": _lazy("上级单位"),
    "year": _lazy("年度"),
    "q": _lazy("搜索"),
    "page": _lazy("页码"),
    "page_size": _lazy("每页条数"),
}

_SOURCES = {
    "body": _lazy("请求体"),
    "query": _lazy("查询参数"),
    "path": _lazy("路径参数"),
    "header": _lazy("请求头"),
}


class NotFound(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(404, message)


@contextmanager
def status_conflict():
    """An action with no input of its own (submit, approve) fails validation only because the
    record's status does not allow it: that is a conflict with the record's state (409)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise HttpError(409, "；".join(exc.messages)) from exc


def _label(field: str) -> str:
    label = FIELD_LABELS.get(field)
    return f"{label}（{field}）" if label else field


def _pydantic_message(error: dict) -> str:
    """A Chinese sentence for one pydantic error; its ``type`` is stable, its ``msg`` English."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error":
        # Our own validators (period codes) raise ValueError with a Chinese message.
        return str(ctx.get("error", "")).removeprefix("Value error, ") or _("取值无效")
    messages = {
        "missing": _("必须填写"),
        "decimal_parsing": _('应为数字，如 "12.5"'),
        "decimal_type": _('应为数字，如 "12.5"'),
        "finite_number": _("应为有限的数字"),
        "decimal_max_digits": _("数字位数过多（最多 %(n)s 位）") % {"n": ctx.get("max_digits")},
        "decimal_max_places": _("小数位数过多（最多 %(n)s 位）") % {"n": ctx.get("decimal_places")},
        "int_parsing": _("应为整数"),
        "int_type": _("应为整数"),
        "int_from_float": _("应为整数"),
        "bool_parsing": _("应为 true 或 false"),
        "bool_type": _("应为 true 或 false"),
        "string_type": _("应为文本"),
        "string_too_long": _("不能超过 %(n)s 个字符") % {"n": ctx.get("max_length")},
        "string_too_short": _("至少 %(n)s 个字符") % {"n": ctx.get("min_length")},
        "greater_than_equal": _("不能小于 %(n)s") % {"n": ctx.get("ge")},
        "greater_than": _("应大于 %(n)s") % {"n": ctx.get("gt")},
        "less_than_equal": _("不能大于 %(n)s") % {"n": ctx.get("le")},
        "less_than": _("应小于 %(n)s") % {"n": ctx.get("lt")},
        "enum": _("应为以下之一：%(v)s") % {"v": ctx.get("expected", "")},
        "literal_error": _("应为以下之一：%(v)s") % {"v": ctx.get("expected", "")},
        "json_invalid": _("不是有效的 JSON"),
        "model_attributes_type": _("应为 JSON 对象"),
        "dict_type": _("应为 JSON 对象"),
        "extra_forbidden": _("不认识的字段"),
    }
    return messages.get(kind, _("格式不正确"))


def _field_of(loc: list | tuple) -> str:
    source, *parts = [str(p) for p in loc] or ["body"]
    if source == "body" and len(parts) > 1:
        # ("body", "payload", "value"): the parameter name means nothing to the client.
        parts = parts[1:]
    return ".".join(parts) or str(_SOURCES.get(source, source))


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    parts = [
        "；".join(m) if f == "__all__" else f"{_label(f)}：{'；'.join(m)}"
        for f, m in (errors or {}).items()
    ]
    detail = _("输入有误：") + "；".join(parts)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=status)


def install(api: NinjaAPI) -> None:
    def detail(request, status: int, message: str) -> HttpResponse:
        return api.create_response(request, {"detail": message, "errors": None}, status=status)

    def on_unauthenticated(request, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else None
        response = detail(
            request,
            401,
            message
            or _(
                "未登录或缺少 API 令牌：请在请求头中提供 Authorization: Bearer <令牌>，或先登录平台"
            ),
        )
        response["WWW-Authenticate"] = 'Bearer realm="shouwei"'
        return response

    def on_http_error(request, exc: HttpError) -> HttpResponse:
        # ninja's own HttpErrors speak English; ours are raised in Chinese already.
        if isinstance(exc, Throttled):
            wait = max(1, round(exc.wait or getattr(request, "_rate_wait", 1)))
            security_log.warning("API rate limit reached on %s", request.path)
            response = detail(request, 429, _("请求过于频繁，请 %(s)s 秒后再试") % {"s": wait})
            response["Retry-After"] = str(wait)
            return response
        if exc.message.startswith("Cannot parse request body"):
            return detail(
                request, 400, _("请求体无法解析：应为 JSON 对象，Content-Type 为 application/json")
            )
        return detail(request, exc.status_code, exc.message)

    def on_not_found(request, exc: Http404) -> HttpResponse:
        return detail(request, 404, _("没有找到请求的记录，或您无权查看"))

    def on_permission_denied(request, exc: PermissionDenied) -> HttpResponse:
        return detail(request, 403, str(exc) or _("您无权执行此操作"))

    def on_model_invalid(request, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {
                ("__all__" if f == NON_FIELD_ERRORS else f): list(m)
                for f, m in exc.message_dict.items()
            }
        else:
            errors = {"__all__": list(exc.messages)}
        if list(errors) == ["__all__"]:
            return detail(request, 422, "；".join(errors["__all__"]))
        return error_response(api, request, 422, errors)

    def on_request_invalid(request, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_of(error.get("loc", ())), []).append(_pydantic_message(error))
        return error_response(api, request, 422, errors)

    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(DjangoValidationError, on_model_invalid)
    api.add_exception_handler(NinjaValidationError, on_request_invalid)
