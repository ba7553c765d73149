from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("cockpit/", views.cockpit, name="cockpit"),
    path("indicators/<int:pk>/unit/", views.indicator_unit_detail, name="indicator_unit"),
    path("observations/<int:pk>/submit/", views.observation_submit, name="observation_submit"),
    path("observations/<int:pk>/approve/", views.observation_approve, name="observation_approve"),
    path("observations/<int:pk>/reject/", views.observation_reject, name="observation_reject"),
    path("observations/<int:pk>/correct/", views.observation_correct, name="observation_correct"),
    *views.IndicatorViews.urls(),
    *views.ObservationViews.urls(),
    *views.TargetViews.urls(),
]
