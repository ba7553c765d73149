"""The view set as apps declare it: one instance per request, the declared services as the one
write path, URL names made in one place."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse

from shouwei.core.generic import ObjectViewSet, url_for
from shouwei.core.models import ApiToken, Unit
from shouwei.indicators.models import Target
from shouwei.portal.models import Article
from shouwei.projects import services as project_services
from shouwei.projects.choices import ProblemStatus
from shouwei.projects.models import Problem, ProgressReport, Project


def _form_data(obj, fields) -> dict:
    """What the edit page posts back unchanged: each field's stored value (a key for a
    foreign key, nothing for an empty one)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if value is not None:
            data[name] = value
    return data


def test_url_for_names_a_models_pages_and_a_records(demo):
    target = Target.objects.first()
    assert url_for(Target, "list") == reverse("indicators:target_list")
    assert url_for(target) == reverse("indicators:target_detail", args=[target.pk])
    assert target.get_absolute_url() == url_for(target, "detail")
    assert url_for(target, "edit") == reverse("indicators:target_edit", args=[target.pk])


def test_url_for_follows_a_view_sets_own_namespace(demo):
    # The editing pages of articles live under portal_manage, the public pages under portal.
    assert url_for(Article, "add") == reverse("portal_manage:article_add")


def test_url_for_a_model_without_pages_is_no_reverse_match(demo):
    with pytest.raises(NoReverseMatch):
        url_for(ApiToken, "list")


def test_each_request_gets_its_own_view_set_holding_the_request_and_the_record(client_for):
    target = Target.objects.first()
    client = client_for("leader")
    first = client.get(url_for(target))
    second = client.get(url_for(target))
    assert first.status_code == second.status_code == 200
    viewset = first.context["viewset"]
    assert isinstance(viewset, ObjectViewSet)
    assert viewset.request is first.wsgi_request
    assert viewset.object == target
    assert second.context["viewset"] is not viewset


def test_a_target_edited_on_its_page_is_saved_with_the_editor_in_its_history(client_for, demo):
    target = Target.objects.filter(unit__code="hy-gxq").first()
    data = _form_data(target, ("unit", "year", "name", "label", "indicator", "kind",
                               "target_value", "floor_value", "floor_rank", "stretch_rank",
                               "rank_group", "responsible_unit", "description"))  # fmt: skip
    data["description"] = "改过的说明"
    response = client_for("supervisor").post(url_for(target, "edit"), data)
    assert response.status_code == 302, response.content.decode()
    target.refresh_from_db()
    assert target.description == "改过的说明"
    assert target.history.first().history_user == demo["supervisor"]


@pytest.fixture
def handed_over_problem(demo):
    """A problem of a 产业发展局 project, handed to 经济合作局 to solve."""
    project = Project.objects.filter(responsible_unit__code="hy-gxq-cyfz").first()
    return Problem.objects.create(
        project=project,
        description="用地指标待协调",
        owner_unit=Unit.objects.get(code="hy-gxq-jjhz"),
        deadline=date(2022, 8, 31),
        status=ProblemStatus.OPEN,
    )


def test_the_department_a_problem_is_handed_to_works_it_but_may_not_delete_it(
    client_for, handed_over_problem, security_log
):
    client = client_for("staff_jjhz")
    assert client.get(url_for(handed_over_problem, "edit")).status_code == 200
    response = client.post(url_for(handed_over_problem, "delete"))
    assert response.status_code == 403
    assert Problem.objects.filter(pk=handed_over_problem.pk).exists()


def test_the_projects_department_deletes_the_problem_it_filed(client_for, handed_over_problem):
    response = client_for("staff_cyfz").post(url_for(handed_over_problem, "delete"))
    assert response.status_code == 302
    assert not Problem.objects.filter(pk=handed_over_problem.pk).exists()


def test_updating_a_progress_report_keeps_its_project_and_month(demo):
    report = ProgressReport.objects.filter(project__responsible_unit__code="hy-gxq-cyfz").first()
    with pytest.raises(ValidationError):
        project_services.progress_update(
            by=demo["staff_cyfz"],
            instance=report,
            project=report.project,
            period="2099-01",
            invested_this_month=report.invested_this_month,
            invested_ytd=report.invested_ytd,
            stage=report.stage,
        )
    assert ProgressReport.objects.get(pk=report.pk).period == report.period


def test_progress_filed_with_a_token_has_the_tokens_user_as_its_author(api_for, demo):
    june = (
        ProgressReport.objects.filter(
            period="2022-06", project__responsible_unit__code="hy-gxq-cyfz"
        )
        .select_related("project")
        .order_by("project__code")
        .first()
    )
    response = api_for("staff_cyfz").post(
        "/api/project-progress",
        {
            "project": june.project.code,
            "period": "2022-07",
            "invested_this_month": "1",
            "invested_ytd": str(june.invested_ytd + Decimal(1)),
            "stage": june.stage,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get(project=june.project, period="2022-07")
    assert report.history.first().history_user == demo["staff_cyfz"]
