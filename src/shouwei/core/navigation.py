"""The menu, built from what apps register: a feature that is not registered is not shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from .permissions import scope_for


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = ""
    roles: tuple[str, ...] = ()  # empty: everyone logged in


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
