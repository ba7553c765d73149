from django.urls import path

from . import views

app_name = "investment"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("fulfilment/", views.fulfilment, name="fulfilment"),
    path("funnel/", views.funnel, name="funnel"),
    path("chain-gaps/", views.chain_gaps, name="chain_gaps"),
    path("leads/<int:pk>/move/", views.lead_move, name="lead_move"),
    path("leads/<int:pk>/lose/", views.lead_lose, name="lead_lose"),
    path("leads/<int:pk>/review/", views.lead_review, name="lead_review"),
    path("leads/<int:pk>/convert/", views.lead_convert, name="lead_convert"),
    path("contracts/<int:pk>/funds-sync/", views.contract_funds_sync, name="contract_funds_sync"),
    path("contracts/<int:pk>/fulfilment/", views.contract_fulfilment, name="contract_fulfilment"),
    *views.LeadViews.urls(),
    *views.ContractViews.urls(),
    *views.EventViews.urls(),
    *views.OfficeViews.urls(),
    *views.AgencyViews.urls(),
    *views.IndustryChainViews.urls(),
    *views.ChainLinkViews.urls(),
    *views.FortuneListEntryViews.urls(),
    *views.AdmissionThresholdViews.urls(),
    *views.AdmissionReviewViews.urls(),
]
