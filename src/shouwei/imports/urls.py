from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("start/<str:importer>/", views.start, name="start"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
]
