"""The enterprise page lists the enterprise's key projects and investment leads (core.related;
the enterprises app imports neither app), only those its reader may see."""

from datetime import date
from decimal import Decimal

from django.test import Client

from shouwei.core.related import enterprise_providers, related_for_enterprise
from shouwei.projects.choices import ProjectLevel, Stage
from shouwei.projects.models import Project
from tests.factories import LeadFactory


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _project(unit, *, code, owner, name=None):
    return Project.objects.create(
        code=code,
        name=name or f"项目{code}",
        level=ProjectLevel.MUNICIPAL,
        industry="C39",
        total_investment=Decimal("12.5"),
        owner_enterprise=owner,
        responsible_unit=unit,
        start_date=date(2022, 3, 10),
        stage=Stage.PRELIMINARY,
    )


def test_projects_and_investment_register_their_providers():
    assert [p.key for p in enterprise_providers()][:2] == ["projects", "investment"]


def test_the_page_lists_the_projects_and_leads_of_the_enterprise(zone):
    _project(zone.jjhz, code="rel-001", owner=zone.enterprise.name, name="联点企业扩产项目")
    _project(zone.jjhz, code="rel-002", owner=zone.other.name, name="别家企业的项目")
    LeadFactory(investor=zone.enterprise.name, project_name="联点企业新线索")
    LeadFactory(investor=zone.other.name, project_name="别家企业的线索")

    html = _client(zone.leader).get(zone.enterprise.get_absolute_url()).content.decode()

    assert 'data-related="projects"' in html and 'data-related="investment"' in html
    assert "联点企业扩产项目" in html and "12.50" in html
    assert "联点企业新线索" in html
    assert "别家企业的项目" not in html and "别家企业的线索" not in html


def test_a_name_that_only_contains_the_enterprise_name_does_not_match(zone):
    _project(zone.jjhz, code="rel-003", owner=zone.enterprise.name + "（分公司）")
    LeadFactory(investor="香港" + zone.enterprise.name)

    sections = related_for_enterprise(
        user=zone.leader, uscc=zone.enterprise.uscc, name=zone.enterprise.name
    )

    assert {s.key: s.rows for s in sections}["projects"] == []
    assert {s.key: s.rows for s in sections}["investment"] == []


def test_another_units_project_and_lead_do_not_leak(zone):
    # The cadre of 产业发展局 reads neither 经济合作局's project nor its lead.
    _project(zone.jjhz, code="rel-004", owner=zone.enterprise.name, name="经合局的项目")
    LeadFactory(investor=zone.enterprise.name, project_name="经合局的线索")
    _project(zone.cyfz, code="rel-005", owner=zone.enterprise.name, name="产发局的项目")

    page = _client(zone.cadre).get(zone.enterprise.get_absolute_url())

    assert page.status_code == 200
    html = page.content.decode()
    assert "产发局的项目" in html
    assert "经合局的项目" not in html and "经合局的线索" not in html


def test_with_none_the_page_says_so(zone):
    html = _client(zone.leader).get(zone.enterprise.get_absolute_url()).content.decode()

    assert "没有以该企业为业主单位的重点项目" in html
    assert "没有以该企业为投资方的招商线索" in html
