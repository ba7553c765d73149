"""The one permission check: a write contract per model.

Each scoped model declares, next to its fields, who may do which action where::

    contract = Contract(
        unit_fields=("reporting_unit", "unit"),
        served_fields=("unit",),
        public=Q(status=ObservationStatus.APPROVED),
        actions={
            VIEW: Grant(READERS),
            ADD: Grant((Role.STAFF, Role.STATISTICIAN)),
            APPROVE: Grant((Role.STATISTICIAN,), when=Q(status=ObservationStatus.SUBMITTED)),
        },
    )

and every entry point asks it — pages, forms, the API, importers (each resolved row and each
rolled-back record), exports and services — through ``Model.objects.restrict(user, action)``
(NetBox's ``restrict()``) or ``require(user, action, obj)``. An action the table does not name is
refused to everyone but a superuser.

The rules, in words (docs/decisions/0006-write-contract.md):

* A role held at unit U covers U and everything below it.
* **Reading** a record needs the ``view`` roles at *any one* of its unit fields (a zone reads the
  records its departments report), or the record is ``public``, or — with ``read_ancestors`` —
  it is placed at a unit above the user's (a department reads its zone's targets).
* **Writing** needs the action's roles at *every* unit field of the record: a record cannot be
  placed at another department, or at a peer district, by naming one's own department in a
  second field. A field in ``served_fields`` may also name the one unit a department serves —
  its parent zone (产业发展局 reports the zone's own figures); a field in ``zone_fields`` may name
  any unit of that zone (a problem is handed to another department of the zone).
* ``when`` narrows the rows an action applies to (only a submitted figure can be approved), for
  superusers too: it is a rule of the record, not of the person.
* The administrator role counts as every role; a superuser may do everything ``when`` allows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .choices import Role, UnitKind

security_log = logging.getLogger("shouwei.security")

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
SUBMIT = "submit"
APPROVE = "approve"
REJECT = "reject"
CORRECT = "correct"
ROLLBACK = "rollback"
PUBLISH = "publish"
WITHDRAW = "withdraw"

# Everyone with a role in the zone's work. The enterprise contact holds a role at the zone only
# to file its own requests, and the portal's editors work on the portal: neither reads the
# zone's internal records unless a contract names their role.
STAFF_READERS = (Role.LEADER, Role.SUPERVISOR, Role.STAFF, Role.STATISTICIAN, Role.LIAISON)
ADMIN_ONLY: tuple[str, ...] = ()

# A department (not a zone, a park or a street) reports for the unit above it.
SERVING_KINDS = frozenset({UnitKind.DEPARTMENT.value})


@dataclass(frozen=True)
class Placement:
    """How a record's unit fields must relate to the user's units for a write: ``own`` within
    the user's subtree, ``served`` there or the zone a department serves, ``zone`` anywhere in
    that zone."""

    own: tuple[str, ...] = ()
    served: tuple[str, ...] = ()
    zone: tuple[str, ...] = ()

    def fields(self) -> list[tuple[str, str]]:
        return [
            *((f, "own") for f in self.own),
            *((f, "served") for f in self.served),
            *((f, "zone") for f in self.zone),
        ]


@dataclass(frozen=True)
class Grant:
    """Who may do one action: these roles (the administrator always), on rows ``when`` allows.
    ``placements`` (any one suffices) replace the contract's own for this action: the
    department a project's problem is handed to may work it, as the project's may."""

    roles: tuple[str, ...]
    when: Q | None = None
    placements: tuple[Placement, ...] | None = None


@dataclass(frozen=True)
class Contract:
    """Where a model's records sit in the unit tree, and the action table.

    ``unit_fields``: foreign keys (or paths such as ``project__responsible_unit``) to ``Unit``
    that place a record; ``("",)`` means the model *is* a unit, ``()`` that its records belong
    to the whole platform (the indicator catalogue, portal articles).
    """

    actions: Mapping[str, Grant]
    unit_fields: tuple[str, ...] = ("unit",)
    served_fields: tuple[str, ...] = ()
    zone_fields: tuple[str, ...] = ()
    public: bool | Q = False
    read_ancestors: bool = False

    def grant(self, action: str) -> Grant | None:
        return self.actions.get(action)

    def placements(self, grant: Grant) -> tuple[Placement, ...]:
        if grant.placements is not None:
            return grant.placements
        special = set(self.served_fields) | set(self.zone_fields)
        return (
            Placement(
                own=tuple(f for f in self.unit_fields if f not in special),
                served=self.served_fields,
                zone=self.zone_fields,
            ),
        )

    def roles(self, action: str) -> tuple[str, ...]:
        g = self.grant(action)
        return g.roles if g else ()


@dataclass(frozen=True)
class Assignment:
    role: str
    path: str
    code: str
    unit_pk: int
    kind: str

    @property
    def parent_path(self) -> str | None:
        parts = self.path.strip("/").split("/")
        return "/" + "/".join(parts[:-1]) + "/" if len(parts) > 1 else None

    @property
    def parent_code(self) -> str | None:
        parts = self.path.strip("/").split("/")
        return parts[-2] if len(parts) > 1 else None


@dataclass(frozen=True)
class UserScope:
    """What a user holds: roles per unit path. Computed once per request."""

    is_superuser: bool
    authenticated: bool
    assignments: tuple[Assignment, ...] = field(default=())

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(a.role for a in self.assignments)

    def _holding(self, roles: Iterable[str]) -> list[Assignment]:
        wanted = frozenset(roles) | {Role.ADMIN}
        return [a for a in self.assignments if a.role in wanted]

    def paths(self, roles: Iterable[str]) -> list[str]:
        """The shortest unit paths at which the user holds one of ``roles``."""
        return _shortest(a.path for a in self._holding(roles))

    def served_codes(self, roles: Iterable[str]) -> list[str]:
        """Units a department the user holds one of ``roles`` at reports for (its zone)."""
        return sorted(
            {a.parent_code for a in self._holding(roles) if a.kind in SERVING_KINDS} - {None}
        )

    def zone_paths(self, roles: Iterable[str]) -> list[str]:
        """The subtrees of the zones the user's departments serve, and the user's own."""
        return _shortest(
            (a.parent_path if a.kind in SERVING_KINDS and a.parent_path else a.path)
            for a in self._holding(roles)
        )

    def ancestor_codes(self, roles: Iterable[str]) -> set[str]:
        """Codes of the units above those where the user holds one of ``roles``."""
        codes: set[str] = set()
        for a in self._holding(roles):
            codes.update(c for c in a.path.strip("/").split("/")[:-1] if c)
        return codes

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self._holding(roles))

    def covers(self, unit_path: str, roles: Iterable[str]) -> bool:
        if self.is_superuser:
            return True
        return any(unit_path.startswith(p) for p in self.paths(roles))

    @property
    def home_unit_pk(self) -> int | None:
        if not self.assignments:
            return None
        # The highest unit the user holds a role at is their home in the cockpit.
        return min(self.assignments, key=lambda a: (a.path.count("/"), a.path)).unit_pk

    def home_unit_pk_for(self, roles: Iterable[str]) -> int | None:
        """The highest unit at which the user holds one of ``roles`` (where their records go)."""
        held = self._holding(roles)
        if not held:
            return None
        return min(held, key=lambda a: (a.path.count("/"), a.path)).unit_pk


def _shortest(paths: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def scope_for(user) -> UserScope:
    if user is None or not user.is_authenticated:
        return UserScope(is_superuser=False, authenticated=False)
    cached = getattr(user, "_shouwei_scope", None)
    if cached is not None:
        return cached
    from .models import RoleAssignment

    rows = tuple(
        Assignment(*row)
        for row in RoleAssignment.objects.filter(user=user).values_list(
            "role", "unit__path", "unit__code", "unit_id", "unit__kind"
        )
    )
    scope = UserScope(is_superuser=user.is_superuser, authenticated=True, assignments=rows)
    user._shouwei_scope = scope
    return scope


def contract_of(model) -> Contract:
    return model.contract


# --- querysets ---------------------------------------------------------------------------------
def _path_lookup(field_name: str) -> str:
    return f"{field_name}__path__startswith" if field_name else "path__startswith"


def _code_lookup(field_name: str) -> str:
    return f"{field_name}__code__in" if field_name else "code__in"


def _prefix_q(field_name: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{_path_lookup(field_name): p})
    return q


def _nullable(model, field_name: str) -> bool:
    """Whether the unit field may be empty (an empty field places nothing, so it passes)."""
    if not field_name:
        return False
    opts = model._meta
    f = None
    for part in field_name.split("__"):
        f = opts.get_field(part)
        if f.null:
            return True
        if f.related_model is not None:
            opts = f.related_model._meta
    return False


def _field_write_q(model, scope: UserScope, f: str, how: str, roles) -> Q:
    if how == "zone":
        q = _prefix_q(f, scope.zone_paths(roles))
    else:
        q = _prefix_q(f, scope.paths(roles))
        if how == "served":
            codes = scope.served_codes(roles)
            if codes:
                q |= Q(**{_code_lookup(f): codes})
    if _nullable(model, f):
        q |= Q(**{f"{f}__isnull": True})
    return q


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW) -> ScopedQuerySet:
        """The rows on which ``user`` may do ``action``."""
        contract = contract_of(self.model)
        scope = scope_for(user)
        if not scope.authenticated:
            return self.none()
        if action == VIEW:
            return self._readable(contract, scope)
        grant = contract.grant(action)
        if grant is None:
            return self.none()  # an action the contract does not name: nobody, ever
        qs = self._when(grant)
        if scope.is_superuser:
            return qs
        if not contract.unit_fields:
            return qs if scope.has_role(*grant.roles) else qs.none()
        q = Q(pk__in=[])
        for placement in contract.placements(grant):
            every = Q()
            for f, how in placement.fields():
                every &= _field_write_q(self.model, scope, f, how, grant.roles)
            q |= every
        return qs.filter(q)

    def _when(self, grant: Grant | None) -> ScopedQuerySet:
        return self.filter(grant.when) if grant is not None and grant.when is not None else self

    def _readable(self, contract: Contract, scope: UserScope) -> ScopedQuerySet:
        if scope.is_superuser or contract.public is True:
            return self
        roles = contract.roles(VIEW)
        public = contract.public if isinstance(contract.public, Q) else None
        paths = scope.paths(roles)
        if not contract.unit_fields:
            # Records placed at no unit: holding a reading role anywhere reads them all.
            if scope.has_role(*roles):
                return self
            return self.filter(public) if public is not None else self.none()
        q = Q(pk__in=[])
        for f in contract.unit_fields:
            q |= _prefix_q(f, paths)
            if contract.read_ancestors:
                codes = scope.ancestor_codes(roles)
                if codes:
                    q |= Q(**{_code_lookup(f): sorted(codes)})
        if public is not None:
            q |= public
        return self.filter(q)

    # The names every read and write path has used since wave 1.
    def visible_to(self, user) -> ScopedQuerySet:
        return self.restrict(user, VIEW)

    def editable_by(self, user) -> ScopedQuerySet:
        return self.restrict(user, CHANGE)


# --- single records ----------------------------------------------------------------------------
def _unit_at(obj, field_name: str):
    """The unit a (maybe unsaved) record names in ``field_name`` (``a__b`` follows relations)."""
    if not field_name:
        return obj
    value = obj
    for part in field_name.split("__"):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def _unit_allowed(scope: UserScope, how: str, unit, roles) -> bool:
    if unit is None:
        return True
    if how == "zone":
        return any(unit.path.startswith(p) for p in scope.zone_paths(roles))
    if any(unit.path.startswith(p) for p in scope.paths(roles)):
        return True
    return how == "served" and unit.code in scope.served_codes(roles)


def _placement_check(user, model, action: str, unit_ok) -> bool:
    """The part of a write check that looks at units: superusers pass, an action the contract
    does not name fails, a platform-wide record needs the roles anywhere, and otherwise any one
    placement must pass ``unit_ok(scope, placement, roles)``."""
    contract = contract_of(model)
    scope = scope_for(user)
    if not scope.authenticated:
        return False
    if scope.is_superuser:
        return True
    grant = contract.grant(action)
    if grant is None:
        return False
    if not contract.unit_fields:
        return scope.has_role(*grant.roles)
    return any(unit_ok(scope, p, grant.roles) for p in contract.placements(grant))


def units_allowed(user, model, action: str, obj) -> bool:
    """Does every unit ``obj`` names (as it is in memory, saved or not) allow ``action``?"""
    return _placement_check(
        user,
        model,
        action,
        lambda scope, p, roles: all(
            _unit_allowed(scope, how, _unit_at(obj, f), roles) for f, how in p.fields()
        ),
    )


def allows(user, action: str, obj) -> bool:
    """May ``user`` do ``action`` on ``obj``?

    For a saved record, its stored row must allow the action (its ``when`` and its units as
    stored) *and* the units it names now (a change must not move it where the user may not
    write). A new record is judged on the units it names."""
    model = type(obj)
    if action == VIEW:
        return (
            obj.pk is not None
            and model._default_manager.restrict(user, VIEW).filter(pk=obj.pk).exists()
        )
    new_record = action == ADD or obj.pk is None
    if (
        not new_record
        and not model._default_manager.restrict(user, action).filter(pk=obj.pk).exists()
    ):
        return False
    return units_allowed(user, model, action, obj)


def require(user, action: str, obj, message: str | None = None) -> None:
    """Raise PermissionDenied (logged on ``shouwei.security``) unless ``allows``."""
    if allows(user, action, obj):
        return
    model = type(obj)
    security_log.warning(
        "refused %s of %s #%s by %s", action, model._meta.model_name, obj.pk or "new", user
    )
    raise PermissionDenied(message or _("您无权对该记录执行此操作"))


def may(user, model, action: str) -> bool:
    """Does the user hold the action's roles anywhere (a button, a menu item, an upload)?"""
    scope = scope_for(user)
    if not scope.authenticated:
        return False
    contract = contract_of(model)
    if scope.is_superuser:
        return action == VIEW or contract.grant(action) is not None
    if action == VIEW:
        return contract.public is not False or scope.has_role(*contract.roles(VIEW))
    grant = contract.grant(action)
    return grant is not None and scope.has_role(*grant.roles)


