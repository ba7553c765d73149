"""The page cache: a hit serves the stored bytes without reading the database, every change to
what the public sees makes the next request render afresh, and views are still counted."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from shouwei.portal import cache as page_cache
from shouwei.portal.choices import ArticleStatus
from shouwei.portal.models import Article, ArticleView, Channel
from shouwei.portal.services import publish, save_article, submit_for_review, withdraw

BROWSER_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36"


def visitor(ip: str = "198.51.100.1", **extra) -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=BROWSER_UA, **extra)


def views_of(article) -> int:
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def published_by(people, channel, title: str, **kw) -> Article:
    article = save_article(
        by=people["editor"], channel=channel, title=title, body="<p>正文</p>", **kw
    )
    submit_for_review(by=people["editor"], article=article)
    return publish(by=people["reviewer"], article=article)


def test_a_hit_serves_the_same_bytes_and_reads_nothing_from_the_database(seed):
    client = visitor()
    first = client.get(seed.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        second = client.get(seed.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    # The same visitor again: the view is already counted, so not even a write.
    assert [q["sql"] for q in captured] == []


def test_a_new_visitor_on_a_hit_costs_only_the_view_count_writes(seed):
    visitor("198.51.100.1").get(seed.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        assert visitor("198.51.100.2").get(seed.get_absolute_url()).status_code == 200
    statements = [q["sql"].split()[0].upper() for q in captured]
    assert statements.count("INSERT") == 1
    assert statements.count("UPDATE") == 1
    assert "SELECT" not in statements


def test_views_count_once_per_visitor_per_day_with_the_cache_on(seed):
    before = views_of(seed)
    for _ in range(20):
        visitor("198.51.100.1").get(seed.get_absolute_url())
    visitor("198.51.100.2").get(seed.get_absolute_url())
    assert views_of(seed) == before + 2
    # The cache's marks are a fast path only: with them gone the database still says no.
    cache.clear()
    visitor("198.51.100.1").get(seed.get_absolute_url())
    assert views_of(seed) == before + 2
    assert ArticleView.objects.filter(article=seed).count() == 2


def test_bots_are_still_not_counted_on_a_hit(seed):
    before = views_of(seed)
    visitor().get(seed.get_absolute_url())
    Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; Baiduspider/2.0)").get(seed.get_absolute_url())
    assert views_of(seed) == before + 1


def test_the_first_visit_renders_a_count_that_includes_it(seed):
    before = views_of(seed)
    html = visitor().get(seed.get_absolute_url()).content.decode()
    assert f"<span data-views>{before + 1}</span>" in html


def test_withdrawing_makes_the_page_404_at_once(seed, people):
    url = seed.get_absolute_url()
    assert visitor().get(url).status_code == 200
    withdraw(by=people["reviewer"], article=seed)
    assert visitor().get(url).status_code == 404
    assert visitor("198.51.100.9").get(url).status_code == 404


def test_a_withdrawn_article_is_not_counted(seed, people):
    withdraw(by=people["reviewer"], article=seed)
    visitor().get(seed.get_absolute_url())
    assert not ArticleView.objects.filter(article=seed).exists()


def test_publishing_another_article_refreshes_related_reading_and_home(seed, people):
    client = visitor()
    client.get(seed.get_absolute_url())
    client.get("/portal/")
    published_by(people, seed.channel, "新发布的一篇部门动态")
    assert "新发布的一篇部门动态" in client.get(seed.get_absolute_url()).content.decode()
    assert "新发布的一篇部门动态" in client.get("/portal/").content.decode()
    assert "新发布的一篇部门动态" in client.get(seed.channel.get_absolute_url()).content.decode()


def test_an_edited_and_republished_article_shows_its_new_text(seed, people):
    client = visitor()
    client.get(seed.get_absolute_url())
    withdraw(by=people["reviewer"], article=seed)
    save_article(
        by=people["editor"],
        channel=seed.channel,
        title="改过的标题",
        body="<p>改过的正文</p>",
        instance=seed,
    )
    submit_for_review(by=people["editor"], article=seed)
    publish(by=people["reviewer2"], article=seed)
    html = client.get(seed.get_absolute_url()).content.decode()
    assert "改过的标题" in html
    assert "改过的正文" in html


def test_an_admin_save_of_a_published_article_invalidates_too(seed, caplog):
    visitor().get(seed.get_absolute_url())
    seed.subtitle = "管理后台改的副标题"
    seed.save()
    # Not served from the cache: rendered again, found unsealed (a published article changes
    # only through withdrawal and review), so its last sealed version is served.
    html = visitor().get(seed.get_absolute_url()).content.decode()
    assert "管理后台改的副标题" not in html
    assert "已被改动：副标题" in caplog.text


def test_a_renamed_channel_shows_on_cached_pages(seed):
    visitor().get(seed.get_absolute_url())
    channel = Channel.objects.get(pk=seed.channel_id)
    channel.name = "部门动态（新）"
    channel.save()
    assert "部门动态（新）" in visitor().get(seed.get_absolute_url()).content.decode()


def test_saving_a_draft_leaves_the_cache_alone(seed, people):
    visitor().get(seed.get_absolute_url())
    before = page_cache.generation()
    save_article(by=people["editor"], channel=seed.channel, title="草稿", body="<p>草稿</p>")
    assert page_cache.generation() == before


def test_a_change_behind_the_apps_back_keeps_serving_what_was_published(seed):
    # A raw UPDATE sends no signal: the page stays as published (verify reports the row).
    html = visitor().get(seed.get_absolute_url()).content.decode()
    Article.objects.filter(pk=seed.pk).update(title="365体育官网")
    again = visitor().get(seed.get_absolute_url()).content.decode()
    assert "365体育官网" not in again
    assert again == html


def test_each_host_gets_its_own_page_address_and_qr_code(seed):
    a = visitor(HTTP_HOST="localhost").get(seed.get_absolute_url()).content.decode()
    b = visitor(HTTP_HOST="testserver").get(seed.get_absolute_url()).content.decode()
    assert "http://localhost/portal/" not in b
    assert a != b


def test_a_query_string_is_served_the_cached_page_but_never_stored(seed):
    url = seed.get_absolute_url()
    # WeChat appends ?from=…: the visitor gets the article; the rendering is not shared.
    assert visitor().get(url + "?from=timeline").status_code == 200
    key = page_cache.page_key(RequestFactory().get(url), "article", seed.pk)
    assert cache.get(key) is None
    visitor().get(url)
    assert cache.get(key) is not None
    assert visitor().get(url + "?from=timeline").content == cache.get(key)


def test_a_signed_in_persons_rendering_is_not_stored(seed, client_for):
    client_for("leader").get(seed.get_absolute_url())
    key = page_cache.page_key(RequestFactory().get(seed.get_absolute_url()), "article", seed.pk)
    assert cache.get(key) is None


@pytest.mark.parametrize("page", ["01", "x", "1&page=2", "99999"])
def test_odd_page_numbers_render_but_are_not_stored(bmdt, page, monkeypatch):
    stored = []

    class Spy:
        def __getattr__(self, name):
            return getattr(cache, name)

        def set(self, key, *args, **kwargs):
            stored.append(key)
            return cache.set(key, *args, **kwargs)

    monkeypatch.setattr(page_cache, "cache", Spy())
    assert visitor().get(f"{bmdt.get_absolute_url()}?page={page}").status_code == 200
    assert [k for k in stored if k.startswith("portal:page:")] == []
    visitor().get(f"{bmdt.get_absolute_url()}?page=1")
    assert [k for k in stored if k.startswith("portal:page:")] != []


def test_no_caching_when_switched_off(seed, settings):
    settings.SHOUWEI_PORTAL_CACHE_SECONDS = 0
    client = visitor()
    client.get(seed.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(seed.get_absolute_url()).status_code == 200
    assert any(q["sql"].startswith("SELECT") for q in captured)


def test_a_csrf_token_in_a_stored_page_is_each_visitors_own():
    factory = RequestFactory()
    form = '<form><input type="hidden" name="csrfmiddlewaretoken" value="{}"></form>'
    first = factory.get("/portal/")
    first.user = AnonymousUser()
    page_cache.store(first, "k", HttpResponse(form.format("A" * 64)), 60)
    assert b"A" * 64 not in cache.get("k")
    second = factory.get("/portal/")
    served = page_cache.cached_response(second, "k").content.decode()
    token = re.search(r'value="([^"]+)"', served).group(1)
    assert token != "A" * 64
    assert len(token) == 64
    assert second.META["CSRF_COOKIE"]  # the middleware will send the matching cookie


def test_the_generation_survives_being_evicted(seed):
    visitor().get(seed.get_absolute_url())
    cache.delete(page_cache.GENERATION_KEY)
    assert visitor().get(seed.get_absolute_url()).status_code == 200
    assert page_cache.generation()


def test_status_of_the_article_is_what_the_cache_follows(seed, people):
    # Withdrawn, edited, published again: each step is seen by the next request.
    url = seed.get_absolute_url()
    visitor().get(url)
    withdraw(by=people["reviewer"], article=seed)
    seed.refresh_from_db()
    assert seed.status == ArticleStatus.WITHDRAWN
    assert visitor().get(url).status_code == 404


def test_a_repeated_search_is_served_from_the_cache(seed):
    page = "/portal/search/?q=%E9%AB%98%E6%96%B0%E5%8C%BA"  # 高新区
    first = visitor().get(page)
    assert first.status_code == 200 and seed.title.encode()[:12] in first.content
    with CaptureQueriesContext(connection) as captured:
        second = visitor("198.51.100.9").get(page)
    assert second.content == first.content
    assert [q["sql"] for q in captured] == []


def test_a_publication_shows_in_the_next_search(seed, people, bmdt):
    page = "/portal/search/?q=%E8%B4%A8%E6%95%B0%E5%AF%86"  # 质数密: words no article has
    assert "产业园开园".encode() not in visitor().get(page).content
    published_by(people, bmdt, "质数密钥产业园开园")
    assert "产业园开园".encode() in visitor().get(page).content


def test_a_search_with_other_parameters_is_not_stored(seed):
    page = "/portal/search/?q=%E9%AB%98%E6%96%B0%E5%8C%BA&x=1"
    visitor().get(page)
    with CaptureQueriesContext(connection) as captured:
        visitor().get(page)
    assert captured.captured_queries
