"""Cockpit panels, registered by the apps that own their data, as menus are.

The 驾驶舱 shows the indicators' cards and, beside them, a panel from each domain app (key
projects today; leads, enterprises' requests and overdue tasks next). The cockpit imports no
domain app: an app declares its panel in its own ``panels.py``, which ``CoreConfig.ready()``
imports from every installed app::

    register_cockpit_panel(
        "projects",
        title=_("重点项目"),
        weight=10,
        template="projects/cockpit_panel.html",
        context=project_panel,      # (*, user, unit, period) -> dict | None
    )

``context`` reads through the app's selectors, which start from ``visible_to(user)``: it returns
None when the user may read nothing for the panel at that unit and period, and the panel is then
left out — so a panel shows only data its reader may see, and an empty panel never shows.
``roles`` narrows a panel to the roles named (empty: whoever opens the cockpit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

from .permissions import scope_for

if TYPE_CHECKING:
    from .models import Unit
    from .periods import Period

PanelContext = Callable[..., "dict[str, Any] | None"]


@dataclass(frozen=True)
class CockpitPanel:
    key: str
    title: str
    weight: int
    template: str
    context: PanelContext
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShownPanel:
    """A panel with what its template reads: ``panel.title`` and ``panel.data``."""

    key: str
    title: str
    template: str
    data: dict[str, Any]


_registry: dict[str, CockpitPanel] = {}


def register_cockpit_panel(
    key: str,
    *,
    title: str,
    weight: int,
    template: str,
    context: PanelContext,
    roles: tuple[str, ...] = (),
) -> CockpitPanel:
    panel = CockpitPanel(
        key=key, title=title, weight=weight, template=template, context=context, roles=roles
    )
    known = _registry.get(key)
    if known is not None and known != panel:
        raise ImproperlyConfigured(f"cockpit panel {key!r} is already registered: {known!r}")
    _registry[key] = panel
    return panel


def cockpit_panels() -> list[CockpitPanel]:
    """Every registered panel, lightest weight first (the order they show in)."""
    return sorted(_registry.values(), key=lambda p: (p.weight, p.key))


def panels_for(*, user, unit: Unit, period: Period) -> list[ShownPanel]:
    """The panels ``user`` sees on ``unit``'s cockpit for ``period``, in order."""
    scope = scope_for(user)
    shown = []
    for panel in cockpit_panels():
        if panel.roles and not scope.has_role(*panel.roles):
            continue
        data = panel.context(user=user, unit=unit, period=period)
        if data is None:
            continue
        shown.append(
            ShownPanel(key=panel.key, title=panel.title, template=panel.template, data=data)
        )
    return shown
