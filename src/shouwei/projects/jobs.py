"""Periodic jobs of the key-projects app (run by ``shouwei worker``, see core.schedule)."""

from datetime import timedelta

from shouwei.core import clock
from shouwei.core.schedule import periodic

from . import services


@periodic("projects.escalate_overdue", every=timedelta(hours=1))
def escalate_overdue() -> int:
    """Overdue problems go to the leaders and the owning department, once each."""
    return services.escalate_overdue(today=clock.today())
