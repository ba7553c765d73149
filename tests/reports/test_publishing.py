"""Publish in one step (issue 18, deliverable 6): a built half-year report becomes a portal
draft through the portal's services, and goes through its two-person publishing."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shouwei.core.choices import Role
from shouwei.core.generic import url_for
from shouwei.core.models import RoleAssignment, Unit
from shouwei.indicators.models import Observation
from shouwei.portal import integrity
from shouwei.portal import services as portal
from shouwei.portal.choices import ArticleStatus
from shouwei.portal.models import Article
from shouwei.reports.publishing import publish_to_portal
from shouwei.reports.services import ReportError
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(demo):
    """A zone statistician who is also one of the portal's reviewers: may read the report
    and draft the article, and is the very person the two-person rule then keeps out."""
    zone = Unit.objects.get(code="hy-gxq")
    user = user_with_role(Role.STATISTICIAN, zone, username="stat_web")
    RoleAssignment.objects.create(user=user, unit=zone, role=Role.REVIEWER)
    return user


def test_publishing_makes_a_draft_that_only_a_second_reviewer_publishes_sealed(
    client, writer, demo, half_year
):
    client.force_login(writer)
    page = client.get(half_year.get_absolute_url()).content.decode()
    assert reverse("reports:publish", args=[half_year.pk]) in page
    response = client.post(reverse("reports:publish", args=[half_year.pk]))
    article = Article.objects.get(source_report=half_year)
    assert response.status_code == 302 and response["Location"] == url_for(article, "detail")
    assert article.status == ArticleStatus.DRAFT and article.published_at is None
    assert article.created_by == writer and article.title == half_year.title
    assert article.source_data_version == half_year.data_version
    images = list(article.attachments.all())
    doc = half_year.as_document()
    charts = [b for s in doc.sections for b in s.blocks if hasattr(b, "kind")]
    assert charts and len(images) == len(charts)
    assert all(a.kind == "image" and a.content_type == "image/png" for a in images)
    # The public body: the figures as text, the charts as the portal's own pictures, no link
    # into the platform and no unapproved record.
    assert "6.9%" in article.body and "数据版本 " + half_year.data_version[:12] in article.body
    urls = re.findall(r'(?:href|src)="([^"]*)"', article.body)
    assert sorted(urls) == sorted(a.get_absolute_url() for a in images)
    assert "/indicators/" not in article.body and "观测值 #" not in article.body
    editor_page = client.get(url_for(article, "detail")).content.decode()
    assert half_year.data_version in editor_page and half_year.get_absolute_url() in editor_page

    again = client.post(reverse("reports:publish", args=[half_year.pk]), follow=True)
    assert "该报告已生成门户文章" in again.content.decode()
    assert Article.objects.filter(source_report=half_year).count() == 1

    portal.submit_for_review(by=writer, article=article)
    with pytest.raises(PermissionDenied, match="双人审核"):
        portal.publish(by=writer, article=article)
    portal.publish(by=demo["reviewer"], article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.reviewed_by == demo["reviewer"]
    assert article.source_report == half_year
    sealed = {k for k in article.part_hashes if k.startswith(integrity.ATTACHMENT_PART)}
    assert sealed == {f"{integrity.ATTACHMENT_PART}{a.pk}" for a in images}
    assert integrity.verify() == []
    public = client.get(article.get_absolute_url()).content.decode()
    assert images[0].get_absolute_url() in public and half_year.get_absolute_url() not in public


def test_who_may_not_publish_is_refused_and_not_offered_the_button(client_for, half_year, demo):
    url = reverse("reports:publish", args=[half_year.pk])
    # The portal's editor reads no internal report; the statistician has no portal role.
    assert client_for("editor").post(url).status_code == 404
    statistician = client_for("statistician")
    assert url not in statistician.get(half_year.get_absolute_url()).content.decode()
    assert statistician.post(url).status_code == 403
    cyfz = Unit.objects.get(code="hy-gxq-cyfz")
    other = user_with_role(Role.STAFF, cyfz, username="staff_web")
    RoleAssignment.objects.create(user=other, unit=cyfz, role=Role.EDITOR)
    client = client_for("editor")
    client.force_login(other)
    assert client.post(url).status_code == 404  # the zone's report is not the department's
    with pytest.raises(PermissionDenied):
        publish_to_portal(report=half_year, by=other)
    assert not Article.objects.filter(source_report=half_year).exists()


def test_a_report_that_is_not_a_finished_unchanged_half_year_analysis_is_refused(
    client, writer, build, half_year
):
    brief = build(kind="brief")
    with pytest.raises(ReportError, match="只有半年经济分析"):
        publish_to_portal(report=brief, by=writer)
    failed = build()
    failed.status, failed.document = "failed", None
    with pytest.raises(ReportError, match="尚未生成成功"):
        publish_to_portal(report=failed, by=writer)
    flagged = build()
    flagged.changed_figures = ["economy.gdp.growth"]
    with pytest.raises(ReportError, match="1 个数字发生变化"):
        publish_to_portal(report=flagged, by=writer)
    # A correction after the build: the report no longer prints what the database holds.
    observation = Observation.objects.approved().filter(unit=half_year.unit).first()
    observation.save()
    client.force_login(writer)
    response = client.post(reverse("reports:publish", args=[half_year.pk]), follow=True)
    assert "报告生成后数据已有变化" in response.content.decode()
    assert not Article.objects.filter(source_report__isnull=False).exists()
