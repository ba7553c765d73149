import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shouwei.core.models import Unit
from tests.factories import MembershipFactory, PeerGroupFactory, UnitFactory, UserFactory


@pytest.fixture
def tree(db):
    city = UnitFactory(code="city")
    zone = UnitFactory(code="zone", parent=city)
    dept = UnitFactory(code="dept", parent=zone)
    team = UnitFactory(code="team", parent=dept)
    return city, zone, dept, team


def test_path_is_the_chain_of_codes(tree):
    *_, team = tree
    assert team.path == "/city/zone/dept/team/"
    assert team.ancestor_codes() == ["city", "zone", "dept"]


def test_moving_a_unit_moves_its_subtree(tree):
    city, _zone, dept, team = tree
    other = UnitFactory(code="other", parent=city)
    dept.parent = other
    dept.save()
    team.refresh_from_db()
    assert team.path == "/city/other/dept/team/"
    assert Unit.objects.filter(path__startswith="/city/zone/dept/").count() == 0


def test_renaming_a_code_rewrites_descendant_paths(tree):
    _city, zone, _dept, team = tree
    zone.code = "zone2"
    zone.save()
    team.refresh_from_db()
    assert team.path == "/city/zone2/dept/team/"


@pytest.mark.parametrize("new_parent", ["zone", "team"])
def test_a_unit_cannot_sit_below_itself(tree, new_parent):
    _city, zone, _dept, _team = tree
    zone.parent = Unit.objects.get(code=new_parent)
    with pytest.raises(ValidationError) as exc:
        zone.full_clean()
    assert "parent" in exc.value.message_dict


def test_the_edit_form_refuses_a_cycle_without_error_page(client, tree):
    _city, zone, _dept, team = tree
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(
        reverse("core:unit_edit", args=[zone.pk]),
        {"code": "zone", "name": "园区", "kind": "zone", "parent": team.pk, "sort_order": 0},
    )
    assert response.status_code == 400
    assert "上级单位不能是自身或其下级单位" in response.content.decode()
    zone.refresh_from_db()
    assert zone.path == "/city/zone/"


def test_peer_group_members_are_per_year(tree):
    _city, zone, dept, _team = tree
    group = PeerGroupFactory(code="g")
    MembershipFactory(group=group, unit=zone, year=2022)
    MembershipFactory(group=group, unit=dept, year=2021)
    assert list(group.units_in(2022)) == [zone]
    assert list(group.units_in(2021)) == [dept]
