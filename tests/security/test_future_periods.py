"""Periods that have not begun are refused: an import took 2099-12 for an observation and
2099-01 for progress, and one 2099 draft moved the leader's cockpit to 2099年."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from shouwei.core import clock
from shouwei.core.periods import PeriodError, refuse_beyond_plan_years, refuse_future
from shouwei.imports.models import ImportStatus
from shouwei.indicators.models import Observation, Target
from shouwei.projects.models import ProgressReport
from tests.imports.helpers import last_batch, row, upload, xlsx_bytes


def test_a_period_that_has_begun_passes_and_a_later_one_is_refused():
    today = date(2026, 12, 3)
    for code in ("2026-12", "2026Q4", "2026H2", "2026", "2022-06"):
        refuse_future(code, today=today)
    for code in ("2027-01", "2027Q1", "2027", "2099-12"):
        with pytest.raises(PeriodError, match="尚未开始"):
            refuse_future(code, today=today)


def test_the_demo_clock_is_the_business_today(db):
    clock.set_demo_date(date(2022, 7, 29))
    refuse_future("2022-07")
    with pytest.raises(PeriodError):
        refuse_future("2022-08")


def test_a_plan_may_look_one_year_ahead_by_default(settings):
    today = date(2026, 12, 3)
    refuse_beyond_plan_years(2027, today=today)
    with pytest.raises(PeriodError, match="最晚 2027"):
        refuse_beyond_plan_years(2028, today=today)
    settings.SHOUWEI_PLAN_YEARS_AHEAD = 0
    with pytest.raises(PeriodError):
        refuse_beyond_plan_years(2027, today=today)


def test_an_observation_for_2099_is_a_422_on_the_api(api_for):
    before = Observation.objects.count()
    response = api_for("statistician").post(
        "/api/observations",
        {"unit": "hy-gxq", "indicator": "gdp", "period": "2099-12", "value": "1"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "尚未开始" in str(response.json())
    assert Observation.objects.count() == before


def test_progress_for_2099_is_a_422_on_the_api(api_for, demo):
    report = ProgressReport.objects.filter(
        period="2022-06", project__responsible_unit__code="hy-gxq-cyfz"
    ).first()
    response = api_for("staff_cyfz").post(
        "/api/project-progress",
        {
            "project": report.project.code,
            "period": "2099-01",
            "invested_this_month": "1",
            "invested_ytd": str(report.invested_ytd + 1),
            "stage": report.stage,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not ProgressReport.objects.filter(period="2099-01").exists()


def test_an_import_of_2099_is_refused_and_writes_nothing(client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("statistician")
    upload(client, xlsx_bytes([row(period="2099-12")]))
    batch = last_batch()
    assert batch.status == ImportStatus.INVALID
    assert any("尚未开始" in e["message"] for e in batch.errors)
    assert not Observation.objects.filter(period="2099-12").exists()


def test_a_target_beyond_the_plan_years_is_refused(demo):
    target = Target.objects.first()
    target.year = clock.today().year + 5
    with pytest.raises(ValidationError) as exc:
        target.full_clean()
    assert "year" in exc.value.message_dict
