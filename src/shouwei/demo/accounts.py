"""One demo account per role, with random passwords printed once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from shouwei.core.choices import Role
from shouwei.core.models import RoleAssignment, Unit

DEMO_ACCOUNTS = [
    # username, full name, role, unit code
    ("admin", "系统管理员", Role.ADMIN, "hn"),
    ("leader", "管委会负责人", Role.LEADER, "hy-gxq"),
    ("supervisor", "督查绩效办", Role.SUPERVISOR, "hy-gxq"),
    ("staff_cyfz", "产业发展局填报员", Role.STAFF, "hy-gxq-cyfz"),
    ("staff_jjhz", "经济合作局填报员", Role.STAFF, "hy-gxq-jjhz"),
    ("statistician", "统计员", Role.STATISTICIAN, "hy-gxq"),
    ("liaison", "驻企联络员", Role.LIAISON, "hy-gxq-cyfz"),
    ("enterprise", "企业联系人", Role.ENTERPRISE, "hy-gxq"),
    ("editor", "网站编辑", Role.EDITOR, "hy-gxq"),
    # The portal's two-person rule needs a second person to publish what the editor wrote.
    ("reviewer", "网站审核", Role.REVIEWER, "hy-gxq"),
]


@dataclass
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit: Unit
    password: str | None  # None: the account existed and its password was kept


@transaction.atomic
def create_demo_accounts(*, reset_passwords: bool = False) -> list[DemoAccount]:
    User = get_user_model()
    out = []
    for username, full_name, role, unit_code in DEMO_ACCOUNTS:
        unit = Unit.objects.get(code=unit_code)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": full_name},
        )
        password = None
        # An account an app's demo data created first (the enterprise service's cadres) has no
        # usable password yet: it gets one like a new account.
        if created or reset_passwords or not user.has_usable_password():
            password = secrets.token_urlsafe(9)
            user.set_password(password)
        if role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
        user.save()
        RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
        out.append(DemoAccount(username, full_name, Role(role).label, unit, password))
    return out
