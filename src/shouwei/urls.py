from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from shouwei.core import views as core_views
from shouwei.portal import views as portal_views
from shouwei.portal.urls import root_patterns as portal_patterns

urlpatterns = [
    # Anonymous visitors at / get the public portal; the platform starts at the cockpit.
    path("", core_views.site_root(anonymous=portal_views.home), name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", core_views.password_change, name="password_change"),
    path("accounts/login/verify/", core_views.two_factor_verify, name="two_factor_verify"),
    path("accounts/2fa/", core_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/reauth/", core_views.reauthenticate, name="reauthenticate"),
    path("accounts/sessions/", core_views.session_list, name="session_list"),
    path("accounts/sessions/<int:pk>/end/", core_views.session_end, name="session_end"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("shouwei.core.urls")),
    path("indicators/", include("shouwei.indicators.urls")),
    path("imports/", include("shouwei.imports.urls")),
    path("evaluation/", include("shouwei.evaluation_web.urls")),
    path("projects/", include("shouwei.projects.urls")),
    path("reports/", include("shouwei.reports.urls")),
    path("enterprises/", include("shouwei.enterprises.urls")),
    path("supervision/", include("shouwei.supervision.urls")),
    path("investment/", include("shouwei.investment.urls")),
    path("content/", include("shouwei.portal.manage_urls")),
    path("api/", include("shouwei.api.urls")),
    path("admin/", admin.site.urls),
    *portal_patterns,
]

handler400 = "shouwei.core.views.bad_request"
handler403 = "shouwei.core.views.permission_denied"
handler404 = "shouwei.core.views.page_not_found"
handler500 = "shouwei.core.views.server_error"