def writable_units(user, model, action: str = ADD, field_name: str | None = None):
    """The units a record of ``model`` may name in ``field_name`` for this user (a form's
    drop-down offers only these)."""
    from .models import Unit

    contract = contract_of(model)
    field_name = field_name if field_name is not None else contract.unit_fields[0]
    scope = scope_for(user)
    units = Unit.objects.all()
    if scope.is_superuser:
        return units
    grant = contract.grant(action)
    if grant is None or not scope.authenticated:
        return units.none()
    q = Q(pk__in=[])
    for placement in contract.placements(grant):
        for f, how in placement.fields():
            if f != field_name:
                continue
            if how == "zone":
                q |= _prefix_q("", scope.zone_paths(grant.roles))
                continue
            q |= _prefix_q("", scope.paths(grant.roles))
            codes = scope.served_codes(grant.roles)
            if how == "served" and codes:
                q |= Q(code__in=codes)
    return units.filter(q)


def reads_internally(user, obj) -> bool:
    """Does the user read ``obj`` as one of its units' own people, not only as a published
    figure? Who entered and approved a public figure, from which import file, and its change
    history, are for them alone."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    contract = contract_of(type(obj))
    if contract.public is True:
        return True  # reference data (units, the catalogue): its history is everyone's
    if not contract.unit_fields:
        return scope.has_role(*contract.roles(VIEW))
    paths = scope.paths(contract.roles(VIEW))
    return any(
        unit is not None and any(unit.path.startswith(p) for p in paths)
        for unit in (_unit_at(obj, f) for f in contract.unit_fields)
    )


def administers(user, obj) -> bool:
    """Is the user the administrator of ``obj`` — a superuser, or the administrator role at a
    unit covering one of its unit fields (anywhere, for reference data with none)? The restore
    of an old version is theirs (docs/decisions/0011); the write contract still judges it."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    paths = scope.paths(())  # the administrator role alone
    if not paths:
        return False
    fields = contract_of(type(obj)).unit_fields
    if not fields:
        return True
    return any(
        unit is not None and any(unit.path.startswith(p) for p in paths)
        for unit in (_unit_at(obj, f) for f in fields)
    )


