"""Query counts of the investment pages: pinned to tests/investment/query_counts.json, and the
same with N leads as with 5N (no query per row)."""

from datetime import date
from decimal import Decimal
from itertools import count
from pathlib import Path

import pytest
from django.urls import reverse

from shouwei.core.models import Unit
from shouwei.core.testing import assert_queries_constant, assert_query_count
from shouwei.investment.models import (
    ChainLink,
    Contract,
    Event,
    FortuneListEntry,
    IndustryChain,
    LeadStep,
)
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db
BASELINE = Path(__file__).with_name("query_counts.json")
N = 3
_seq = count()


def add_leads(n: int) -> None:
    """Leads each with its own chain link, 500强 entry, event, contract and steps, so that any
    per-row lookup shows up as a query."""
    unit = Unit.objects.get(code="hy-gxq-jjhz")
    for _ in range(n):
        i = next(_seq)
        chain = IndustryChain.objects.create(name=f"查询链{i}", owner_unit=unit)
        link = ChainLink.objects.create(chain=chain, name=f"环节{i}")
        entry = FortuneListEntry.objects.create(
            year=2022, list_class="china", company=f"查询企业{i}", owner_unit=unit
        )
        event = Event.objects.create(
            name=f"查询活动{i}", held_on=date(2022, 3, 1), place="衡阳", owner_unit=unit
        )
        lead = LeadFactory(
            project_name=f"查询计数项目甲{i}乙",
            investor=f"查询投资方{i}",
            channel="event",
            source_event=event,
            chain_link=link,
            fortune_entry=entry,
            stage="signed",
            signed_on=date(2022, 4, 1),
        )
        Contract.objects.create(
            lead=lead,
            signed_amount=Decimal(1000),
            signed_on=date(2022, 4, 1),
            registration_planned=date(2022, 5, 1),
        )
        LeadStep.objects.create(lead=lead, to_stage="lead", on=date(2022, 1, 10))
        LeadStep.objects.create(
            lead=lead, from_stage="lead", to_stage="signed", on=date(2022, 4, 1)
        )


PAGES = {
    "investment:lead_list": "?per_page=200",
    "investment:contract_list": "?per_page=200",
    "investment:event_list": "?per_page=200",
    "investment:board": "",
    "investment:fulfilment": "",
    "investment:funnel": "",
    "investment:chain_gaps": "",
}


@pytest.mark.parametrize("viewer", ["leader", "staff_jjhz"])
@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_pages_run_the_same_queries_for_n_and_5n_leads(client_for, url_name, viewer):
    c = client_for(viewer)
    url = reverse(url_name) + PAGES[url_name]

    def fetch():
        response = c.get(url)
        assert response.status_code == 200
        return response

    add_leads(N)
    assert_queries_constant(fetch, lambda: add_leads(4 * N))
    with assert_query_count(f"{url_name}:{viewer}", BASELINE):
        fetch()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_lead_export_runs_the_same_queries_for_n_and_5n_leads(client_for, fmt):
    c = client_for("leader")
    url = reverse("investment:lead_list") + f"?export={fmt}"

    def fetch():
        assert c.get(url).status_code == 200

    add_leads(N)
    assert_queries_constant(fetch, lambda: add_leads(4 * N))
    with assert_query_count(f"investment:lead_list:export-{fmt}", BASELINE):
        fetch()


@pytest.mark.parametrize("viewer", ["leader", "staff_jjhz"])
def test_the_lead_page_runs_the_same_queries_for_n_and_5n_steps(client_for, viewer):
    from shouwei.investment.models import Lead

    lead = Lead.objects.get(short_name="虎牙直播")
    c = client_for(viewer)

    def fetch():
        assert c.get(lead.get_absolute_url()).status_code == 200

    def grow():
        for i in range(4 * N):
            LeadStep.objects.create(
                lead=lead,
                from_stage="signed",
                to_stage="registered",
                on=date(2022, 7, 18),
                reason=f"步骤{i}",
            )

    assert_queries_constant(fetch, grow)
    with assert_query_count(f"investment:lead_detail:{viewer}", BASELINE):
        fetch()
