"""`shouwei portal verify` and the public manifest: every change to a published page is named."""

import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils.html import escape

from shouwei.portal import integrity
from shouwei.portal.models import Article


@pytest.fixture
def assets_copy(tmp_path, monkeypatch):
    """The page's static files and templates, copied where the test may change them."""
    copies = {}
    for path in integrity.STATIC_ASSETS:
        src = integrity.static_file(path)
        dst = tmp_path / "static" / path
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dst)
        copies[path] = dst
    for name in integrity.TEMPLATES:
        dst = tmp_path / "templates" / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(integrity.template_file(name), dst)
        copies[name] = dst
    monkeypatch.setattr(integrity, "static_file", lambda path: copies[path])
    monkeypatch.setattr(integrity, "template_file", lambda name: copies[name])
    return copies


@pytest.fixture
def sealed(assets_copy, portal_demo):
    """The demo articles sealed against the copied files."""
    for article in Article.objects.published():
        integrity.seal(article)
        article.save()
    return assets_copy


def test_untouched_site_verifies_clean(portal_demo):
    assert integrity.verify() == []
    call_command("portal", "verify")


def test_changed_static_file_on_disk_is_reported(sealed, seed):
    css = sealed["shouwei/portal.css"]
    css.write_text(css.read_text() + "\nbody::before{content:'365体育官网'}\n")
    problems = integrity.verify()
    assert {p.part for p in problems} == {"static:shouwei/portal.css"}
    assert seed.pk in {p.article_id for p in problems}
    assert "static:shouwei/portal.css" in str(problems[0])


def test_deleted_script_is_reported(sealed):
    sealed["shouwei/portal.js"].unlink()
    assert {p.part for p in integrity.verify()} == {"static:shouwei/portal.js"}


def test_changed_template_on_disk_is_reported(sealed):
    tpl = sealed["portal/base.html"]
    tpl.write_text(tpl.read_text().replace("<title>", "<title>365体育官网 "))
    assert {p.part for p in integrity.verify()} == {"template:portal/base.html"}


def test_title_changed_behind_the_apps_back_is_reported(seed):
    Article.objects.filter(pk=seed.pk).update(title="365体育官网" + seed.title)
    problems = integrity.verify()
    assert [(p.article_id, p.part) for p in problems] == [(seed.pk, "title")]
    assert "标题" in str(problems[0])
    assert seed.get_absolute_url() in str(problems[0])


def test_body_changed_behind_the_apps_back_is_reported(seed):
    Article.objects.filter(pk=seed.pk).update(body=seed.body.replace("GDP增长6.9%", "GDP增长9.6%"))
    assert [(p.article_id, p.part) for p in integrity.verify()] == [(seed.pk, "body")]


def test_script_added_to_body_behind_the_apps_back_is_reported_though_not_served(seed):
    # The render-time sanitiser strips the script, so the served body still matches its seal;
    # verify reports the tampered row all the same.
    Article.objects.filter(pk=seed.pk).update(body=seed.body + "<script>alert(1)</script>")
    assert [p.part for p in integrity.verify()] == ["body_unsanitised"]
    html = Client().get(seed.get_absolute_url()).content.decode()
    assert "alert(1)" not in html


def test_verify_command_exits_non_zero_and_names_the_article(seed):
    Article.objects.filter(pk=seed.pk).update(title="365体育官网")
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("portal", "verify", stderr=err)
    assert "1 处改动" in str(exc.value)
    assert (
        f"文章 #{seed.pk}《365体育官网》({seed.get_absolute_url()}) 已被改动：标题"
        in err.getvalue()
    )


def test_view_counting_does_not_disturb_the_seal(seed):
    for i in range(3):
        Client(REMOTE_ADDR=f"10.0.0.{i}", HTTP_USER_AGENT="Mozilla/5.0").get(
            seed.get_absolute_url()
        )
    assert integrity.verify() == []


def test_manifest_lists_published_pages_and_their_hashes(seed):
    resp = Client().get("/.well-known/shouwei-integrity.json")
    assert resp.status_code == 200
    data = json.loads(resp.content)
    page = next(p for p in data["pages"] if p["id"] == seed.pk)
    assert page["url"] == "http://testserver" + seed.get_absolute_url()
    assert page["content_sha256"] == seed.content_sha256
    assert page["parts"]["title"] == integrity.sha256(escape(seed.title))
    assert (
        data["assets"]["static:shouwei/portal.css"] == page["assets"]["static:shouwei/portal.css"]
    )
