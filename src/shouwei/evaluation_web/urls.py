from django.urls import path

from . import views

app_name = "evaluation_web"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/rerun/", views.run_rerun, name="run_rerun"),
    path("runs/<int:pk>/export.xlsx", views.run_export, name="run_export"),
]
