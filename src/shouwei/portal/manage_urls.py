"""The editing pages, mounted at /content/ by shouwei.urls only: the portal-only instance
(urls_portal) does not route them."""

from django.urls import path

from . import manage_views as views

app_name = "portal_manage"
urlpatterns = [
    *views.ArticleViews.urls(),
    path("articles/<int:pk>/images/", views.upload_image, name="article_image"),
    path("articles/<int:pk>/files/", views.upload_file, name="article_file"),
    path("attachments/<int:pk>/delete/", views.delete_attachment, name="attachment_delete"),
    path(
        "articles/<int:pk>/submit/", views.transition, {"action": "submit"}, name="article_submit"
    ),
    path(
        "articles/<int:pk>/publish/",
        views.transition,
        {"action": "publish"},
        name="article_publish",
    ),
    path(
        "articles/<int:pk>/withdraw/",
        views.transition,
        {"action": "withdraw"},
        name="article_withdraw",
    ),
    path(
        "articles/<int:pk>/return/", views.transition, {"action": "return"}, name="article_return"
    ),
    path("articles/<int:pk>/versions/<int:number>/", views.version, name="article_version"),
    path("articles/<int:pk>/preview/", views.preview, name="article_preview"),
]
