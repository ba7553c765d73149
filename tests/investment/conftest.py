from datetime import date
from decimal import Decimal

import pytest

from shouwei.investment import services
from tests.factories import LeadFactory, ThresholdFactory


@pytest.fixture
def clerk(demo):
    return demo["staff_jjhz"]


@pytest.fixture
def lead(db):
    return LeadFactory()


@pytest.fixture
def threshold(db):
    return ThresholdFactory()


@pytest.fixture
def reviewed(lead, clerk, threshold):
    """A lead at 洽谈 with a passed admission review."""
    for stage, on in (("contact", date(2022, 2, 1)), ("intent", date(2022, 3, 1))):
        services.lead_move(by=clerk, lead=lead, to_stage=stage, on=on)
    services.lead_move(by=clerk, lead=lead, to_stage="negotiation", on=date(2022, 4, 1))
    services.review_record(
        by=clerk,
        lead=lead,
        reviewed_on=date(2022, 4, 10),
        energy_use=Decimal(100),
        industry_fit=True,
        decision="passed",
        members="张三\n李四",
    )
    lead.refresh_from_db()
    return lead


@pytest.fixture
def signed(reviewed, clerk):
    services.lead_move(
        by=clerk,
        lead=reviewed,
        to_stage="signed",
        on=date(2022, 5, 1),
        signed_amount=Decimal(30000),
    )
    reviewed.refresh_from_db()
    return reviewed
