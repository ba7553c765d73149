"""Schemathesis: requests generated from /api/openapi.json get answers the schema promises —
no 500, documented status codes, bodies that match the response schemas."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from shouwei.core.models import ApiToken


@pytest.fixture
def api_schema(demo):
    # Through the real WSGI handler, request_finished would close the test's database
    # connection mid-transaction (PostgreSQL); Django's own test client unhooks it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def statistician_key(demo):
    _token, key = ApiToken.issue(user=demo["statistician"], name="schemathesis")
    return key


schema = schemathesis.pytest.from_fixture("api_schema")


def _header_negation_replaced(case) -> bool:
    # The test sends its own Authorization header, so a case made invalid there (a malformed
    # bearer) goes out valid: its "schema-violating request accepted" would be about a request
    # that was never sent.
    return case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)


def _has_nul(case) -> bool:
    parts = [case.body, case.query, case.path_parameters]
    return "\\u0000" in json.dumps(parts, default=str) or "\\x00" in repr(parts)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_as_its_schema_says(case, statistician_key):
    # A schema cannot say which unit and indicator codes exist, nor the model's cross-field
    # rules (at least one figure; a published rank needs its basis): a schema-valid body may
    # rightly be refused with 422 there.
    # NUL anywhere in a request is refused with 422 before it can reach PostgreSQL (the API's
    # description says so; a schema cannot express it for extra keys).
    excluded = []
    if (case.method, case.path) == ("POST", "/api/observations") or _has_nul(case):
        excluded.append(positive_data_acceptance)
    if _header_negation_replaced(case):
        excluded.append(negative_data_rejection)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {statistician_key}"}, excluded_checks=excluded
    )
