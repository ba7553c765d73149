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
    path("schedulingcalls/todo/", views.call_todo, name="call_todo"),
    path("schedulingcalls/<int:pk>/close/", views.call_close, name="call_close"),
    path("schedulingcalls/<int:pk>/remind/<int:unit_pk>/", views.call_remind, name="call_remind"),
    path("schedulingcalls/<int:pk>/sheet/", views.call_sheet, name="call_sheet"),
    *views.SchedulingCallViews.urls(),
    path("procedures/board/", views.procedure_board, name="procedure_board"),
    *views.ProcedureViews.urls(),
    path("funding/board/", views.funding_board, name="funding_board"),
    *views.FundingSourceViews.urls(),
    *views.RollingPlanViews.urls(),
    *views.StoppageViews.urls(),
    *views.ProjectViews.urls(),
    *views.AnnualPlanViews.urls(),
    *views.ProgressReportViews.urls(),
    *views.ProblemViews.urls(),
]
