from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    *views.ReportViews.urls(),
    path("reports/build/", views.build, name="build"),
    path("reports/<int:pk>/rebuild/", views.rebuild, name="rebuild"),
    path("reports/<int:pk>/publish/", views.publish, name="publish"),
    path("reports/<int:pk>/progress/", views.progress, name="progress"),
    path("reports/<int:pk>/download/<str:fmt>/", views.download, name="download"),
]
