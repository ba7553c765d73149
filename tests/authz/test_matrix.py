"""One test per row of the authorisation matrix (tests/authz/matrix.py): each principal asks
for the row's route with each of the row's objects; the outcome must be the table's.

Every request runs in a savepoint that is rolled back, so an allowed POST (an approval, a
rollback, a delete) leaves nothing for the next principal to find.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import ERROR
from django.db import transaction
from django.test import override_settings

from tests.authz import routes
from tests.authz.conftest import new_client
from tests.authz.matrix import ALLOW, DENY, LOGIN, Row, all_rows

pytestmark = pytest.mark.django_db

ROWS = all_rows()
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
# A POST with a minimal body that got past every permission check to validation.
VALIDATION = (400, 409, 422)

_PATTERNS = {
    **{r.key: r.pattern for r in routes.url_routes(routes.PLATFORM_URLCONF)},
    **{f"portal-site {r.key}": r.pattern for r in routes.url_routes(routes.PORTAL_URLCONF)},
}


def _row_id(row: Row) -> str:
    variant = row.extra.get("variant")
    return f"{row.id} [{variant}]" if variant else row.id


def _admin_params(row: Row) -> dict:
    label = row.extra.get("admin_object") or row.extra.get("admin_history")
    if label is None:
        return {}
    model = apps.get_model(label)
    obj = model._default_manager.order_by("pk").first()
    pk = obj.pk if obj is not None else 0
    params = {"object_id": pk, "id": pk}
    if row.key == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

        params["content_type_id"] = ContentType.objects.get_for_model(model).pk
    if "admin_history" in row.extra:
        version = model.history.filter(pk=pk).order_by("history_id").first()
        return {
            "path": f"/admin/{model._meta.app_label}/{model._meta.model_name}/{pk}/history/"
            f"{version.history_id if version else 0}/"
        }
    return params


def _path(row: Row, obj) -> str:
    params = {**(obj.params if obj is not None else {}), **row.extra.get("kwargs", {})}
    params.update(_admin_params(row))
    if "path" in params:
        path = params["path"]
    elif "path" in row.extra:
        path = row.extra["path"]
    elif row.key.startswith(("GET /api/", "POST /api/")):
        path = row.key.split(" ", 1)[1].format(**params)
    else:
        path = routes.fill(_PATTERNS[row.key], params)
    return f"{path}?{row.query}" if row.query else path


def _request(client, row: Row, obj, path: str):
    is_api = row.key.startswith(("GET /api/", "POST /api/"))
    if row.method == "GET":
        return client.get(path)
    body = obj.data if obj is not None and obj.data is not None else (row.data or {})
    if is_api:
        return client.post(path, body, content_type="application/json")
    return client.post(path, body)


def _outcome(row: Row, response) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status == 401:
        return LOGIN
    if status in (301, 302):
        location = urlsplit(response.headers.get("Location", "")).path
        if location.startswith(LOGIN_PATHS):
            return LOGIN
        # Only what this request said: the client's cookie also carries the messages of
        # earlier requests whose redirect was not followed.
        queued = getattr(response.wsgi_request, "_messages", None)
        if row.refusal_by_message and any(
            m.level >= ERROR for m in getattr(queued, "_queued_messages", ())
        ):
            return DENY
        return ALLOW
    if status in (403, 404):
        return DENY
    if status in (200, 201, 204) or (row.method == "POST" and status in VALIDATION):
        return ALLOW
    return f"unexpected {status}"


def _expected(row: Row, principal: str, user, obj) -> str:
    if principal == "anonymous" and row.anonymous is not None:
        return row.anonymous
    return row.rule.outcome(user if user is not None else AnonymousUser(), obj)


def _objects(world, row: Row):
    if not row.objects:
        return [(None, None)]
    return [(kind, obj) for kind in row.objects for obj in world.objects[kind].values()]


@pytest.mark.parametrize("row", ROWS, ids=[_row_id(r) for r in ROWS])
def test_authorisation_matrix(row: Row, world):
    site = (
        override_settings(ROOT_URLCONF=routes.PORTAL_URLCONF, SHOUWEI_SITE="portal")
        if row.key.startswith("portal-site ")
        else override_settings()
    )
    wrong = []
    with site:
        for principal in row.principals:
            user = world.users.get(principal)
            is_api = row.key.startswith(("GET /api/", "POST /api/"))
            for kind, obj in _objects(world, row):
                if row.fresh_client:
                    client = new_client(user)
                else:
                    client = (world.api_clients if is_api else world.clients)[principal]
                path = _path(row, obj)
                with transaction.atomic():
                    response = _request(client, row, obj, path)
                    transaction.set_rollback(True)
                expected = _expected(row, principal, user, obj)
                got = _outcome(row, response)
                if got != expected:
                    what = f"{kind}:{obj.key}" if obj is not None else "-"
                    wrong.append(
                        f"{principal:13} {what:28} expected {expected:6} got {got} "
                        f"({response.status_code} {row.method} {path})"
                    )
    assert not wrong, f"{_row_id(row)}:\n" + "\n".join(wrong)
