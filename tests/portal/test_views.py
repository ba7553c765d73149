"""View counting: one per visitor per article per day; refreshes and bots add nothing."""

import pytest
from django.test import Client

from shouwei.portal.models import Article
from shouwei.portal.services import is_bot

BROWSER_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1"


def _views(article) -> int:
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def test_a_thousand_requests_from_one_client_count_once(seed):
    before = _views(seed)
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=BROWSER_UA)
    for _ in range(1000):
        assert client.get(seed.get_absolute_url()).status_code == 200
    assert _views(seed) == before + 1


def test_different_visitors_count_separately(seed):
    before = _views(seed)
    Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=BROWSER_UA).get(seed.get_absolute_url())
    Client(REMOTE_ADDR="203.0.113.8", HTTP_USER_AGENT=BROWSER_UA).get(seed.get_absolute_url())
    assert _views(seed) == before + 2


@pytest.mark.parametrize(
    "ua",
    [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Sogou web spider/4.0",
        "python-requests/2.31",
        "curl/8.4.0",
        "Mozilla/5.0 HeadlessChrome/120.0",
        "",
    ],
)
def test_bots_are_not_counted(seed, ua):
    before = _views(seed)
    Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT=ua).get(seed.get_absolute_url())
    assert _views(seed) == before
    assert is_bot(ua)


def test_browsers_are_not_taken_for_bots():
    assert not is_bot(BROWSER_UA)


def test_head_requests_are_answered_and_not_counted(seed):
    before = _views(seed)
    resp = Client(REMOTE_ADDR="203.0.113.10", HTTP_USER_AGENT=BROWSER_UA).head(
        seed.get_absolute_url()
    )
    assert resp.status_code == 200
    assert _views(seed) == before


def test_posting_to_an_article_is_refused(seed):
    assert Client().post(seed.get_absolute_url()).status_code in (403, 405)
