"""The article's investment-attraction figures (FACTS.md) come out of the demo's lead records."""

from datetime import date
from decimal import Decimal

import pytest

from shouwei.investment import selectors
from shouwei.investment.models import Contract, Lead, Office

pytestmark = pytest.mark.django_db
AS_OF = date(2022, 7, 29)


@pytest.fixture
def summary(demo):
    return selectors.attraction_summary(demo["leader"], year=2022, until=AS_OF)


def test_twenty_major_projects_are_signed_for_over_70_yi(summary):
    assert summary.signed_count == 20
    assert summary.signed_amount == Decimal("711600")  # 万元
    assert summary.signed_amount_yi == Decimal("71.16")
    assert summary.signed_amount_yi > 70


def test_five_were_signed_at_major_events(summary):
    assert summary.event_count == 5


def test_two_are_of_the_three_500_lists_and_they_are_huya_and_alibaba(summary):
    assert summary.fortune_count == 2
    assert sorted(summary.fortune_names) == sorted(["虎牙直播", "阿里巴巴数字经济产业园"])


def test_sixteen_intended_projects_include_hangzhou_boke(summary):
    assert summary.intended_count == 16
    assert "杭州铂科电子" in summary.intended_names


def test_the_resident_office_is_in_shenzhen(demo):
    office = Office.objects.get(name="粤港澳大湾区招商办事处")
    assert office.city == "深圳"
    assert office.established_on.year == 2022


def test_the_three_projects_to_fulfil_have_signed_contracts(demo):
    names = ["虎牙直播孵化基地项目", "阿里巴巴集团数字经济产业园", "数字经济人才(衡阳)实训基地"]
    contracts = Contract.objects.filter(lead__project_name__in=names)
    assert contracts.count() == 3
    assert all(c.signed_amount > 0 for c in contracts)


def test_the_counts_follow_the_records(demo):
    """Not typed: one more lead signed this year is one more in the figure."""
    before = selectors.attraction_summary(demo["leader"], year=2022, until=AS_OF)
    lead = Lead.objects.get(short_name="杭州铂科电子")
    Contract.objects.create(lead=lead, signed_amount=Decimal(30000), signed_on=date(2022, 7, 20))
    after = selectors.attraction_summary(demo["leader"], year=2022, until=AS_OF)
    assert after.signed_count == before.signed_count + 1
    assert after.signed_amount == before.signed_amount + 30000


def test_another_department_sees_none_of_it(demo):
    summary = selectors.attraction_summary(demo["staff_cyfz"], year=2022, until=AS_OF)
    assert summary.signed_count == 0 and summary.intended_count == 0
