"""URL names of the view sets' pages, made in one place.

A page of a view set is named ``app:model_action`` (``projects:annualplan_detail``).
Models' ``get_absolute_url`` and the menus ask :func:`url_for` rather than spell the name,
so the convention lives here and a view set's own namespace (the portal's editing pages)
is honoured everywhere.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.urls import NoReverseMatch, get_resolver, reverse

# The view set of each model, filled as view sets are declared.
_viewsets: dict[type[models.Model], Any] = {}

# Where records' pages live: the platform's URL conf, whichever site this process serves.
PLATFORM_URLCONF = "shouwei.urls"


def register(model: type[models.Model], viewset: Any) -> None:
    _viewsets[model] = viewset


def url_name(model: type[models.Model], action: str, *, namespace: str | None = None) -> str:
    return f"{namespace or model._meta.app_label}:{model._meta.model_name}_{action}"


def viewset_of(model: type[models.Model], urlconf: str | None = None):
    found = _viewsets.get(model)
    if found is None:
        # View sets are declared in the apps' views modules, which the URL conf imports.
        get_resolver(urlconf).url_patterns  # noqa: B018 - loads the URL conf once per process
        found = _viewsets.get(model)
    if found is None:
        # As reverse() answers a name this site does not serve (the portal-only instance).
        raise NoReverseMatch(f"{model.__name__} has no view set on this site")
    return found


def url_for(
    model_or_obj: type[models.Model] | models.Model,
    action: str = "detail",
    *,
    urlconf: str | None = None,
) -> str:
    """The address of a model's page (``list``, ``add``) or of a record's (``detail``,
    ``edit``, ``delete``), in this site's URL conf or in ``urlconf``."""
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    args = None if isinstance(model_or_obj, type) else [model_or_obj.pk]
    return reverse(viewset_of(model, urlconf).url_name(action), urlconf=urlconf, args=args)


def platform_url_for(
    model_or_obj: type[models.Model] | models.Model, action: str = "detail"
) -> str:
    """``url_for`` in the platform's URL conf: for a link stored with a record and shown on
    the platform (a score's facts), which must also be made where this process serves only
    the portal (``SHOUWEI_SITE=portal``: ``loaddemo`` there scores the demo's departments). The
    portal-only instance loads the platform's URL conf for it but does not serve it."""
    return url_for(model_or_obj, action, urlconf=PLATFORM_URLCONF)


def list_url(model: type[models.Model], **params) -> str:
    """A model's list page filtered by ``params`` (empty values left out): the address of a
    record set, as a report's figure names its source."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return url_for(model, "list") + (f"?{query}" if query else "")
