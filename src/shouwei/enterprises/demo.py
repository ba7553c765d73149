"""The demo's enterprise service (``demo/data/enterprises.toml``): cadres, enterprises, their
assignments to enterprises and to the projects app's key projects, and a half-year of
requests. Synthetic records; the figures (cadres, enterprises and projects served, coverage)
are counted from them by the selectors, never stored.

Idempotent: cadres are keyed on login name, enterprises on USCC, assignments on cadre ×
target × start, requests on enterprise × description; a record that exists is left as it is.
The records are written in bulk (with their history rows): a thousand rows one by one would
add many seconds to every demo load and every test session.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from simple_history.utils import bulk_create_with_history

from shouwei.core.choices import Role
from shouwei.core.models import RoleAssignment, Unit
from shouwei.demo.registry import DemoContext, read_toml, register_demo_loader, upsert

from . import tallies
from .models import Enterprise, EnterpriseContact, LiaisonAssignment, Request

# The scheme (《“一对一”联点企业服务工作方案》) started with the year.
ASSIGNED_FROM = date(2022, 1, 1)
# The demo's enterprise contact account (shouwei.demo.accounts) speaks for the first one.
DEMO_CONTACT = "enterprise"


def _missing(rows, key, existing_keys) -> list:
    have = set(existing_keys)
    return [r for r in rows if key(r) not in have]


@register_demo_loader("enterprises", after=("projects",))
def load_enterprises(ctx: DemoContext) -> None:
    if not ctx.synthetic:
        return  # the article names no enterprise: all of this is synthetic
    report = ctx.report
    data = read_toml("enterprises")
    units = {u.code: u for u in Unit.objects.filter(code__startswith="hy-gxq")}
    cadres = _load_cadres(data["cadres"], units, report)
    enterprises = _load_enterprises(data["enterprises"], units, report)
    first = enterprises[data["enterprises"][0]["uscc"]]
    _, created = upsert(EnterpriseContact, username=DEMO_CONTACT, defaults={"enterprise": first})
    report.add("enterprise contacts", created)
    projects = apps.get_model("projects", "Project").objects.in_bulk(field_name="code")
    wanted = [
        LiaisonAssignment(
            cadre=cadres[row["cadre"]][0],
            unit=cadres[row["cadre"]][1],
            enterprise=enterprises[row["uscc"]],
            starts_on=ASSIGNED_FROM,
        )
        for row in data["enterprises"]
        if row["cadre"]
    ] + [
        LiaisonAssignment(
            cadre=cadres[row["cadre"]][0],
            unit=cadres[row["cadre"]][1],
            project=projects[row["project"]],
            starts_on=ASSIGNED_FROM,
        )
        for row in data["project_assignments"]
        if row["project"] in projects
    ]
    new = _missing(
        wanted,
        lambda a: (a.cadre_id, a.enterprise_id, a.project_id, a.starts_on),
        LiaisonAssignment.objects.values_list(
            "cadre_id", "enterprise_id", "project_id", "starts_on"
        ),
    )
    bulk_create_with_history(new, LiaisonAssignment)
    report.add_count("liaison assignments", len(new))
    _load_requests(data["requests"], units, enterprises, report)


def _load_cadres(rows, units, report) -> dict:
    User = get_user_model()
    existing = User.objects.filter(username__in=[r["username"] for r in rows])
    have = {u.username for u in existing}
    # Demo records, not logins: no usable password.
    User.objects.bulk_create(
        User(username=r["username"], first_name=r["name"], password=make_password(None))
        for r in rows
        if r["username"] not in have
    )
    report.add_count("liaison cadres", len(rows) - len(have))
    users = User.objects.in_bulk([r["username"] for r in rows], field_name="username")
    held = set(
        RoleAssignment.objects.filter(role=Role.LIAISON, user__in=users.values()).values_list(
            "user_id", "unit_id"
        )
    )
    bulk_create_with_history(
        [
            RoleAssignment(user=users[r["username"]], unit=units[r["unit"]], role=Role.LIAISON)
            for r in rows
            if (users[r["username"]].pk, units[r["unit"]].pk) not in held
        ],
        RoleAssignment,
    )
    return {r["username"]: (users[r["username"]], units[r["unit"]]) for r in rows}


def _load_enterprises(rows, units, report) -> dict:
    have = set(Enterprise.objects.values_list("uscc", flat=True))
    new = [
        Enterprise(
            uscc=r["uscc"],
            name=r["name"],
            legal_representative=r["legal_representative"],
            industry=r["industry"],
            scale=r["scale"],
            is_key=r["is_key"],
            street=units[r["street"]],
            liaison_unit=units[r["liaison_unit"]],
        )
        for r in rows
        if r["uscc"] not in have
    ]
    bulk_create_with_history(new, Enterprise)
    report.add_count("enterprises", len(new))
    return Enterprise.objects.in_bulk([r["uscc"] for r in rows], field_name="uscc")


def _load_requests(rows, units, enterprises, report) -> None:
    wanted = []
    for row in rows:
        fields = {k: v for k, v in row.items() if k != "enterprise"}
        if "assigned_department" in fields:
            fields["assigned_department"] = units[fields["assigned_department"]]
        wanted.append(Request(enterprise=enterprises[row["enterprise"]], **fields))
    new = _missing(
        wanted,
        lambda r: (r.enterprise_id, r.description),
        Request.objects.values_list("enterprise_id", "description"),
    )
    bulk_create_with_history(new, Request)
    report.add_count("enterprise requests", len(new))
    # bulk_create sends no signal: the tallies are recomputed from the requests.
    tallies.rebuild()
