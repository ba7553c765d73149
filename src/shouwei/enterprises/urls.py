from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("requests/new/", views.request_add, name="request_new"),
    path("requests/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("requests/<int:pk>/steps/<slug:step>/", views.request_step, name="request_step"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("desk/", views.desk, name="desk"),
    path("my-assignments/", views.my_assignments, name="my_assignments"),
    path("coverage/", views.coverage, name="coverage"),
    path("figures/", views.figures, name="figures"),
    path("mine/", views.contact_home, name="contact_home"),
    path("mine/new/", views.contact_new, name="contact_new"),
    path("mine/<int:pk>/", views.contact_request, name="contact_request"),
    path("mine/<int:pk>/attachments/", views.contact_attachment_add, name="contact_attachment"),
    *views.EnterpriseViews.urls(),
    *views.EnterpriseContactViews.urls(),
    *views.LiaisonAssignmentViews.urls(),
    *views.VisitViews.urls(),
    *views.RequestViews.urls(),
]
