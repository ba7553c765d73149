"""The four record parts for a second, synthetic unit: its own figures, no Hengyang text; and
no unit's reader sees another unit's records."""

from datetime import date
from decimal import Decimal

import pytest

from shouwei.core.choices import Role, UnitKind
from shouwei.core.models import Unit
from shouwei.core.periods import Period
from shouwei.enterprises.models import LiaisonAssignment
from shouwei.investment.models import Contract
from shouwei.projects.choices import ProjectLevel, Stage
from shouwei.projects.models import AnnualPlan, ProgressReport, Project
from shouwei.supervision.models import Goal
from tests.factories import EnterpriseFactory, LeadFactory, UnitFactory, user_with_role

from .sections import build, figures, plain, sources_resolve

pytestmark = pytest.mark.django_db
H1 = Period.parse("2022H1")
KEYS = ("projects", "investment", "enterprise", "targets")


@pytest.fixture
def valley(demo):
    """云谷高新区 with one department, and one of each record."""
    zone = UnitFactory(code="yg-zone", name="云谷高新区", kind=UnitKind.ZONE)
    dept = UnitFactory(code="yg-zone-dev", name="云谷发展局", kind=UnitKind.DEPARTMENT, parent=zone)
    leader = user_with_role(Role.LEADER, zone, username="yg_leader")
    cadre = user_with_role(Role.STAFF, dept, username="yg_cadre")
    project = Project.objects.create(
        code="yg-001",
        name="云谷算力中心",
        level=ProjectLevel.PROVINCIAL,
        industry="I65",
        total_investment=Decimal("12.5"),
        responsible_unit=dept,
        start_date=date(2022, 2, 1),
        stage=Stage.CONSTRUCTION,
    )
    AnnualPlan.objects.create(project=project, year=2022, planned_investment=Decimal("4"))
    ProgressReport.objects.create(
        project=project,
        period="2022-06",
        invested_this_month=Decimal("1"),
        invested_ytd=Decimal("3"),
        stage=Stage.CONSTRUCTION,
    )
    lead = LeadFactory(project_name="云谷智能终端项目", owner_unit=dept, stage="signed")
    Contract.objects.create(
        lead=lead, signed_amount=Decimal("25000"), signed_on=date(2022, 5, 10), funds_in_place=0
    )
    served = EnterpriseFactory(name="云谷电子有限公司", street=None, liaison_unit=dept)
    EnterpriseFactory(name="云谷材料有限公司", street=None, liaison_unit=dept)
    LiaisonAssignment.objects.create(
        cadre=cadre, unit=dept, enterprise=served, starts_on=date(2022, 1, 1)
    )
    Goal.objects.create(
        unit=zone,
        year=2022,
        code="g01",
        title="云谷年度综合考核进入前五",
        source="云谷工作会议",
        responsible_leader="管委会负责人",
    )
    return zone, leader


def test_a_second_unit_gets_its_own_figures_and_no_hengyang_text(valley, client_for):
    zone, leader = valley
    sections = {k: build(k, user=leader, unit=zone, period=H1) for k in KEYS}
    f = {k: figures(s) for k, s in sections.items()}
    assert f["projects"]["projects.count"] == 1
    assert f["projects"]["projects.total_investment"] == Decimal("12.5")
    assert f["projects"]["projects.planned"] == Decimal("4")
    assert f["projects"]["projects.rate"] == Decimal("75.0")
    assert f["investment"]["investment.signed.count"] == 1
    assert f["investment"]["investment.signed.amount"] == Decimal("2.5")
    assert "investment.signed.fortune" not in f["investment"]
    assert f["enterprise"]["enterprise.cadres"] == 1
    assert f["enterprise"]["enterprise.enterprises"] == 1
    assert f["enterprise"]["enterprise.uncovered"] == 1
    assert f["targets"]["targets.count"] == 1
    for key, section in sections.items():
        text = plain(section)
        assert "衡阳" not in text and "衡山" not in text and "虎牙" not in text, key
        assert "云谷" in text, key


def test_the_other_units_reader_sees_nothing_of_hengyang(valley, demo):
    zone, leader = valley
    gxq = Unit.objects.get(code="hy-gxq")
    for key in KEYS:
        assert build(key, user=leader, unit=gxq, period=H1) is None, key
        assert build(key, user=demo["leader"], unit=zone, period=H1) is None, key


def test_every_source_of_the_second_unit_opens_for_its_reader(valley):
    from django.test import Client

    zone, leader = valley
    client = Client()
    client.force_login(leader)
    for key in KEYS:
        sources_resolve(build(key, user=leader, unit=zone, period=H1), client)


def test_a_period_without_records_has_nothing_to_say(demo):
    gxq = Unit.objects.get(code="hy-gxq")
    for key in KEYS:
        assert build(key, user=demo["leader"], unit=gxq, period=Period.parse("2019H1")) is None
