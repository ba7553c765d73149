"""The admission review against the zone's thresholds, at their boundaries (reaching a
threshold exactly meets it)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shouwei.investment import services

pytestmark = pytest.mark.django_db


def _assess(lead, threshold, *, energy="100", fit=True):
    return services.assess(
        lead=lead, threshold=threshold, energy_use=Decimal(energy), industry_fit=fit
    )


@pytest.mark.parametrize(
    ("investment", "ok"),
    [("30000", True), ("30000.01", True), ("29999", False)],
)
def test_investment_intensity_at_the_boundary(lead, threshold, investment, ok):
    # 100 亩; the threshold is 300 万元/亩.
    lead.planned_investment = Decimal(investment)
    assert _assess(lead, threshold).intensity_ok is ok


@pytest.mark.parametrize(("tax", "ok"), [("1500", True), ("1499", False), ("1600", True)])
def test_tax_per_mu_at_the_boundary(lead, threshold, tax, ok):
    lead.expected_tax = Decimal(tax)
    assert _assess(lead, threshold).tax_ok is ok


@pytest.mark.parametrize(("energy", "ok"), [("5000", True), ("5000.01", False)])
def test_energy_at_the_boundary(lead, threshold, energy, ok):
    assert _assess(lead, threshold, energy=energy).energy_ok is ok


def test_a_lead_asking_no_land_is_judged_on_energy_and_fit(lead, threshold):
    lead.land_mu = None
    a = _assess(lead, threshold)
    assert a.intensity is None and a.meets
    assert not _assess(lead, threshold, fit=False).meets


def _review(lead, clerk, **kw):
    fields = {
        "reviewed_on": date(2022, 4, 1),
        "energy_use": Decimal(100),
        "industry_fit": True,
        "decision": "passed",
        "members": "张三",
    }
    return services.review_record(by=clerk, lead=lead, **(fields | kw))


def test_a_review_records_the_figures_and_the_result(lead, clerk, threshold):
    review = _review(lead, clerk)
    assert review.intensity == Decimal("300.00") and review.tax_per_mu == Decimal("20.00")
    assert review.meets_thresholds and review.passed


def test_passing_a_lead_below_the_thresholds_needs_an_override_reason(lead, clerk, threshold):
    lead.planned_investment = Decimal(29999)
    lead.save()
    with pytest.raises(ValidationError) as exc:
        _review(lead, clerk)
    assert "投资强度" in " ".join(exc.value.messages)
    assert not lead.reviews.exists()
    review = _review(lead, clerk, override_reason="产业链关键环节，党工委会议同意")
    assert review.passed and not review.meets_thresholds


def test_failing_a_lead_needs_no_reason(lead, clerk, threshold):
    assert not _review(lead, clerk, decision="failed", industry_fit=False).passed


def test_a_review_without_thresholds_for_its_year_is_refused(lead, clerk, threshold):
    with pytest.raises(ValidationError) as exc:
        _review(lead, clerk, reviewed_on=date(2021, 4, 1))
    assert "准入标准" in " ".join(exc.value.messages)


def test_a_failed_review_does_not_open_the_signing(lead, clerk, threshold):
    _review(lead, clerk, decision="failed")
    with pytest.raises(ValidationError):
        services.lead_move(
            by=clerk, lead=lead, to_stage="signed", on=date(2022, 5, 1), signed_amount=Decimal(1)
        )
