"""Periodic jobs of the key-projects app (run by ``shouwei worker``, see core.schedule)."""

from datetime import timedelta

from shouwei.core import clock
from shouwei.core.schedule import periodic

from . import services


@periodic("projects.escalate_overdue", every=timedelta(hours=1))
def escalate_overdue() -> int:
    """Overdue problems go to the leaders and the owning department, once each."""
    return services.escalate_overdue(today=clock.today())


@periodic("projects.remind_calls", every=timedelta(hours=1))
def remind_calls() -> dict[str, int]:
    """催报: units with unanswered rows of open scheduling calls, before and after the
    deadline, and their leaders when still late (once each)."""
    return services.remind_calls(today=clock.today())
