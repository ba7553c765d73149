from django.urls import path

from .views import (
    PeerGroupViews,
    UnitViews,
    notification_list,
    notification_open,
    notification_read_all,
    security_log_list,
)

app_name = "core"
urlpatterns = [
    *UnitViews.urls(),
    *PeerGroupViews.urls(),
    path("notifications/", notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", notification_open, name="notification_open"),
    path("notifications/read-all/", notification_read_all, name="notification_read_all"),
    path("security-log/", security_log_list, name="security_log"),
]
