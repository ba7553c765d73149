"""Periodic jobs of the investment-attraction app (run by ``shouwei worker``, see core.schedule)."""

from datetime import timedelta

from shouwei.core.schedule import periodic

from . import services


@periodic("investment.funds_follow_projects", every=timedelta(hours=6))
def funds_follow_projects() -> int:
    """实际到位资金 of the contracts whose lead became a key project follow the project's
    completed investment, as its monthly progress reports come in."""
    return services.funds_follow_projects()
