import pytest


@pytest.fixture
def half_year(demo):
    """hy-gxq 2022H1 built inline as the demo's admin."""
    from shouwei.reports.services import request_report

    return request_report(
        kind="half-year", unit="hy-gxq", period="2022H1", by=demo["admin"], inline=True
    )
