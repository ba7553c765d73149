"""POST /api/project-progress: the amounts its OpenAPI schema admits are the ones it saves."""

import jsonschema_rs
import pytest

from shouwei.projects.models import ProgressReport

# Strings a client could send as an amount (亿元): plain decimals, and what a spreadsheet or a
# careless client produces — empty cells, spaces, exponents, commas, a third decimal place,
# negatives, more than the column holds (12 digits, 2 of them decimals).
AMOUNTS = [
    "12.5",
    "0",
    "3",
    "12.50",
    "9999999999.99",
    "",
    " ",
    " 5",
    "1e3",
    "12,5",
    "12.345",
    "-1",
    "NaN",
    "十二",
    "12345678901",
]


@pytest.fixture
def progress_in(client):
    return client.get("/api/openapi.json").json()["components"]["schemas"]["ProgressIn"]


@pytest.fixture
def june_report(demo):
    return (
        ProgressReport.objects.filter(
            period="2022-06", project__responsible_unit__code="hy-gxq-cyfz"
        )
        .select_related("project")
        .order_by("project__code")
        .first()
    )


@pytest.mark.parametrize("field", ["invested_this_month", "invested_ytd"])
@pytest.mark.parametrize("amount", AMOUNTS)
def test_an_amount_the_schema_admits_is_saved_and_one_it_refuses_is_named(
    api_for, progress_in, june_report, field, amount
):
    body = {
        "project": june_report.project.code,
        "period": "2022-07",
        "invested_this_month": "1",
        "invested_ytd": str(june_report.invested_ytd + 1),
        "stage": june_report.stage,
        # A correction with its reason: a ytd below June's is then a figure, not a rule broken.
        "is_correction": True,
        "correction_reason": "核减",
        field: amount,
    }
    admitted = jsonschema_rs.validator_for(progress_in["properties"][field]).is_valid(amount)

    response = api_for("staff_cyfz").post(
        "/api/project-progress", body, content_type="application/json"
    )

    saved = ProgressReport.objects.filter(project=june_report.project, period="2022-07")
    if admitted:
        assert response.status_code == 201, response.content
        assert saved.exists()
    else:
        assert response.status_code == 422, response.content
        assert field in response.json()["errors"]
        assert not saved.exists()


def test_the_schema_offers_an_amount_as_a_decimal_string(progress_in):
    amount = progress_in["properties"]["invested_ytd"]
    assert jsonschema_rs.validator_for(amount).is_valid("499.65")
    assert not jsonschema_rs.validator_for(amount).is_valid("")
