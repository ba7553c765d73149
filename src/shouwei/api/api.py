"""The REST API: ``/api/``, schema at ``/api/openapi.json``, Swagger UI at ``/api/docs``.

Routers: one module per app under ``api/routers/``, each exposing ``router``; a new app adds its
module name to ``ROUTERS``. Paths are flat (``/units``, ``/observations``, ``/rankings``): a
router names its own paths and its own tag.

Swagger UI is served from django-ninja's own static files (``ninja`` is in INSTALLED_APPS), not a
CDN: intranets have no internet, and the CSP allows scripts from our origin only.
"""

from ninja import NinjaAPI

from . import errors
from .auth import ApiRateThrottle, SessionAuth, TokenAuth

ROUTERS = ("core", "indicators", "projects", "enterprises", "supervision", "investment")

api = NinjaAPI(
    title="首位 API",
    version="1",
    description=(
        "首位平台的数据接口。认证：请求头 `Authorization: Bearer <令牌>`（令牌由 "
        "`shouwei apitoken 用户名 --name 用途` 签发），或平台的登录会话（须带 X-CSRFToken）。"
        "每个接口只返回该用户在页面上也能看到的数据。数值、增速等十进制数以字符串传递"
        '（如 "6.9"），以免浮点误差；出错时返回 `{"detail": 中文说明, "errors": '
        "{字段: [说明]}}`。任何参数或 JSON 字符串（包括键名）含 NUL 字符（\\u0000）的请求"
        "一律返回 422。"
    ),
    auth=[TokenAuth(), SessionAuth()],
    throttle=[ApiRateThrottle()],
    urls_namespace="api",
)
errors.install(api)

for name in ROUTERS:
    api.add_router("", f"shouwei.api.routers.{name}.router")
