"""The menu, built from what apps register: a feature that is not registered is not shown.

An item shows only to those its page lets in, and the menu asks the page's own check rather
than a second list of roles that could drift from it: a view set's ``may_open`` (its
``required_roles`` and, for its add page, ``can_create``), or the check a function view
declares with ``open_to``. An item names a view set's page by its model and action
(``MenuItem(_("目标"), Target, icon=…)``), so the URL names are made by the view set alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from .data_version import cached_for
from .generic import ObjectViewSet, url_for


@dataclass(frozen=True)
class MenuItem:
    label: str
    # A model (its view set's page ``action``), or the URL name of a function view.
    page: type[models.Model] | str
    icon: str = ""
    action: str = "list"

    def url(self) -> str:
        if isinstance(self.page, str):
            return reverse(self.page)
        return url_for(self.page, self.action)


@dataclass
class MenuGroup:
    label: str
    icon: str
    weight: int
    items: list[MenuItem] = field(default_factory=list)


_registry: dict[str, MenuGroup] = {}


def register_menu(group: str, icon: str, weight: int, *items: MenuItem) -> None:
    g = _registry.setdefault(group, MenuGroup(label=group, icon=icon, weight=weight))
    for item in items:
        if item not in g.items:
            g.items.append(item)


def open_to(check: Callable[..., bool], refusal: str):
    """A function view that only the users ``check(user)`` accepts may open: others get 403
    with ``refusal``; the menu asks the same check before it offers the page."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        guarded.may_open = check
        return guarded

    return decorate


def may_open(user, url: str) -> bool:
    """Would the page at ``url`` let ``user`` in? Answered by the page's own check."""
    try:
        match = resolve(url)
    except Resolver404:
        return False
    check = getattr(match.func, "may_open", None)
    if check is not None:
        return check(user)
    viewset = getattr(match.func, "view_class", None)
    if viewset is None or not issubclass(viewset, ObjectViewSet):
        return True
    # The generic pages' own check, the one their dispatch and add page ask.
    return viewset.may_open(user, match.func.view_initkwargs["action"])


def menu_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    # Which pages open is a question of the person's roles (in the key) and of nothing the
    # path changes; asking every page's check costs 3–8 ms a page, so the offer is kept per
    # person until the next data write (a role change is one) and only "active" is per request.
    offer = cached_for(user, "menu", (user.is_staff,), lambda: _offer(user))
    out = []
    for label, icon, offered in offer:
        items = [
            {
                "label": item_label,
                "url": url,
                "icon": item_icon,
                "active": request.path.startswith(url) and url != "/",
            }
            for item_label, url, item_icon in offered
        ]
        out.append(
            {
                "label": label,
                "icon": icon,
                "items": items,
                "active": any(i["active"] for i in items),
            }
        )
    return out


def _offer(user) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """The groups and items ``user`` may open: (label, icon, [(label, url, icon)]), labels in
    the active language (the cache key holds it)."""
    out = []
    for g in sorted(_registry.values(), key=lambda g: g.weight):
        items = []
        for item in g.items:
            try:
                url = item.url()
            except NoReverseMatch:
                continue
            if may_open(user, url):
                items.append((str(item.label), url, item.icon))
        if items:
            out.append((str(g.label), g.icon, items))
    return out
