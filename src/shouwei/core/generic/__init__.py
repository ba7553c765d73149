"""One generic object view set shared by every app (NetBox's generic views, smaller).

An app declares, it does not copy::

    class ObservationViews(ObjectViewSet):
        model = Observation
        filterset = ObservationFilterSet
        table = ObservationTable
        form = ObservationForm
        importer = "observations"
        create = services.observation_create
        update = services.observation_update

    urlpatterns = ObservationViews.urls()

By concern: ``views`` (the view set: list, detail, add/edit, delete), ``forms`` (the scoped
model form), ``pagination``, ``history`` (the detail page's change history) and ``naming``
(URL names, :func:`url_for`). docs/adding-an-app.md is the checklist for a new app.
"""

from .forms import ScopedModelForm, errors_for
from .history import history_rows
from .naming import list_url, platform_url_for, url_for, url_name
from .pagination import MAX_PER_PAGE, DeepPagePaginator, ListPaginator
from .views import ObjectViewSet

__all__ = [
    "MAX_PER_PAGE",
    "DeepPagePaginator",
    "ListPaginator",
    "ObjectViewSet",
    "ScopedModelForm",
    "errors_for",
    "history_rows",
    "list_url",
    "platform_url_for",
    "url_for",
    "url_name",
]
