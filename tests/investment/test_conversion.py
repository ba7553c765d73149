"""A signed lead becomes a key project without retyping, linked both ways; the project's
investment completed feeds the contract's funds in place."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shouwei.investment import services
from shouwei.investment.models import Contract, Lead
from shouwei.projects.models import ProgressReport, Project

pytestmark = pytest.mark.django_db


def test_a_signed_lead_becomes_a_key_project_linked_both_ways(signed, clerk):
    project = services.lead_to_project(by=clerk, lead=signed, code="zs-2022-900", level="district")
    signed.refresh_from_db()
    assert signed.project == project
    assert Project.objects.get(pk=project.pk).investment_lead == signed
    assert project.name == signed.project_name and project.owner_enterprise == signed.investor
    assert project.total_investment == Decimal("3.00")  # 30000 万元
    assert project.responsible_unit == signed.owner_unit


def test_an_unsigned_lead_cannot_be_converted(lead, clerk):
    with pytest.raises(ValidationError):
        services.lead_to_project(by=clerk, lead=lead, code="zs-2022-901", level="district")
    assert not Project.objects.filter(code="zs-2022-901").exists()


def test_a_lead_is_converted_once(signed, clerk):
    services.lead_to_project(by=clerk, lead=signed, code="zs-2022-902", level="district")
    with pytest.raises(ValidationError):
        services.lead_to_project(by=clerk, lead=signed, code="zs-2022-903", level="district")


def test_another_department_cannot_convert(signed, demo):
    with pytest.raises(PermissionDenied):
        services.lead_to_project(
            by=demo["staff_cyfz"], lead=signed, code="zs-2022-904", level="district"
        )


def test_a_bad_code_leaves_no_project_and_no_link(signed, clerk):
    with pytest.raises(ValidationError):
        services.lead_to_project(by=clerk, lead=signed, code="bad code!", level="district")
    signed.refresh_from_db()
    assert signed.project is None


def test_the_projects_investment_completed_feeds_the_funds_in_place(signed, clerk):
    project = services.lead_to_project(by=clerk, lead=signed, code="zs-2022-905", level="district")
    for period, month, ytd in (("2022-05", "0.4", "0.4"), ("2022-06", "0.6", "1.0")):
        ProgressReport.objects.create(
            project=project,
            period=period,
            invested_this_month=Decimal(month),
            invested_ytd=Decimal(ytd),
            stage="started",
        )
    contract = services.funds_from_project(by=clerk, contract=signed.contract_record)
    assert contract.funds_in_place == Decimal("10000")  # 1.0 亿元
    assert Contract.objects.get(pk=contract.pk).fulfilment_rate == Decimal(10000) / 30000


def test_the_convert_page_needs_only_code_and_level(client_for):
    lead = Lead.objects.get(short_name="虎牙直播")
    c = client_for("staff_jjhz")
    url = reverse("investment:lead_convert", args=[lead.pk])
    assert c.get(url).status_code == 200
    response = c.post(url, {"code": "zs-2022-hy", "level": "district"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.project.code == "zs-2022-hy"
    assert response["Location"] == lead.project.get_absolute_url()
    assert lead.project.start_date == date(2022, 10, 31)  # the contract's planned start


def _page(client, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(project.get_absolute_url() + "?period=2022-06")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_project_page_links_back_to_its_lead_in_the_same_queries(signed, clerk, client_for):
    from shouwei.projects import services as project_services

    project = services.lead_to_project(by=clerk, lead=signed, code="zs-2022-910", level="district")
    fields = {**services.project_fields(signed), "name": "不是招商来的项目"}
    plain = project_services.project_create(
        by=clerk, code="zs-2022-911", level="district", **fields
    )
    c = client_for("staff_jjhz")
    _page(c, plain)  # warm the per-user caches
    html, with_lead = _page(c, project)
    assert f'href="{signed.get_absolute_url()}"' in html and "由招商线索签约转入" in html
    other, without = _page(c, plain)
    assert "由招商线索签约转入" not in other
    assert with_lead == without
    leader_html, _n = _page(client_for("leader"), project)
    assert f'href="{signed.get_absolute_url()}"' in leader_html


def test_the_link_is_only_for_those_who_read_the_lead(signed, clerk, client_for):
    from shouwei.core.models import Unit

    project = services.lead_to_project(by=clerk, lead=signed, code="zs-2022-912", level="district")
    # The project is handed to 产业发展局, whose clerk reads it but not 经济合作局's leads.
    Project.objects.filter(pk=project.pk).update(
        responsible_unit=Unit.objects.get(code="hy-gxq-cyfz")
    )
    html, _n = _page(client_for("staff_cyfz"), project)
    assert project.name in html and "由招商线索签约转入" not in html


def test_the_periodic_job_keeps_the_funds_in_place_with_the_project(signed, clerk):
    from shouwei.core.schedule import jobs

    project = services.lead_to_project(by=clerk, lead=signed, code="zs-2022-906", level="district")
    ProgressReport.objects.create(
        project=project,
        period="2022-05",
        invested_this_month=Decimal("0.4"),
        invested_ytd=Decimal("0.4"),
        stage="started",
    )
    job = jobs()["investment.funds_follow_projects"]

    assert job.func() >= 1
    contract = Contract.objects.get(pk=signed.contract_record.pk)
    assert contract.funds_in_place == Decimal("4000")  # 0.4 亿元
    assert contract.history.first().history_change_reason == "按重点项目累计完成投资自动更新"

    # Unchanged next time: nothing written.
    before = contract.history.count()
    services.funds_follow_projects()
    assert Contract.objects.get(pk=contract.pk).history.count() == before

    # A month more, above the signed 3 亿元: followed, with the note the form asks for.
    ProgressReport.objects.create(
        project=project,
        period="2022-06",
        invested_this_month=Decimal("2.8"),
        invested_ytd=Decimal("3.2"),
        stage="started",
    )
    services.funds_follow_projects()
    contract.refresh_from_db()
    assert contract.funds_in_place == Decimal("32000")
    assert "超过签约金额" in contract.funds_note


def test_the_job_leaves_contracts_without_a_project_alone(signed):
    before = signed.contract_record.funds_in_place
    services.funds_follow_projects()
    assert Contract.objects.get(pk=signed.contract_record.pk).funds_in_place == before
