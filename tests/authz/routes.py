"""What the matrix must cover: every URL pattern of both URL configurations and every API
operation of the published schema, by the keys the table uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PLATFORM_URLCONF = "shouwei.urls"
PORTAL_URLCONF = "shouwei.urls_portal"


@dataclass(frozen=True)
class Route:
    key: str
    pattern: str  # the full pattern, as Django prints it ("indicators/observations/<int:pk>/")
    is_api_operation: bool


def _walk(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            full = prefix + str(p.pattern)
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            key = name or full
            # django-ninja routes every operation through its own view; the operations
            # themselves are covered from the OpenAPI schema, method by method.
            api_op = getattr(p.callback, "__module__", "").startswith("ninja.")
            yield Route(key, full, api_op)


def url_routes(urlconf: str = PLATFORM_URLCONF) -> list[Route]:
    return list(_walk(get_resolver(urlconf)))


def api_operations() -> list[str]:
    """``"METHOD /api/path"`` for every operation in the API's OpenAPI schema."""
    from shouwei.api.api import api

    schema = api.get_openapi_schema()
    return sorted(
        f"{method.upper()} {path}"
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    )


def fill(pattern: str, params: dict) -> str:
    """The path a route pattern names with these parameters."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(params[m.group(1)]), pattern)