def visible_users(user):
    """People the user may pick (a project's liaison cadre): those holding a role at a unit
    the user reads, never every account of every unit."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    scope = scope_for(user)
    if scope.is_superuser:
        return users
    if not scope.authenticated:
        return users.none()
    q = Q(pk__in=[])
    for p in _shortest(a.path for a in scope.assignments):
        q |= Q(role_assignments__unit__path__startswith=p)
    return users.filter(q).distinct()


# --- wave-1 names, kept for the many reads that use them ----------------------------------------
def can_view(user, obj) -> bool:
    return allows(user, VIEW, obj)


def can_change(user, obj) -> bool:
    return allows(user, CHANGE, obj)


def can_create(user, model, unit=None) -> bool:
    """May the user add a record of ``model`` placed at ``unit`` (anywhere when None)?"""
    if unit is None:
        return may(user, model, ADD)
    first = contract_of(model).unit_fields[:1]
    return _placement_check(
        user,
        model,
        ADD,
        lambda scope, p, roles: any(
            _unit_allowed(scope, how, unit, roles) for f, how in p.fields() if (f,) == first
        ),
    )


def manage(roles: tuple[str, ...], when: Q | None = None) -> dict[str, Grant]:
    """add / change / delete for the same roles (``when`` narrows change and delete)."""
    return {ADD: Grant(roles), CHANGE: Grant(roles, when), DELETE: Grant(roles, when)}


def catalogue_contract() -> Contract:
    """Platform-wide reference data (units, peer groups, the indicator catalogue): everyone
    logged in reads it, the administrator keeps it."""
    return Contract(
        unit_fields=(), public=True, actions={VIEW: Grant(ADMIN_ONLY), **manage(ADMIN_ONLY)}
    )
