from types import SimpleNamespace

import pytest

from shouwei.core.choices import Role
from shouwei.core.models import Unit
from shouwei.enterprises.models import EnterpriseContact
from tests.factories import EnterpriseFactory, user_with_role


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def without_demo_requests(request):
    """The session's demo holds requests (some overdue); these tests build their own, so
    they start without them (rolled back with the test's transaction)."""
    if "demo" in request.fixturenames or "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from shouwei.enterprises.models import Request

    Request.objects.all().delete()


@pytest.fixture
def zone(db):
    """The demo's zone, two departments and a street, with a clerk, head and cadre each, two
    enterprises and a contact for the first."""
    units = {u.code: u for u in Unit.objects.filter(code__startswith="hy-gxq")}
    gxq, cyfz, jjhz = units["hy-gxq"], units["hy-gxq-cyfz"], units["hy-gxq-jjhz"]
    ns = SimpleNamespace(
        gxq=gxq,
        cyfz=cyfz,
        jjhz=jjhz,
        street=units["hy-gxq-hx"],
        dispatcher=user_with_role(Role.STAFF, cyfz, username="t-dispatcher"),
        clerk=user_with_role(Role.STAFF, jjhz, username="t-jjhz-clerk"),
        head=user_with_role(Role.LEADER, jjhz, username="t-jjhz-head"),
        leader=user_with_role(Role.LEADER, gxq, username="t-zone-leader"),
        cadre=user_with_role(Role.LIAISON, cyfz, username="t-cadre"),
        contact=user_with_role(Role.ENTERPRISE, gxq, username="t-contact"),
        other_contact=user_with_role(Role.ENTERPRISE, gxq, username="t-other-contact"),
    )
    ns.enterprise = EnterpriseFactory(name="联点测试企业")
    ns.other = EnterpriseFactory(name="另一家企业")
    EnterpriseContact.objects.create(enterprise=ns.enterprise, username="t-contact")
    EnterpriseContact.objects.create(enterprise=ns.other, username="t-other-contact")
    return ns
