"""Editing and the two-person rule: an author submits, a different reviewer publishes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouwei.portal.choices import ArticleStatus
from shouwei.portal.services import publish, save_article, submit_for_review, withdraw


def _draft(user, channel, **kw):
    return save_article(by=user, channel=channel, title="测试文章", body="<p>内容</p>", **kw)


def test_reviewer_other_than_the_author_publishes_and_the_page_is_sealed(bmdt, people):
    article = _draft(people["editor"], bmdt)
    submit_for_review(by=people["editor"], article=article)
    publish(by=people["reviewer"], article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.reviewed_by == people["reviewer"]
    assert article.published_at is not None
    assert len(article.content_sha256) == 64
    assert set(article.part_hashes) >= {"title", "body", "meta"}
    assert "static:shouwei/portal.css" in article.asset_hashes


def test_author_cannot_publish_their_own_article(bmdt, people):
    article = _draft(people["reviewer"], bmdt)
    submit_for_review(by=people["reviewer"], article=article)
    with pytest.raises(PermissionDenied):
        publish(by=people["reviewer"], article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_reviewer_who_edited_the_draft_cannot_publish_it(bmdt, people):
    article = _draft(people["editor"], bmdt)
    save_article(
        by=people["reviewer"], channel=bmdt, title="改过", body="<p>改过</p>", instance=article
    )
    submit_for_review(by=people["editor"], article=article)
    with pytest.raises(PermissionDenied):
        publish(by=people["reviewer"], article=article)
    publish(by=people["reviewer2"], article=article)


def test_editor_cannot_publish(bmdt, people):
    article = _draft(people["editor"], bmdt)
    submit_for_review(by=people["editor"], article=article)
    with pytest.raises(PermissionDenied):
        publish(by=people["editor2"], article=article)


def test_user_without_portal_role_cannot_write(bmdt, people):
    with pytest.raises(PermissionDenied):
        _draft(people["staff"], bmdt)


def test_draft_cannot_be_published_without_review(bmdt, people):
    article = _draft(people["editor"], bmdt)
    with pytest.raises(ValidationError) as exc:
        publish(by=people["reviewer"], article=article)
    assert "只有待审核的文章可以发布" in str(exc.value)


def test_published_article_cannot_be_edited_until_withdrawn(bmdt, people):
    article = _draft(people["editor"], bmdt)
    submit_for_review(by=people["editor"], article=article)
    publish(by=people["reviewer"], article=article)
    with pytest.raises(ValidationError):
        save_article(
            by=people["editor"], channel=bmdt, title="篡改", body="<p>x</p>", instance=article
        )
    withdraw(by=people["reviewer"], article=article)
    save_article(by=people["editor"], channel=bmdt, title="更正", body="<p>y</p>", instance=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_every_save_keeps_a_version(bmdt, people):
    article = _draft(people["editor"], bmdt)
    save_article(
        by=people["editor"], channel=bmdt, title="第二稿", body="<p>二</p>", instance=article
    )
    submit_for_review(by=people["editor"], article=article)
    publish(by=people["reviewer"], article=article)
    versions = list(article.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3, 4]
    assert [v.title for v in versions[:2]] == ["测试文章", "第二稿"]
    assert versions[-1].status == ArticleStatus.PUBLISHED
    assert article.history.count() >= 4
