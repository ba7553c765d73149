"""Issue 10's findings, each reproduced as it was found and now refused by the write contract:
one rule per model, asked by pages, forms, the API, importers, rollbacks and services alike."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shouwei.core.models import Unit
from shouwei.evaluation_web.models import EvaluationRun
from shouwei.evaluation_web.services import rerun_evaluation
from shouwei.imports.models import ImportBatch, ImportStatus
from shouwei.indicators import services as obs_services
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Indicator, Observation
from shouwei.portal import services as portal_services
from shouwei.portal.choices import ArticleStatus
from shouwei.portal.models import Article
from tests.imports.helpers import last_batch, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHOUWEI_IMPORT_INLINE_ROWS = 1_000_000


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


# --- 1. a rollback checks every record it would undo ----------------------------------------
def test_rollback_of_a_departments_batch_by_the_supervision_office_is_refused_and_keeps_rows(
    client_for, jjhz_indicator
):
    clerk = client_for("staff_jjhz")
    upload(clerk, xlsx_bytes([row(unit="hy-gxq-jjhz", indicator="jjhz-signed", period="2023-05")]))
    batch = last_batch()
    clerk.post(reverse("imports:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED

    response = client_for("supervisor").post(reverse("imports:batch_rollback", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED, response
    assert Observation.objects.filter(import_batch=batch).count() == 1


# --- 2. one observation, one rule: form, API and importer agree -----------------------------
def test_a_department_cannot_file_another_departments_indicator_by_api_form_or_import(
    client_for, api_for
):
    """产业发展局 filing GDP (统计中心's figure) for the zone and for a peer district."""
    for target in ("hy-gxq", "hy-smjk"):
        body = {"unit": target, "indicator": "gdp", "period": "2023-05", "value": "1"}
        api = api_for("staff_cyfz").post(
            "/api/observations",
            {**body, "reporting_unit": "hy-gxq-cyfz"},
            content_type="application/json",
        )
        assert api.status_code in (403, 422), api.content
        form = client_for("staff_cyfz").post(
            reverse("indicators:observation_add"),
            {
                **body,
                "unit": unit(target).pk,
                "indicator": indicator("gdp").pk,
                "reporting_unit": unit("hy-gxq-cyfz").pk,
            },
        )
        assert form.status_code == 400
    upload(client_for("staff_cyfz"), xlsx_bytes([row(unit="hy-gxq", period="2023-05")]))
    assert last_batch().status == ImportStatus.INVALID
    assert not Observation.objects.filter(period="2023-05").exists()


def test_a_blank_reporting_unit_on_the_form_takes_the_indicators_department(client_for):
    response = client_for("staff_cyfz").post(
        reverse("indicators:observation_add"),
        {
            "unit": unit("hy-gxq").pk,
            "indicator": indicator("industrial_va").pk,
            "period": "2023-05",
            "value": "12.5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    obs = Observation.objects.get(period="2023-05")
    assert obs.reporting_unit.code == "hy-gxq-cyfz" and obs.unit.code == "hy-gxq"


# --- 3. an evaluation run is saved only where the user may save one ------------------------
def test_rerunning_the_zones_run_as_a_department_saves_the_new_run_at_the_department(demo):
    zone_run = EvaluationRun.objects.filter(unit__code="hy-gxq").first()
    assert zone_run is not None
    new = rerun_evaluation(user=demo["staff_cyfz"], run=zone_run)
    assert new.unit.code == "hy-gxq-cyfz"
    assert not EvaluationRun.objects.filter(unit__code="hy-gxq", created_by=demo["staff_cyfz"])


# --- 4. choices do not leak ---------------------------------------------------------------
def test_the_projects_liaison_choices_hold_only_people_of_the_users_units(client_for, demo):
    from tests.factories import UserFactory

    outsider = UserFactory(username="outsider_smjk")
    from shouwei.core.choices import Role
    from shouwei.core.models import RoleAssignment

    RoleAssignment.objects.create(user=outsider, unit=unit("hy-smjk"), role=Role.LIAISON)
    page = client_for("staff_cyfz").get(reverse("projects:project_add")).content.decode()
    assert "outsider_smjk" not in page
    assert "liaison" in page


def test_the_observation_form_offers_only_units_the_clerk_may_file_for(client_for):
    page = client_for("staff_jjhz").get(reverse("indicators:observation_add")).content.decode()
    select = re.search(r'<select name="unit".*?</select>', page, re.S).group(0)
    offered = {int(v) for v in re.findall(r'value="(\d+)"', select)}
    # Its own department and the zone it serves; no other department, no peer district.
    assert offered == {unit("hy-gxq-jjhz").pk, unit("hy-gxq").pk}


# --- 5. nobody approves or publishes a state they changed ----------------------------------
def test_a_statistician_who_changed_a_clerks_figure_cannot_approve_it(demo):
    clerk, statistician = demo["staff_cyfz"], demo["statistician"]
    obs = obs_services.observation_create(
        by=clerk,
        unit=unit("hy-gxq"),
        indicator=indicator("industrial_va"),
        period="2023-05",
        value=Decimal("30.1"),
        status=ObservationStatus.SUBMITTED,
    )
    from shouwei.indicators.forms import ObservationForm

    data = {
        "unit": obs.unit_id,
        "indicator": obs.indicator_id,
        "period": obs.period,
        "value": "77.7",
        "reporting_unit": obs.reporting_unit_id,
    }
    form = ObservationForm(data, instance=obs, user=statistician)
    assert form.is_valid(), form.errors
    obs = obs_services.observation_update(by=statistician, instance=obs, **form.cleaned_data)
    assert obs.status == ObservationStatus.DRAFT and obs.entered_by == clerk
    obs_services.observation_submit(observation=obs, by=statistician)
    with pytest.raises(PermissionDenied):
        obs_services.observation_approve(observation=obs, by=statistician)
    obs.refresh_from_db()
    assert obs.status == ObservationStatus.SUBMITTED


def test_a_statistician_who_only_submitted_a_clerks_figure_may_approve_it(demo):
    obs = obs_services.observation_create(
        by=demo["staff_cyfz"],
        unit=unit("hy-gxq"),
        indicator=indicator("industrial_va"),
        period="2023-05",
        value=Decimal("30.1"),
    )
    obs_services.observation_submit(observation=obs, by=demo["statistician"])
    obs_services.observation_approve(observation=obs, by=demo["statistician"])
    assert obs.status == ObservationStatus.APPROVED


def _article_in_review(demo) -> Article:
    from shouwei.portal.models import Channel

    article = portal_services.save_article(
        by=demo["editor"],
        channel=Channel.objects.first(),
        title="测试文章",
        body="<p>正文</p>",
    )
    return portal_services.submit_for_review(by=demo["editor"], article=article)


def test_a_reviewer_who_added_an_attachment_cannot_publish_the_article_alone(demo):
    reviewer = demo["reviewer"]
    article = portal_services.return_to_draft(by=reviewer, article=_article_in_review(demo))
    portal_services.add_attachment(
        by=reviewer, article=article, name="photo.png", data=png(), image=True
    )
    portal_services.submit_for_review(by=reviewer, article=article)
    with pytest.raises(PermissionDenied):
        portal_services.publish(by=reviewer, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_a_reviewer_who_only_returned_an_article_publishes_it_after_the_editor_resubmits(demo):
    reviewer = demo["reviewer"]
    article = portal_services.return_to_draft(by=reviewer, article=_article_in_review(demo))
    portal_services.submit_for_review(by=demo["editor"], article=article)
    portal_services.publish(by=reviewer, article=article)
    assert article.status == ArticleStatus.PUBLISHED


# --- 6. every unit field of a record must be one the user may write for ---------------------
@pytest.mark.parametrize("placed_at", ["hy-gxq-cyfz", "hy-ny"])
def test_naming_ones_own_department_does_not_place_a_figure_elsewhere(
    api_for, jjhz_indicator, placed_at
):
    response = api_for("staff_jjhz").post(
        "/api/observations",
        {
            "unit": placed_at,
            "indicator": "jjhz-signed",
            "period": "2023-05",
            "growth": "-50",
            "reporting_unit": "hy-gxq-jjhz",
        },
        content_type="application/json",
    )
    assert response.status_code in (403, 422), response.content
    assert not Observation.objects.filter(period="2023-05").exists()


def test_the_zones_statistician_cannot_approve_a_peer_districts_figure(demo):
    peer = Observation.objects.create(
        unit=unit("hy-ny"),
        indicator=indicator("gdp"),
        period="2023-05",
        growth=Decimal("-50"),
        reporting_unit=unit("hy-ny"),
        status=ObservationStatus.SUBMITTED,
    )
    with pytest.raises(PermissionDenied):
        obs_services.observation_approve(observation=peer, by=demo["statistician"])


# --- 7. a role reads what its work needs ----------------------------------------------------
def test_a_departments_saved_run_is_not_readable_by_another_department(client_for, demo):
    zone_run = EvaluationRun.objects.filter(unit__code="hy-gxq").first()
    own = rerun_evaluation(user=demo["staff_cyfz"], run=zone_run)
    assert own.unit.code == "hy-gxq-cyfz"
    other = client_for("staff_jjhz")
    assert other.get(reverse("evaluation_web:run_detail", args=[own.pk])).status_code == 404
    assert other.get(reverse("evaluation_web:run_export", args=[own.pk])).status_code == 404


@pytest.mark.parametrize("username", ["editor", "reviewer"])
def test_portal_roles_read_no_drafts_batches_photos_or_problems(client_for, username, demo):
    obs_services.observation_create(
        by=demo["staff_cyfz"],
        unit=unit("hy-gxq"),
        indicator=indicator("industrial_va"),
        period="2023-05",
        value=Decimal("1"),
    )
    client = client_for(username)
    assert not Observation.objects.visible_to(demo[username]).exclude(
        status=ObservationStatus.APPROVED
    )
    assert not ImportBatch.objects.visible_to(demo[username]).exists()
    from shouwei.projects.models import Problem, ProgressPhoto, Project

    for model in (Project, Problem, ProgressPhoto):
        assert not model.objects.visible_to(demo[username]).exists(), model
    page = client.get(reverse("indicators:observation_list") + "?status=draft")
    assert "2023-05" not in page.content.decode()


# --- 8. lineage says what a reader may know --------------------------------------------------
def test_a_published_figure_shows_no_import_file_or_people_to_a_reader_outside_its_units(
    client_for, demo
):
    obs = Observation.objects.filter(
        unit__code="hy-gxq", indicator__code="gdp", status=ObservationStatus.APPROVED
    ).first()
    obs.source = "导入：秘密台账.xlsx"
    obs.entered_by = demo["staff_cyfz"]
    obs.save()
    outside = client_for("editor").get(obs.get_absolute_url()).content.decode()
    assert "秘密台账" not in outside and "产业发展局填报员" not in outside
    assert "staff_cyfz" not in outside
    inside = client_for("statistician").get(obs.get_absolute_url()).content.decode()
    assert "秘密台账" in inside


def test_filter_choices_offer_only_records_the_user_may_read(demo, rf):
    """Finding 4: filter drop-downs were not scoped; harmless over public units, a leak over
    projects, leads or enterprises."""
    import django_filters

    from shouwei.core.filters import SearchFilterSet
    from shouwei.projects.models import Problem, Project

    class ByProject(SearchFilterSet):
        project = django_filters.ModelChoiceFilter(queryset=Project.objects.all())

        class Meta:
            model = Problem
            fields = ["project"]

    request = rf.get("/")
    request.user = demo["staff_jjhz"]
    offered = ByProject(request=request, queryset=Problem.objects.none()).form.fields["project"]
    units = {p.responsible_unit.code for p in offered.queryset}
    assert Project.objects.exclude(responsible_unit__code="hy-gxq-jjhz").exists()
    assert units <= {"hy-gxq-jjhz"}
