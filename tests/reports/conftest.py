import pytest


@pytest.fixture
def build(demo):
    """``build(kind, unit, period, by="admin")`` → a report built inline."""
    from shouwei.reports.services import request_report

    def make(kind="half-year", unit="hy-gxq", period="2022H1", by="admin"):
        user = demo[by] if isinstance(by, str) else by
        return request_report(kind=kind, unit=unit, period=period, by=user, inline=True)

    return make


@pytest.fixture
def half_year(build):
    """hy-gxq 2022H1 built inline as the demo's admin."""
    return build()
