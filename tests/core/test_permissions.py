"""Who sees and changes what: pages, exports and the one permission check agree."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from shouwei.core.choices import Role, UnitKind
from shouwei.core.middleware import PUBLIC_PATHS, PUBLIC_PREFIXES
from shouwei.core.models import Unit
from shouwei.core.permissions import (
    STAFF_READERS,
    Assignment,
    Contract,
    UserScope,
    can_change,
    can_view,
    scope_for,
)
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Indicator, Observation, Target
from tests.factories import ObservationFactory, TargetFactory, UnitFactory, user_with_role

SECRET_SOURCE = "经济合作局内部草稿-XJ7"
PUBLIC_SOURCE = "经济合作局已审核-PB3"


@pytest.fixture
def jjhz_draft(demo):
    return ObservationFactory(
        unit=Unit.objects.get(code="hy-gxq-jjhz"),
        indicator=Indicator.objects.get(code="retail_sales"),
        period="2022-05",
        value=Decimal("777.77"),
        source=SECRET_SOURCE,
        status=ObservationStatus.DRAFT,
    )


@pytest.fixture
def jjhz_approved(demo):
    return ObservationFactory(
        unit=Unit.objects.get(code="hy-gxq-jjhz"),
        indicator=Indicator.objects.get(code="retail_sales"),
        period="2022-04",
        value=Decimal("555.55"),
        source=PUBLIC_SOURCE,
        status=ObservationStatus.APPROVED,
    )


def _list(client, **params):
    response = client.get(reverse("indicators:observation_list"), {"per_page": 200, **params})
    assert response.status_code == 200
    return response


def _export_cells(client, fmt: str) -> list[str]:
    response = client.get(reverse("indicators:observation_list"), {"export": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(rows) > 1, "the export has a header and the rows the user may see"
    return [str(c) for row in rows for c in row if c is not None]


def test_department_user_cannot_see_another_departments_draft_in_the_list(client_for, jjhz_draft):
    response = _list(client_for("staff_cyfz"))
    assert jjhz_draft not in response.context["table"].data.data
    assert SECRET_SOURCE not in response.content.decode()


def test_department_user_cannot_find_another_departments_draft_by_searching(client_for, jjhz_draft):
    response = _list(client_for("staff_cyfz"), q="XJ7", status="draft")
    assert response.context["table"].paginator.count == 0


def test_department_user_gets_404_for_another_departments_draft(client_for, jjhz_draft):
    url = reverse("indicators:observation_detail", args=[jjhz_draft.pk])
    assert client_for("staff_cyfz").get(url).status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_department_user_cannot_export_another_departments_draft(client_for, jjhz_draft, fmt):
    cells = _export_cells(client_for("staff_cyfz"), fmt)
    assert SECRET_SOURCE not in cells
    assert "777.77" not in cells and "777.7700" not in cells


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_zone_leader_exports_the_departments_draft(client_for, jjhz_draft, fmt):
    assert SECRET_SOURCE in _export_cells(client_for("leader"), fmt)


def test_zone_leader_sees_the_departments_draft(client_for, jjhz_draft):
    c = client_for("leader")
    assert jjhz_draft in _list(c).context["table"].data.data
    detail = c.get(reverse("indicators:observation_detail", args=[jjhz_draft.pk]))
    assert detail.status_code == 200
    assert SECRET_SOURCE in detail.content.decode()


def test_owning_department_sees_its_own_draft(client_for, jjhz_draft):
    assert jjhz_draft in _list(client_for("staff_jjhz")).context["table"].data.data


@pytest.mark.parametrize(
    "username", ["staff_cyfz", "staff_jjhz", "leader", "liaison", "enterprise", "editor"]
)
def test_approved_observations_are_visible_to_every_logged_in_user(
    client_for, jjhz_approved, username
):
    c = client_for(username)
    assert jjhz_approved in _list(c).context["table"].data.data
    url = reverse("indicators:observation_detail", args=[jjhz_approved.pk])
    assert c.get(url).status_code == 200


def test_enterprise_contact_sees_no_drafts(client_for, demo, jjhz_draft):
    ObservationFactory(
        unit=Unit.objects.get(code="hy-gxq"),
        indicator=Indicator.objects.get(code="tech_sme_registered"),
        period="2022-05",
        value=Decimal("300"),
        status=ObservationStatus.SUBMITTED,
    )
    response = _list(client_for("enterprise"))
    statuses = {o.status for o in response.context["table"].data.data}
    assert statuses == {ObservationStatus.APPROVED}
    assert not Observation.objects.visible_to(demo["enterprise"]).exclude(
        status=ObservationStatus.APPROVED
    )


def test_superuser_sees_every_draft(client_for, demo, jjhz_draft):
    assert Observation.objects.visible_to(demo["admin"]).count() == Observation.objects.count()
    url = reverse("indicators:observation_detail", args=[jjhz_draft.pk])
    assert client_for("admin").get(url).status_code == 200


def test_editing_another_departments_observation_is_refused_and_logged(
    client_for, jjhz_approved, security_log
):
    url = reverse("indicators:observation_edit", args=[jjhz_approved.pk])
    response = client_for("staff_cyfz").post(url, {"value": "1"})
    assert response.status_code == 403
    refused = [r for r in security_log.records if r.name == "shouwei.security"]
    assert refused and "staff_cyfz" in refused[0].getMessage()
    jjhz_approved.refresh_from_db()
    assert jjhz_approved.value == Decimal("555.55")


def test_editing_an_invisible_draft_is_404_not_403(client_for, jjhz_draft):
    # A 403 would confirm that the record exists.
    url = reverse("indicators:observation_edit", args=[jjhz_draft.pk])
    assert client_for("staff_cyfz").get(url).status_code == 404


def test_leader_reads_but_cannot_edit_a_draft(client_for, demo, jjhz_draft, security_log):
    url = reverse("indicators:observation_edit", args=[jjhz_draft.pk])
    assert client_for("leader").get(url).status_code == 403
    assert any("refused change" in r.getMessage() for r in security_log.records)
    assert can_view(demo["leader"], jjhz_draft)
    assert not can_change(demo["leader"], jjhz_draft)


def _routes(resolver=None, prefix=""):
    """Every route of the URL conf, with path converters filled in."""
    for entry in (resolver or get_resolver()).url_patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            for conv in ("<int:pk>", "<int:object_id>"):
                route = route.replace(conv, "1")
            route = route.replace("<path:object_id>", "1")
            for part in [p for p in route.split("/") if p.startswith("<")]:
                route = route.replace(part, "x")
            yield "/" + route


def test_anonymous_users_are_sent_to_login_from_every_page(db):
    anonymous = Client()
    checked = 0
    for url in sorted(set(_routes())):
        if url in PUBLIC_PATHS or url.startswith(PUBLIC_PREFIXES):
            continue
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
        checked += 1
    assert checked >= 20


def test_anonymous_users_see_nothing_through_the_permission_check(db):
    from django.contrib.auth.models import AnonymousUser

    ObservationFactory(status=ObservationStatus.APPROVED)
    assert not Observation.objects.visible_to(AnonymousUser()).exists()
    assert not Unit.objects.visible_to(AnonymousUser()).exists()


# --- UserScope and Contract, without pages -------------------------------------------------


def _scope(*assignments, superuser=False):
    return UserScope(
        is_superuser=superuser,
        authenticated=True,
        assignments=tuple(
            Assignment(r, p, p.strip("/").split("/")[-1], i, "zone")
            for i, (r, p) in enumerate(assignments, 1)
        ),
    )


def test_paths_collapse_to_the_shortest_prefixes():
    scope = _scope(
        (Role.STAFF, "/hn/hy/hy-gxq/hy-gxq-cyfz/"),
        (Role.LEADER, "/hn/hy/hy-gxq/"),
        (Role.STAFF, "/hn/hy/hy-smjk/"),
    )
    assert scope.paths(STAFF_READERS) == ["/hn/hy/hy-gxq/", "/hn/hy/hy-smjk/"]


def test_a_path_is_not_the_prefix_of_a_sibling_with_a_longer_code():
    scope = _scope((Role.LEADER, "/hn/hy/"), (Role.LEADER, "/hn/hy-x/"))
    assert scope.paths(STAFF_READERS) == ["/hn/hy-x/", "/hn/hy/"]
    assert not scope.covers("/hn/hyz/", STAFF_READERS)


def test_paths_for_roles_keep_only_those_roles_and_admin():
    scope = _scope(
        (Role.LEADER, "/hn/hy/hy-gxq/"),
        (Role.STAFF, "/hn/hy/hy-gxq/hy-gxq-cyfz/"),
        (Role.ADMIN, "/hn/hy/hy-smjk/"),
    )
    assert scope.paths([Role.STAFF]) == ["/hn/hy/hy-gxq/hy-gxq-cyfz/", "/hn/hy/hy-smjk/"]
    assert scope.covers("/hn/hy/hy-gxq/hy-gxq-cyfz/x/", [Role.STAFF])
    assert not scope.covers("/hn/hy/hy-gxq/", [Role.STAFF])


def test_enterprise_contacts_hold_no_read_paths():
    scope = _scope((Role.ENTERPRISE, "/hn/hy/hy-gxq/"))
    assert scope.paths(STAFF_READERS) == []
    assert not scope.covers("/hn/hy/hy-gxq/", STAFF_READERS)
    assert scope.paths([Role.ENTERPRISE]) == ["/hn/hy/hy-gxq/"]


def test_superuser_covers_everything():
    assert _scope(superuser=True).covers("/anything/", STAFF_READERS)


def test_home_unit_is_the_highest_unit_held():
    scope = _scope((Role.STAFF, "/hn/hy/hy-gxq/hy-gxq-cyfz/"), (Role.LEADER, "/hn/hy/"))
    assert scope.home_unit_pk == 2
    assert _scope().home_unit_pk is None


def test_a_contract_places_records_at_their_unit_and_grants_nothing_it_does_not_name():
    contract = Contract(actions={})
    assert contract.unit_fields == ("unit",)
    assert contract.grant("change") is None and contract.roles("approve") == ()
    assert contract.public is False and contract.read_ancestors is False


@pytest.fixture
def tree(db):
    hn = UnitFactory(code="t-hn")
    zone = UnitFactory(code="t-zone", parent=UnitFactory(code="t-city", parent=hn))
    dept = UnitFactory(code="t-dept", parent=zone, kind=UnitKind.DEPARTMENT)
    other = UnitFactory(code="t-other", parent=zone)
    sibling = UnitFactory(code="t-sibling-zone", parent=zone.parent)
    targets = {
        u.code: TargetFactory(unit=u, name=f"目标{u.code}")
        for u in (hn, zone.parent, zone, dept, other, sibling)
    }
    return {"zone": zone, "dept": dept, "other": other, "sibling": sibling, "targets": targets}


def test_targets_are_readable_at_the_users_units_and_their_ancestors(tree):
    staff = user_with_role(Role.STAFF, tree["dept"])
    visible = {t.unit.code for t in Target.objects.visible_to(staff)}
    assert visible == {"t-hn", "t-city", "t-zone", "t-dept"}


def test_targets_of_sibling_units_stay_hidden(tree):
    staff = user_with_role(Role.STAFF, tree["dept"])
    hidden = Target.objects.visible_to(staff).filter(unit__code__in=["t-other", "t-sibling-zone"])
    assert not hidden.exists()


def test_enterprise_contact_reads_no_targets_not_even_its_zones_ancestors(tree):
    contact = user_with_role(Role.ENTERPRISE, tree["zone"])
    assert not Target.objects.visible_to(contact).exists()


def test_only_the_supervisor_edits_targets_in_its_subtree(tree):
    supervisor = user_with_role(Role.SUPERVISOR, tree["zone"])
    staff = user_with_role(Role.STAFF, tree["dept"])
    editable = {t.unit.code for t in Target.objects.editable_by(supervisor)}
    assert editable == {"t-zone", "t-dept", "t-other"}
    assert not Target.objects.editable_by(staff).exists()


def test_observation_placed_by_reporting_unit_is_visible_and_editable_there(tree):
    staff = user_with_role(Role.STAFF, tree["dept"])
    draft = ObservationFactory(
        unit=tree["zone"], reporting_unit=tree["dept"], status=ObservationStatus.DRAFT
    )
    assert can_view(staff, draft) and can_change(staff, draft)
    other = user_with_role(Role.STAFF, tree["other"])
    assert not can_view(other, draft) and not can_change(other, draft)


def test_scope_is_computed_once_per_user_object(tree, django_assert_num_queries):
    staff = user_with_role(Role.STAFF, tree["dept"])
    with django_assert_num_queries(1):
        scope_for(staff)
        scope_for(staff)


def test_an_administrator_role_manages_the_catalogue_and_peer_groups(tree):
    from shouwei.core.models import PeerGroup
    from shouwei.core.permissions import can_create
    from tests.factories import IndicatorFactory, PeerGroupFactory

    indicator, group = IndicatorFactory(), PeerGroupFactory()
    admin = user_with_role(Role.ADMIN, Unit.objects.get(code="t-hn"))
    staff = user_with_role(Role.STAFF, tree["dept"])
    assert can_change(admin, indicator) and can_change(admin, group)
    assert can_create(admin, Indicator) and can_create(admin, PeerGroup)
    assert can_create(admin, Unit)
    assert not can_change(staff, indicator) and not can_change(staff, group)
    assert not can_create(staff, Indicator) and not can_create(staff, Unit)


def test_an_administrator_role_opens_the_indicator_form(client, tree):
    from tests.factories import IndicatorFactory

    indicator = IndicatorFactory()
    client.force_login(user_with_role(Role.ADMIN, Unit.objects.get(code="t-hn")))
    assert client.get(reverse("indicators:indicator_edit", args=[indicator.pk])).status_code == 200
    assert client.get(reverse("core:unit_add")).status_code == 200
