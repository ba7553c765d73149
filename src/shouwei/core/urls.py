from .views import PeerGroupViews, UnitViews

app_name = "core"
urlpatterns = UnitViews.urls() + PeerGroupViews.urls()
