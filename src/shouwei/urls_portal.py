"""URLs of the portal-only instance (SHOUWEI_SITE=portal): the public site and nothing else.
Static files are served by WhiteNoise's middleware, outside the URL configuration."""

from django.urls import path

from shouwei.portal import views as portal_views
from shouwei.portal.urls import root_patterns

urlpatterns = [
    path("", portal_views.home, name="home"),
    *root_patterns,
]

handler404 = "shouwei.portal.views.page_not_found"
handler500 = "shouwei.core.views.server_error"
