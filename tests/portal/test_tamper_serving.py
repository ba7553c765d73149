"""A page or attachment changed behind the application's back is not served as it is: the last
sealed version or a notice, an alert, and nothing forged in the portal search."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client

from shouwei.core.choices import Role
from shouwei.core.models import Notification
from shouwei.portal import integrity
from shouwei.portal.models import Article, Attachment
from shouwei.portal.services import add_attachment, publish, save_article, submit_for_review
from tests.factories import UnitFactory, user_with_role

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF"
FORGED = "365体育官网"


@pytest.fixture
def admin(db):
    return user_with_role(Role.ADMIN, UnitFactory(), username="admin-bell")


@pytest.fixture
def with_file(bmdt, people):
    art = save_article(by=people["editor"], channel=bmdt, title="附件公示", body="<p>公示正文</p>")
    add_attachment(by=people["editor"], article=art, name="公示.pdf", data=PDF, image=False)
    submit_for_review(by=people["editor"], article=art)
    return publish(by=people["reviewer"], article=art)


def _fresh_process():
    """A new process starts with an empty page cache."""
    cache.clear()


def test_body_updated_in_the_database_is_not_served_the_sealed_version_is(seed, admin):
    Article.objects.filter(pk=seed.pk).update(body=seed.body.replace("GDP", FORGED))
    _fresh_process()
    resp = Client().get(seed.get_absolute_url())
    html = resp.content.decode()
    assert resp.status_code == 200
    assert FORGED not in html
    assert "GDP" in html
    assert Notification.objects.filter(recipient=admin, title__contains="页面被改动").exists()


def test_title_updated_in_the_database_is_not_served(seed, admin):
    Article.objects.filter(pk=seed.pk).update(title=FORGED)
    _fresh_process()
    html = Client().get(seed.get_absolute_url()).content.decode()
    assert FORGED not in html
    assert seed.title in html


def test_tampered_row_without_an_intact_version_gets_a_notice(seed, admin):
    Article.objects.filter(pk=seed.pk).update(title=FORGED)
    seed.history.all().delete()
    _fresh_process()
    resp = Client().get(seed.get_absolute_url())
    assert resp.status_code == 503
    assert FORGED not in resp.content.decode()
    assert "完整性校验" in resp.content.decode()


def test_edited_template_is_not_served_a_notice_is(sealed, seed, admin):
    tpl = sealed["portal/base.html"]
    tpl.write_text(tpl.read_text().replace("<title>", f"<title>{FORGED} "))
    _fresh_process()
    resp = Client().get(seed.get_absolute_url())
    assert resp.status_code == 503
    assert FORGED not in resp.content.decode()
    assert Notification.objects.filter(recipient=admin, title__contains="文件被改动").exists()


def test_forged_text_is_not_in_the_portal_search(seed):
    Article.objects.filter(pk=seed.pk).update(
        body=seed.body + f"<p>{FORGED}</p>", body_text=seed.body_text + FORGED
    )
    html = Client().get("/portal/search/", {"q": FORGED}).content.decode()
    assert f"《{FORGED}" not in html and seed.get_absolute_url() not in html


def test_forged_search_text_alone_is_not_shown(seed):
    Article.objects.filter(pk=seed.pk).update(body_text=seed.body_text + FORGED)
    html = Client().get("/portal/search/", {"q": FORGED}).content.decode()
    assert seed.get_absolute_url() not in html
    assert "body_text" in {p.part for p in integrity.verify()}


def test_untampered_article_is_still_found(seed):
    html = Client().get("/portal/search/", {"q": "首位"}).content.decode()
    assert seed.get_absolute_url() in html


def test_attachment_replaced_on_disk_is_not_served_and_is_reported(with_file, admin):
    att = with_file.attachments.get()
    assert Client().get(att.get_absolute_url()).status_code == 200
    with open(att.file.path, "wb") as fh:
        fh.write(b"%PDF-1.4\n/OpenAction << /S /JavaScript /JS (app.alert(1)) >>\n%%EOF")
    assert Client().get(att.get_absolute_url()).status_code == 404
    assert f"attachment_file:{att.pk}" in {p.part for p in integrity.verify()}
    assert Notification.objects.filter(recipient=admin, body__contains="的文件").exists()


def test_attachment_row_inserted_into_a_published_article_is_neither_listed_nor_served(with_file):
    rogue = Attachment(
        article=with_file,
        kind="file",
        original_name="中奖名单.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=integrity.sha256(PDF),
    )
    rogue.file.save("rogue.pdf", ContentFile(PDF), save=False)
    Attachment.objects.bulk_create([rogue])  # no signal, no history: behind the app's back
    rogue = Attachment.objects.get(original_name="中奖名单.pdf")
    _fresh_process()
    html = Client().get(with_file.get_absolute_url()).content.decode()
    assert "中奖名单" not in html
    assert "公示.pdf" in html
    assert Client().get(rogue.get_absolute_url()).status_code == 404
    parts = {p.part for p in integrity.verify()}
    assert {f"attachment:{rogue.pk}", "attachments"} <= parts


def test_intact_published_article_with_attachment_verifies_clean(with_file):
    assert [p for p in integrity.verify() if p.article_id == with_file.pk] == []
