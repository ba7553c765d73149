"""A NUL byte in a query value used to reach PostgreSQL and answer 500 (found by schemathesis)."""

import pytest


@pytest.mark.parametrize(
    ("url", "status"), [("/api/indicators?q=a%00b", 422), ("/indicators/observations/?q=%00", 400)]
)
def test_a_nul_byte_in_a_query_is_refused_before_the_database(client_for, url, status):
    response = client_for("leader").get(url)
    assert response.status_code == status
    assert "NUL" in response.content.decode()


def test_a_nul_escape_in_a_json_body_is_refused_before_the_database(client_for):
    # "\u0000" inside a JSON string decodes to NUL: PostgreSQL refuses it as a 500 otherwise.
    response = client_for("statistician").post(
        "/api/observations",
        data='{"unit": "hy-gxq", "indicator": "gdp", "period": "2022-06", "value": "1",'
        ' "source": "a\\u0000b"}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]


def test_a_backslash_followed_by_u0000_in_text_is_not_a_nul(client_for):
    # An escaped backslash before "u0000" is ordinary text, not a NUL: not refused for that.
    response = client_for("statistician").post(
        "/api/observations",
        data='{"unit": "nope", "indicator": "gdp", "period": "2022-06", "value": "1",'
        ' "source": "a\\\\u0000b"}',
        content_type="application/json",
    )
    assert "NUL" not in response.content.decode()
