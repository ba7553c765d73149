"""Query counts of the enterprise-service pages: pinned to tests/enterprises/query_counts.json,
and the same with N rows as with 5N rows (no query per row)."""

from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from shouwei.core.choices import Role
from shouwei.core.testing import assert_queries_constant, assert_query_count
from shouwei.enterprises import services
from shouwei.enterprises.models import EnterpriseContact, LiaisonAssignment, Request, Visit
from tests.factories import EnterpriseFactory, UserFactory, user_with_role

BASELINE = Path(__file__).with_name("query_counts.json")
N = 3


def _enterprise(zone):
    return EnterpriseFactory()


def _contact(zone):
    return EnterpriseContact.objects.create(
        enterprise=EnterpriseFactory(), username=f"qc-contact-{UserFactory().username}"
    )


def _assignment(zone):
    cadre = user_with_role(Role.LIAISON, zone.cyfz, username=f"qc-{UserFactory().username}")
    return LiaisonAssignment.objects.create(
        cadre=cadre, unit=zone.cyfz, enterprise=EnterpriseFactory(), starts_on=date(2022, 1, 1)
    )


def _visit(zone):
    return Visit.objects.create(
        enterprise=EnterpriseFactory(),
        cadre=UserFactory(),
        visited_on=date(2022, 7, 1),
        kind="onsite",
        findings="走访",
    )


def _request(zone):
    req = services.request_file(
        by=zone.cadre, enterprise=EnterpriseFactory(), category="land", description="用地"
    )
    return services.request_accept(by=zone.dispatcher, request=req, department=zone.jjhz)


def _own_request(zone):
    return services.request_file(
        by=zone.contact, enterprise=zone.enterprise, category="land", description="用地"
    )


def _add(make):
    def add(zone, n):
        for _ in range(n):
            make(zone)

    return add


def _viewer(zone, name):
    if name == "admin":
        return UserFactory(username="qc-admin", is_superuser=True, is_staff=True)
    return {"leader": zone.leader, "staff": zone.dispatcher, "cadre": zone.cadre}[name]


PAGES = {
    "enterprises:enterprise_list": (_add(_enterprise), ("admin", "leader", "staff")),
    "enterprises:enterprisecontact_list": (_add(_contact), ("admin", "staff")),
    "enterprises:liaisonassignment_list": (_add(_assignment), ("admin", "leader", "staff")),
    "enterprises:visit_list": (_add(_visit), ("admin", "leader", "staff")),
    "enterprises:request_list": (_add(_request), ("admin", "leader", "staff")),
    "enterprises:desk": (_add(_request), ("admin", "leader", "staff")),
    "enterprises:coverage": (_add(_enterprise), ("admin", "leader")),
    "enterprises:figures": (_add(_request), ("admin", "leader")),
    "enterprises:my_assignments": (_add(_assignment), ("cadre",)),
}
CASES = [(url, viewer) for url, (_grow, viewers) in sorted(PAGES.items()) for viewer in viewers]


@pytest.mark.parametrize(("url_name", "viewer"), CASES)
def test_page_runs_the_same_queries_for_n_and_5n_rows(zone, url_name, viewer):
    add = PAGES[url_name][0]
    client = Client()
    client.force_login(_viewer(zone, viewer))
    url = reverse(url_name) + ("?per_page=200" if url_name.endswith("_list") else "")

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    add(zone, N)
    assert_queries_constant(fetch, lambda: add(zone, 4 * N))
    with assert_query_count(f"{url_name}:{viewer}", BASELINE):
        fetch()


def test_the_contact_s_page_runs_the_same_queries_for_n_and_5n_requests(zone):
    client = Client()
    client.force_login(zone.contact)
    url = reverse("enterprises:contact_home")

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    _add(_own_request)(zone, N)
    assert_queries_constant(fetch, lambda: _add(_own_request)(zone, 4 * N))
    with assert_query_count("enterprises:contact_home:contact", BASELINE):
        fetch()


def test_the_request_export_runs_the_same_queries_for_n_and_5n_rows(zone):
    client = Client()
    client.force_login(zone.leader)
    url = reverse("enterprises:request_list") + "?export=csv"

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    _add(_request)(zone, N)
    assert_queries_constant(fetch, lambda: _add(_request)(zone, 4 * N))
    with assert_query_count("enterprises:request_list:export-csv", BASELINE):
        fetch()


@pytest.mark.parametrize("viewer", ["admin", "leader"])
def test_detail_pages_are_pinned(zone, viewer):
    client = Client()
    client.force_login(_viewer(zone, viewer))
    req = _request(zone)
    for name, obj in (("enterprise_detail", req.enterprise), ("request_detail", req)):
        with assert_query_count(f"enterprises:{name}:{viewer}", BASELINE):
            assert client.get(reverse(f"enterprises:{name}", args=[obj.pk])).status_code == 200
    assert Request.objects.count() == 1
