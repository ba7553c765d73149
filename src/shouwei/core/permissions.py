"""The one permission check.

Every read a user can reach starts from ``Model.objects.visible_to(user)`` and every write from
``Model.objects.editable_by(user)`` (NetBox's ``restrict()``), so a page, an export and the API
cannot disagree about what a user may see or change.

A model declares its rule once, as ``scope = ScopeRule(...)``:

* ``unit_fields``: the foreign keys to ``Unit`` that place a record in the tree (``""`` means
  the model *is* a unit). A user with any role at unit U sees records placed at U or below.
* ``public``: records everyone logged in may read (``True`` for all rows, or a ``Q``: approved
  statistics are published figures).
* ``read_ancestors``: records placed at an ancestor of the user's unit are readable too (a
  department sees its zone's targets).
* ``edit_roles``: roles that may change records within their subtree; ``editable`` narrows
  which rows can change at all (an approved observation needs a correction, not an edit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from .choices import Role

READ_ROLES = frozenset(r.value for r in Role) - {Role.ENTERPRISE}


@dataclass(frozen=True)
class ScopeRule:
    unit_fields: tuple[str, ...] = ("unit",)
    public: bool | Q = False
    read_ancestors: bool = False
    edit_roles: tuple[str, ...] = (Role.STAFF,)
    editable: Q | None = None
    read_roles: tuple[str, ...] | None = None  # None: any role at the unit may read


@dataclass(frozen=True)
class UserScope:
    """What a user holds: roles per unit path. Computed once per request."""

    is_superuser: bool
    authenticated: bool
    assignments: tuple[tuple[str, str, str, int], ...] = field(default=())  # (role, path, code, pk)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(a[0] for a in self.assignments)

    @staticmethod
    def _wanted(roles: Iterable[str] | None) -> frozenset[str]:
        # An enterprise contact holds a role at the zone only to file its own requests: it
        # reads nothing of the zone's unless a rule names the role explicitly.
        return READ_ROLES if roles is None else frozenset(roles) | {Role.ADMIN}

    def paths(self, roles: Iterable[str] | None = None) -> list[str]:
        wanted = self._wanted(roles)
        paths = sorted({p for r, p, _c, _pk in self.assignments if r in wanted})
        # "/a/" already covers "/a/b/": keep the shortest prefixes only.
        kept: list[str] = []
        for p in paths:
            if not any(p.startswith(k) for k in kept):
                kept.append(p)
        return kept

    def ancestor_codes(self, roles: Iterable[str] | None = None) -> set[str]:
        """Codes of the units above those where the user holds one of ``roles`` (the same
        roles as ``paths``: a role that reads nothing at its unit reads nothing above it)."""
        wanted = self._wanted(roles)
        codes: set[str] = set()
        for r, path, _c, _pk in self.assignments:
            if r in wanted:
                codes.update(c for c in path.strip("/").split("/")[:-1] if c)
        return codes

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.roles & (set(roles) | {Role.ADMIN}))

    def covers(self, unit_path: str, roles: Iterable[str] | None = None) -> bool:
        if self.is_superuser:
            return True
        return any(unit_path.startswith(p) for p in self.paths(roles))

    @property
    def home_unit_pk(self) -> int | None:
        if not self.assignments:
            return None
        # The highest unit the user holds a role at is their home in the cockpit.
        return min(self.assignments, key=lambda a: (a[1].count("/"), a[1]))[3]


def scope_for(user) -> UserScope:
    if user is None or not user.is_authenticated:
        return UserScope(is_superuser=False, authenticated=False)
    cached = getattr(user, "_shouwei_scope", None)
    if cached is not None:
        return cached
    from .models import RoleAssignment

    rows = tuple(
        RoleAssignment.objects.filter(user=user).values_list(
            "role", "unit__path", "unit__code", "unit_id"
        )
    )
    scope = UserScope(is_superuser=user.is_superuser, authenticated=True, assignments=rows)
    user._shouwei_scope = scope
    return scope


def _prefix_q(field_name: str, paths: list[str]) -> Q:
    lookup = f"{field_name}__path__startswith" if field_name else "path__startswith"
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{lookup: p})
    return q


class ScopedQuerySet(models.QuerySet):
    def _rule(self) -> ScopeRule:
        return self.model.scope

    def visible_to(self, user) -> ScopedQuerySet:
        rule = self._rule()
        scope = scope_for(user)
        if not scope.authenticated:
            return self.none()
        if scope.is_superuser or rule.public is True:
            return self
        paths = scope.paths(rule.read_roles)
        if not rule.unit_fields:
            # Records placed at no unit (portal articles): holding a read role anywhere reads
            # them all, as holding an edit role anywhere changes them (editable_by below).
            if paths:
                return self
            return self.filter(rule.public) if isinstance(rule.public, Q) else self.none()
        q = Q(pk__in=[])
        for f in rule.unit_fields:
            q |= _prefix_q(f, paths)
            if rule.read_ancestors:
                codes = scope.ancestor_codes(rule.read_roles)
                if codes:
                    q |= Q(**{f"{f}__code__in" if f else "code__in": sorted(codes)})
        if isinstance(rule.public, Q):
            q |= rule.public
        return self.filter(q)

    def editable_by(self, user) -> ScopedQuerySet:
        rule = self._rule()
        scope = scope_for(user)
        if not scope.authenticated:
            return self.none()
        qs = self
        if rule.editable is not None:
            qs = qs.filter(rule.editable)
        if scope.is_superuser:
            return qs
        if not rule.unit_fields:
            # Records placed at no unit (the indicator catalogue, peer groups) belong to the
            # whole platform: the roles named may change them, and an administrator always may.
            return qs if scope.has_role(*rule.edit_roles) else qs.none()
        paths = scope.paths(rule.edit_roles)
        if not paths:
            return qs.none()
        q = Q(pk__in=[])
        for f in rule.unit_fields:
            q |= _prefix_q(f, paths)
        return qs.filter(q)


def can_view(user, obj) -> bool:
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


def can_change(user, obj) -> bool:
    return type(obj).objects.editable_by(user).filter(pk=obj.pk).exists()


def can_create(user, model, unit=None) -> bool:
    """May the user add a record of ``model`` placed at ``unit`` (any unit when None)?"""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    rule: ScopeRule = model.scope
    # The same roles as editable_by: those named, and an administrator always.
    if unit is None or not rule.unit_fields:
        return scope.has_role(*rule.edit_roles)
    return scope.covers(unit.path, rule.edit_roles)
