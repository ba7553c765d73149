"""The schema and the Swagger UI: served from our own origin, working under the strict CSP."""

import pytest

from tests.browser.conftest import (  # noqa: F401  (Debian's chromium for the Swagger test)
    browser_context_args,
    browser_type_launch_args,
)


def test_openapi_schema_is_public_json_listing_every_resource(client, db):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/units",
        "/api/peer-groups/{code}/members",
        "/api/indicators",
        "/api/observations",
        "/api/observations/{observation_id}/approve",
        "/api/rankings",
        "/api/targets",
        "/api/cockpit",
    ):
        assert path in paths
    schemes = response.json()["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_openapi_schema_documents_decimals_as_strings(client, db):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]

    growth = schemas["ObservationOut"]["properties"]["growth"]["anyOf"][0]
    assert growth["type"] == "string"
    assert growth["format"] == "decimal"


def test_docs_page_loads_swagger_from_our_own_static_files(client, db):
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    # The page's only inline <script> is JSON data, which a CSP without 'unsafe-inline' allows.
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_under_the_csp_without_violations(live_server, monkeypatch, browser):
    # The session's one browser (pytest-playwright, Debian chromium): a second sync Playwright
    # cannot start in a thread whose event loop the first one runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    problems: list[str] = []
    page = browser.new_page()
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None,
    )
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    page.on(
        "request",
        lambda req: (
            None
            if req.url.startswith(live_server.url) or req.url.startswith("data:")
            else problems.append(f"external: {req.url}")
        ),
    )
    try:
        page.goto(f"{live_server.url}/api/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=15_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
    finally:
        page.close()

    assert any("/api/cockpit" in p for p in paths)
    # A CSP violation shows as a console error; a CDN request as an external request.
    assert problems == []


def test_every_enum_in_the_api_schema_lists_its_own_choices():
    """django-ninja names an enum's component after its class: two choice classes of one name
    (the request's and the lead's ``Channel`` once) collapse into one, and the API then answers
    values its own schema says it cannot."""
    import enum
    import importlib
    import pkgutil

    import shouwei

    by_name: dict[str, list[str]] = {}
    for module_info in pkgutil.walk_packages(shouwei.__path__, "shouwei."):
        if not module_info.name.endswith(".choices"):
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, enum.Enum)
                and value.__module__ == module.__name__
            ):
                by_name.setdefault(value.__name__, []).append(module.__name__)
    assert {name: mods for name, mods in by_name.items() if len(mods) > 1} == {}
