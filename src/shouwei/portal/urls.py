"""The portal's pages (under /portal/) and the root-level files the web expects
(/sitemap.xml, /.well-known/shouwei-integrity.json), shared by both URL configurations."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from . import views
from .feeds import LatestArticlesAtomFeed, LatestArticlesFeed
from .sitemaps import SITEMAPS

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("channel/<slug:slug>/", views.channel, name="channel"),
    path("article/<int:pk>/", views.article, name="article"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
    path("search/", views.search, name="search"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/export.<str:fmt>", views.open_data_export, name="open_data_export"),
    path("feed/rss/", LatestArticlesFeed(), name="feed_rss"),
    path("feed/atom/", LatestArticlesAtomFeed(), name="feed_atom"),
    # The language switch of the public pages. They are cached and served to every visitor as
    # the same bytes, so they cannot carry a CSRF token (it would be the first visitor's secret,
    # and refused for everyone else); a forged post can only change the visitor's language.
    path("language/", csrf_exempt(set_language), name="set_language"),
]

# Mounted at the site root by shouwei.urls and shouwei.urls_portal.
root_patterns = [
    path("portal/", include((urlpatterns, "portal"))),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        ".well-known/shouwei-integrity.json",
        views.integrity_manifest,
        name="integrity_manifest",
    ),
]
