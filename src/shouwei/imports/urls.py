from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("start/<str:importer>/", views.start, name="start"),
    path("start/<str:importer>/template/", views.template_download, name="template"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/file/", views.batch_file, name="batch_file"),
    path("batches/<int:pk>/commit/", views.batch_commit, name="batch_commit"),
    path("batches/<int:pk>/rollback/", views.batch_rollback, name="batch_rollback"),
]
