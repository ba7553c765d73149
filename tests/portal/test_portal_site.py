"""SHOUWEI_SITE=portal: the internet-facing instance routes the portal and nothing else."""

import pytest
from django.test import Client, override_settings
from django.urls import get_resolver

PORTAL_PREFIXES = ("/portal/", "/sitemap.xml", "/.well-known/")


def _platform_urls() -> list[str]:
    """Every argument-free URL the platform routes, read from its own URL configuration, so
    that a page added to the platform later is covered too."""
    out = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, route)
            elif "<" not in route and "(" not in route and "^" not in route:
                out.append("/" + route)

    walk(get_resolver("shouwei.urls").url_patterns, "")
    # "/" is the portal's home on both sites.
    urls = sorted({u for u in out if u != "/" and not u.startswith(PORTAL_PREFIXES)})
    # Paths with arguments, as a person would type or an attacker would probe them.
    return [
        *urls,
        "/indicators/observations/1/",
        "/api/v1/units",
        "/admin/auth/user/1/change/",
        # The portal's editing pages: the internet-facing site must not even route them.
        "/content/articles/1/",
        "/content/articles/1/edit/",
        "/content/articles/1/preview/",
        "/content/articles/1/versions/1/",
        "/content/articles/1/images/",
    ]


PLATFORM_URLS = _platform_urls()
portal_site = override_settings(ROOT_URLCONF="shouwei.urls_portal", SHOUWEI_SITE="portal")


def test_the_platform_url_list_covers_the_platform():
    for url in ["/indicators/cockpit/", "/indicators/observations/", "/imports/", "/admin/"]:
        assert url in PLATFORM_URLS
    assert {"/content/articles/", "/content/articles/add/"} <= set(PLATFORM_URLS)
    assert "/api/docs" in PLATFORM_URLS
    assert "/accounts/login/" in PLATFORM_URLS


@portal_site
@pytest.mark.parametrize("url", PLATFORM_URLS)
def test_platform_url_is_404_on_the_portal_site(url, portal_demo):
    resp = Client().get(url)
    assert resp.status_code == 404
    assert "页面不存在" in resp.content.decode()


@portal_site
def test_platform_urls_are_404_even_for_a_logged_in_superuser(portal_demo, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x-long-pw-2022")
    client = Client()
    client.force_login(admin)
    for url in PLATFORM_URLS:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code in (403, 404), url


@portal_site
def test_portal_pages_work_on_the_portal_site(seed):
    client = Client()
    home = client.get("/")
    assert home.status_code == 200
    assert seed.title in home.content.decode()
    assert 'href="/accounts/login/"' not in home.content.decode()
    assert client.get(seed.get_absolute_url()).status_code == 200
    assert client.get("/portal/search/", {"q": "首位"}).status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/.well-known/shouwei-integrity.json").status_code == 200
    assert client.get("/static/shouwei/portal.css").status_code == 200


def test_platform_urls_answer_on_the_platform_site(client_for):
    # The same paths answer on the platform: the 404s above are the portal site's doing.
    client = client_for("admin")
    for url in ["/indicators/cockpit/", "/indicators/observations/", "/imports/", "/admin/"]:
        assert client.get(url).status_code == 200, url
