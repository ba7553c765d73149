"""The matrix has a row for every URL pattern and every API operation: a route added without
one fails here, by name."""

import pytest

from tests.authz import routes
from tests.authz.matrix import all_rows

KEYS = {row.key for row in all_rows()}


@pytest.mark.parametrize(
    "urlconf, prefix",
    [(routes.PLATFORM_URLCONF, ""), (routes.PORTAL_URLCONF, "portal-site ")],
)
def test_every_url_pattern_has_a_row(urlconf, prefix):
    missing = sorted(
        f"{r.key} ({r.pattern})"
        for r in routes.url_routes(urlconf)
        if not r.is_api_operation and prefix + r.key not in KEYS
    )
    assert not missing, "URL patterns with no row in tests/authz/matrix.py:\n" + "\n".join(missing)


def test_every_api_operation_has_a_row():
    missing = sorted(op for op in routes.api_operations() if op not in KEYS)
    assert not missing, "API operations with no row in tests/authz/matrix.py:\n" + "\n".join(
        missing
    )


def test_every_row_names_a_route_that_exists():
    """A row left behind by a removed route would test nothing."""
    known = {r.key for r in routes.url_routes(routes.PLATFORM_URLCONF)}
    known |= {f"portal-site {r.key}" for r in routes.url_routes(routes.PORTAL_URLCONF)}
    known |= set(routes.api_operations())
    stale = sorted(KEYS - known)
    assert not stale, "rows for routes that do not exist:\n" + "\n".join(stale)
