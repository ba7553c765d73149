"""An observation's page shows its figures as the cockpit does, through the one formatter."""

from decimal import Decimal

from django.urls import reverse

from shouwei.indicators.models import Observation


def test_the_observation_page_shows_growth_as_a_percent_not_the_stored_decimal(client_for):
    obs = Observation.objects.filter(growth=Decimal("11.8"), status="approved").first()
    assert obs is not None, "the demo has a growth of 11.8%"
    page = client_for("leader").get(reverse("indicators:observation_detail", args=[obs.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "11.8%" in html
    assert "11.800" not in html


def test_the_observation_page_shows_value_with_its_unit_and_rank_as_a_place(client_for):
    obs = (
        Observation.objects.filter(status="approved", synthetic=False)
        .exclude(value=None)
        .exclude(published_rank=None)
        .select_related("indicator")
        .first()
    )
    assert obs is not None
    html = client_for("leader").get(obs.get_absolute_url()).content.decode()
    assert f"第{obs.published_rank}名" in html
    assert obs.indicator.measure in html
    assert f"{obs.value}" not in html or obs.value == obs.value.to_integral_value()
