from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import models
from django.test import Client

from shouwei.core.choices import Role, UnitKind
from shouwei.projects.choices import ProjectLevel, Stage
from shouwei.projects.models import AnnualPlan, ProgressReport, Project
from tests.factories import UnitFactory, user_with_role


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The fixtures set a password per account; nothing here tests hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def without_demo_projects(request):
    """The session loads the whole demo once; these tests build their own projects, so they
    start without the demo's 49 (rolled back with the test's transaction)."""
    if "demo" in request.fixturenames or "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from shouwei.projects.models import (
        FundingSource,
        Problem,
        Procedure,
        RollingPlan,
        SchedulingCall,
        Stoppage,
    )

    for model in (SchedulingCall, Procedure, FundingSource, RollingPlan, Stoppage):
        model.objects.all().delete()  # a call's rows go with it
    Problem.objects.all().delete()
    ProgressReport.objects.all().delete()
    AnnualPlan.objects.all().delete()
    # Other apps' records that protect a project (an enterprise liaison's assignment) go too.
    for rel in Project._meta.related_objects:
        if rel.on_delete is models.PROTECT:
            rel.related_model._base_manager.all().delete()
    Project.objects.all().delete()


@pytest.fixture
def zone(db):
    """A zone with two departments, a clerk in each and a leader over both (no demo load)."""
    gxq = UnitFactory(code="hy-gxq", name="衡阳高新区", kind=UnitKind.ZONE)
    cyfz = UnitFactory(code="hy-gxq-cyfz", name="产业发展局", kind=UnitKind.DEPARTMENT, parent=gxq)
    jjhz = UnitFactory(code="hy-gxq-jjhz", name="经济合作局", kind=UnitKind.DEPARTMENT, parent=gxq)
    return SimpleNamespace(
        gxq=gxq,
        cyfz=cyfz,
        jjhz=jjhz,
        staff_cyfz=user_with_role(Role.STAFF, cyfz, username="staff_cyfz"),
        staff_jjhz=user_with_role(Role.STAFF, jjhz, username="staff_jjhz"),
        leader=user_with_role(Role.LEADER, gxq, username="leader"),
    )


def make_project(unit, *, code="test-001", start=date(2022, 3, 10), plan="10", **extra):
    p = Project.objects.create(
        code=code,
        name=extra.pop("name", f"测试项目{code}"),
        level=extra.pop("level", ProjectLevel.MUNICIPAL),
        industry="C39",
        total_investment=Decimal("40"),
        responsible_unit=unit,
        start_date=start,
        stage=Stage.PRELIMINARY,
        **extra,
    )
    if plan is not None:
        AnnualPlan.objects.create(project=p, year=2022, planned_investment=Decimal(plan))
    return p


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def make_report(project, period="2022-06", ytd="6", *, entered=None):
    """A month's report written straight to the table (the rules are tested elsewhere)."""
    return ProgressReport.objects.create(
        project=project,
        period=period,
        invested_this_month=Decimal(ytd),
        invested_ytd=Decimal(ytd),
        stage=Stage.CONSTRUCTION,
        entered_statistics_on=entered,
    )


@pytest.fixture
def project(zone):
    """产业发展局's municipal project, started 2022-03-10, planned 10 亿 for 2022."""
    return make_project(zone.cyfz)
