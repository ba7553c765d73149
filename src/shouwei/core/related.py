"""Records of other apps shown on an enterprise's page, registered by the apps that own them.

The enterprise page (enterprises app) lists the enterprise's key projects and investment leads
when those apps are installed, yet domain apps import none of each other (.importlinter). So,
as with cockpit panels, an app declares a provider in its own ``panels.py``::

    register_enterprise_related(
        "projects",
        title=_("重点项目"),
        weight=10,
        rows=enterprise_projects,   # (*, user, uscc, name) -> list[RelatedRow]
    )

``rows`` reads through the app's selectors, which start from ``visible_to(user)``, so a record
of a unit the user may not read never shows. It receives both the enterprise's 统一社会信用代码
and its registered name: each provider says in its docstring which key it matches on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class RelatedRow:
    """One line of a related list: a linked label and a few short facts beside it."""

    label: str
    url: str
    facts: tuple[str, ...] = ()


RowsProvider = Callable[..., "list[RelatedRow]"]


@dataclass(frozen=True)
class RelatedProvider:
    key: str
    title: str
    weight: int
    rows: RowsProvider
    empty: str = ""


@dataclass(frozen=True)
class RelatedSection:
    """A provider's title with the rows ``user`` may see (possibly none: the empty state)."""

    key: str
    title: str
    rows: list[RelatedRow] = field(default_factory=list)
    empty: str = ""


_registry: dict[str, RelatedProvider] = {}


def register_enterprise_related(
    key: str, *, title: str, weight: int, rows: RowsProvider, empty: str = ""
) -> RelatedProvider:
    provider = RelatedProvider(key=key, title=title, weight=weight, rows=rows, empty=empty)
    known = _registry.get(key)
    if known is not None and known != provider:
        raise ImproperlyConfigured(f"enterprise provider {key!r} is already registered")
    _registry[key] = provider
    return provider


def enterprise_providers() -> list[RelatedProvider]:
    return sorted(_registry.values(), key=lambda p: (p.weight, p.key))


def related_for_enterprise(*, user, uscc: str, name: str) -> list[RelatedSection]:
    """Every registered provider's section for the enterprise, lightest weight first."""
    return [
        RelatedSection(
            key=p.key,
            title=p.title,
            rows=list(p.rows(user=user, uscc=uscc, name=name)),
            empty=p.empty,
        )
        for p in enterprise_providers()
    ]
