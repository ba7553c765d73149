"""Periodic jobs of the enterprise-service app (run by ``shouwei worker``, see core.schedule)."""

from datetime import timedelta

from shouwei.core import clock
from shouwei.core.schedule import periodic

from . import services


@periodic("enterprises.escalate_overdue", every=timedelta(hours=1))
def escalate_overdue() -> int:
    """Requests past their time limit go to the department head, then to the leader."""
    return services.escalate_overdue(today=clock.today())
