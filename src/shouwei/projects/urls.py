from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("problems/board/", views.problem_board, name="problem_board"),
    path("progress/entry/", views.progress_entry, name="progress_entry"),
    path("weekly-sheet/", views.weekly_sheet, name="weekly_sheet"),
    path("projects/<int:pk>/photos/add/", views.photo_add, name="photo_add"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path(
        "photos/<int:pk>/thumbnail/",
        views.photo,
        {"thumbnail": True},
        name="photo_thumbnail",
    ),
    *views.ProjectViews.urls(),
    *views.AnnualPlanViews.urls(),
    *views.ProgressReportViews.urls(),
    *views.ProblemViews.urls(),
]
