from datetime import date
from types import SimpleNamespace

import pytest

from shouwei.core import clock
from shouwei.core.choices import Role
from shouwei.core.models import Unit
from tests.factories import user_with_role


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def without_demo_supervision(request):
    """The session loads the whole demo once (goals, notices, a scheme); these tests build
    their own records, so they start without the demo's (rolled back with the test)."""
    if "demo" in request.fixturenames or "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from shouwei.supervision import models as m

    for model in (
        m.DepartmentScore,
        m.ScoreRun,
        m.ScoreAdjustment,
        m.SchemeItem,
        m.PerformanceScheme,
        m.ExtensionRequest,
        m.SupervisionNotice,
        m.ProgressReport,
        m.Milestone,
        m.TaskBook,
        m.Goal,
        m.SafetyIncident,
        m.Arrears,
    ):
        model.objects.all().delete()


@pytest.fixture
def frozen(db):
    """``frozen(date(2022, 8, 31))``: business dates run as of that day (core.clock's demo
    date, rolled back with the test)."""

    def set_day(day: date) -> date:
        clock.set_demo_date(day)
        return day

    return set_day


@pytest.fixture
def people(db):
    """The zone's office (督查绩效办), two department clerks and a leader."""
    gxq = Unit.objects.get(code="hy-gxq")
    cyfz = Unit.objects.get(code="hy-gxq-cyfz")
    jjhz = Unit.objects.get(code="hy-gxq-jjhz")
    return SimpleNamespace(
        gxq=gxq,
        cyfz=cyfz,
        jjhz=jjhz,
        czj=Unit.objects.get(code="hy-gxq-czj"),
        office=user_with_role(Role.SUPERVISOR, gxq, username="t-office"),
        leader=user_with_role(Role.LEADER, gxq, username="t-leader"),
        clerk=user_with_role(Role.STAFF, cyfz, username="t-clerk-cyfz"),
        other=user_with_role(Role.STAFF, jjhz, username="t-clerk-jjhz"),
    )
