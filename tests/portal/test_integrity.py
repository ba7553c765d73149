"""`shouwei portal verify` and the public manifest: every change to a published page is named."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils.html import escape

from shouwei.portal import integrity
from shouwei.portal.models import Article


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


# --- what a visitor is served: the page fetched through the application ----------------------


def _cached_page_key(article) -> str:
    """The cache key of the page as the check requests it (the site's first allowed host)."""
    from django.conf import settings
    from django.test import RequestFactory

    from shouwei.portal import cache as page_cache

    request = RequestFactory(HTTP_HOST=settings.ALLOWED_HOSTS[0]).get(article.get_absolute_url())
    return page_cache.page_key(request, "article", article.pk)


def test_a_tampered_cached_page_is_reported_though_the_row_is_intact(seed):
    from django.core.cache import cache

    integrity.verify()  # the check's own request fills the cache
    key = _cached_page_key(seed)
    page = cache.get(key)
    assert page is not None
    cache.set(key, page.replace(b"<title>", "<title>365体育官网 ".encode()), 300)
    assert [p.part for p in integrity.verify()] == ["page_title"]


def test_injected_script_and_redirect_in_the_served_page_are_reported(seed, monkeypatch):
    from shouwei.portal import qr

    real_svg = qr.svg

    def hijacked(url: str) -> str:
        return (
            real_svg(url) + '<script src="https://365.example/x.js"></script>'
            '<meta http-equiv="refresh" content="0;url=https://365.example/">'
        )

    monkeypatch.setattr(qr, "svg", hijacked)
    parts = {p.part for p in integrity.verify() if p.article_id == seed.pk}
    assert parts == {
        "page_load:https://365.example/x.js",
        'page_markup:<meta http-equiv="refresh">',
    }
    assert any("365.example/x.js" in str(p) for p in integrity.verify())


def test_a_changed_article_block_in_the_served_page_is_reported(seed):
    from django.core.cache import cache

    integrity.verify()
    key = _cached_page_key(seed)
    page = cache.get(key).decode()
    assert "GDP增长6.9%" in page
    cache.set(key, page.replace("GDP增长6.9%", "GDP增长9.6%").encode(), 300)
    assert [p.part for p in integrity.verify()] == ["page"]
    assert "访客收到的文章内容" in str(integrity.verify()[0])


def test_a_page_that_fails_is_reported_not_raised(seed, monkeypatch):
    from shouwei.portal import qr

    def broken(url: str) -> str:
        raise RuntimeError("模板渲染失败")

    monkeypatch.setattr(qr, "svg", broken)
    assert {p.part for p in integrity.verify()} == {"page_status"}


def test_the_check_is_not_counted_as_a_view(seed):
    before = Article.objects.values_list("view_count", flat=True).get(pk=seed.pk)
    integrity.verify()
    assert Article.objects.values_list("view_count", flat=True).get(pk=seed.pk) == before


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_compressed_copy_that_differs_from_the_file_is_reported(seed, monkeypatch, encoding):
    # WhiteNoise sends collectstatic's .gz/.br copies to browsers that accept them: a hijacker
    # may change only those. (Here the served answer is faked: collecting takes minutes.)
    real_get = integrity._Visitor.get

    def get(self, url, **headers):
        status, body, used = real_get(self, url, **headers)
        if url.endswith(".css") and headers.get("HTTP_ACCEPT_ENCODING") == encoding:
            return 200, b"not what the file unpacks to", encoding
        return status, body, used

    monkeypatch.setattr(integrity._Visitor, "get", get)
    parts = {p.part for p in integrity.verify()}
    assert parts == {f"static:shouwei/portal.css ({encoding})"}
    assert "压缩版本与原文件不一致" in str(integrity.verify()[0])


def test_a_changed_static_file_makes_the_page_a_notice_so_an_injected_script_is_not_served(
    sealed, seed, monkeypatch
):
    from shouwei.portal import qr

    real_svg = qr.svg
    monkeypatch.setattr(qr, "svg", lambda url: real_svg(url) + "<script>location='x'</script>")
    css = sealed["shouwei/portal.css"]
    css.write_text(css.read_text() + "\n/* changed */\n")
    parts = {p.part for p in integrity.verify() if p.article_id == seed.pk}
    assert parts == {"static:shouwei/portal.css"}
    resp = Client().get(seed.get_absolute_url())
    assert resp.status_code == 503 and b"location='x'" not in resp.content


def test_reseal_after_an_upgrade_takes_the_new_template_and_verify_is_clean_again(sealed, seed):
    tpl = sealed["portal/base.html"]
    tpl.write_text(tpl.read_text().replace("</footer>", "<p>新版页脚</p></footer>"))
    assert {p.part for p in integrity.verify()} == {"template:portal/base.html"}
    updated_at = Article.objects.get(pk=seed.pk).updated_at

    out = io.StringIO()
    call_command("portal", "reseal", "--yes", stdout=out)

    assert "文件已变：template:portal/base.html" in out.getvalue()
    assert integrity.verify() == []
    assert Article.objects.get(pk=seed.pk).updated_at == updated_at  # a seal is not an edit


def test_reseal_without_yes_changes_nothing(sealed, seed):
    css = sealed["shouwei/portal.css"]
    css.write_text(css.read_text() + "\n.new-release{}\n")
    before = Article.objects.get(pk=seed.pk).asset_hashes

    out = io.StringIO()
    call_command("portal", "reseal", stdout=out)

    assert "未写入" in out.getvalue()
    assert Article.objects.get(pk=seed.pk).asset_hashes == before
    assert {p.part for p in integrity.verify()} == {"static:shouwei/portal.css"}


def test_reseal_refuses_an_article_whose_row_was_changed_and_leaves_its_seal(sealed, seed):
    tpl = sealed["portal/base.html"]
    tpl.write_text(tpl.read_text().replace("</footer>", "<p>新版页脚</p></footer>"))
    Article.objects.filter(pk=seed.pk).update(title="365体育官网" + seed.title)
    other = Article.objects.published().exclude(pk=seed.pk).first()

    err = io.StringIO()
    with pytest.raises(CommandError, match="1 篇文章"):
        call_command("portal", "reseal", "--yes", stderr=err)

    assert f"文章 #{seed.pk}" in err.getvalue() and "标题" in err.getvalue()
    problems = integrity.verify()
    # The tampered article still reports both its title and the file; the others are resealed.
    assert {p.part for p in problems if p.article_id == seed.pk} >= {
        "title",
        "template:portal/base.html",
    }
    assert not [p for p in problems if p.article_id == other.pk]
