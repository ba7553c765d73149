"""The portal's pages (under /portal/) and the root-level files the web expects
(/sitemap.xml, /.well-known/shouwei-integrity.json), shared by both URL configurations."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

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
