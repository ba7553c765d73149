from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("supervisionnotices/<int:pk>/issue/", views.notice_issue, name="notice_issue"),
    path("supervisionnotices/<int:pk>/sign/", views.notice_sign, name="notice_sign"),
    path("supervisionnotices/<int:pk>/answer/", views.notice_answer, name="notice_answer"),
    path("supervisionnotices/<int:pk>/close/", views.notice_close, name="notice_close"),
    path("supervisionnotices/<int:pk>/docx/", views.notice_docx, name="notice_docx"),
    path("extensionrequests/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path(
        "progressreports/<int:pk>/attachments/",
        views.report_attachment_add,
        name="report_attachment_add",
    ),
    path("progressreportattachments/<int:pk>/", views.report_attachment, name="report_attachment"),
    path("performanceschemes/<int:pk>/run/", views.scheme_run, name="scheme_run"),
    *views.GoalViews.urls(),
    *views.TaskBookViews.urls(),
    *views.MilestoneViews.urls(),
    *views.ProgressReportViews.urls(),
    *views.SupervisionNoticeViews.urls(),
    *views.ExtensionRequestViews.urls(),
    *views.SafetyIncidentViews.urls(),
    *views.ArrearsViews.urls(),
    *views.PerformanceSchemeViews.urls(),
    *views.SchemeItemViews.urls(),
    *views.ScoreAdjustmentViews.urls(),
    *views.ScoreRunViews.urls(),
    *views.DepartmentScoreViews.urls(),
]
