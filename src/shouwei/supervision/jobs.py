"""Periodic jobs of the supervision app (run by ``shouwei worker``, see core.schedule)."""

from datetime import timedelta

from shouwei.core import clock
from shouwei.core.schedule import periodic

from . import services


@periodic("supervision.remind", every=timedelta(hours=6))
def remind() -> int:
    """催办: milestones due soon remind their department; overdue ones remind the department
    and the office, and get a draft 督办单 for the office to review and issue."""
    today = clock.today()
    sent = services.remind(today=today)
    return sent + len(services.draft_overdue_notices(today=today))
