"""The menu, built from what apps register: a feature that is not registered is not shown.

An item shows only to those its page lets in, and the menu asks the page's own check rather
than a second list of roles that could drift from it: a view set's ``required_roles`` (and, for
its add page, ``can_create``), or the check a function view declares with ``open_to``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from .permissions import can_create, scope_for


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = ""
    # Narrows an item whose page lets everyone in but is of use to these roles only (the
    # import history). A page that refuses others says so itself, with ``open_to``.
    roles: tuple[str, ...] = ()


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
    viewset = getattr(match.func, "view_initkwargs", {}).get("viewset")
    if viewset is None:
        return True
    # The generic pages' own check (ObjectViewSet.check_access) and, on an add page, the
    # right to create that its view asks before it shows the form.
    if viewset.required_roles and not scope_for(user).has_role(*viewset.required_roles):
        return False
    if match.view_name == viewset.url_name("add"):
        return can_create(user, viewset.model)
    return True


def menu_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    scope = scope_for(user)
    out = []
    for g in sorted(_registry.values(), key=lambda g: g.weight):
        items = []
        for item in g.items:
            if item.roles and not scope.has_role(*item.roles):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            if not may_open(user, url):
                continue
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "icon": item.icon,
                    "active": request.path.startswith(url) and url != "/",
                }
            )
        if items:
            out.append(
                {
                    "label": g.label,
                    "icon": g.icon,
                    "items": items,
                    "active": any(i["active"] for i in items),
                }
            )
    return out
