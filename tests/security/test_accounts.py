"""A person changes their own password (under the policy), an initial password is changed at
first login, and accounts nobody uses are disabled."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from shouwei.core import jobs
from shouwei.core.models import AccountSecurity
from shouwei.core.passwords import (
    CharacterClassesValidator,
    NotReusedValidator,
    require_change,
)
from tests.factories import UnitFactory, user_with_role

GOOD = "Hengyang-2026-ok"
OLD = "Old-password-2025"


@pytest.fixture
def person(db):
    from shouwei.core.choices import Role

    user = user_with_role(Role.STAFF, UnitFactory(), username="xiaozhang")
    user.set_password(OLD)
    user.save()
    return user


def _login(user, password) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _change(client, old, new):
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_a_person_changes_their_own_password(person):
    client = _login(person, OLD)
    assert client.get("/accounts/password/").status_code == 200
    response = _change(client, OLD, GOOD)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(GOOD)
    assert AccountSecurity.objects.get(user=person).password_changed_at is not None


@pytest.mark.parametrize(
    ("new", "says"),
    [("Short-1a", "12 个字符"), ("alllowercaseletters", "至少 3 类"), (OLD, "最近 5 次")],
)
def test_a_weak_or_reused_password_is_refused(person, new, says):
    client = _login(person, OLD)
    response = _change(client, OLD, new)
    assert response.status_code == 400
    assert says in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_none_of_the_last_five_passwords_may_return(person):
    validator = NotReusedValidator(last=5)
    used = [f"Pass-word-{i}-Aa" for i in range(6)]
    for p in used:
        person.set_password(p)
        person.save()
    with pytest.raises(ValidationError):
        validator.validate(used[-2], person)
    validator.validate(used[0], person)  # six passwords ago: allowed again


def test_character_classes_are_counted():
    assert CharacterClassesValidator.classes("abcABC123") == 3
    assert CharacterClassesValidator.classes("密码abc123") == 3


def test_an_initial_password_must_be_changed_at_first_login(person):
    require_change(person)
    client = _login(person, OLD)
    page = client.get("/indicators/")
    assert page.status_code == 302 and page["Location"] == "/accounts/password/"
    assert "请先修改初始密码" in client.get("/api/units").json()["detail"]
    assert "由管理员设置" in client.get("/accounts/password/").content.decode()
    _change(client, OLD, GOOD)
    assert client.get("/indicators/").status_code != 302 or (
        client.get("/indicators/")["Location"] != "/accounts/password/"
    )
    assert not AccountSecurity.objects.get(user=person).must_change_password


def test_an_admin_created_account_must_change_its_password(db):
    admin = get_user_model().objects.create_superuser("root", password=GOOD)
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "newbie", "password1": "Initial-2026-x", "password2": "Initial-2026-x"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newbie = get_user_model().objects.get(username="newbie")
    assert AccountSecurity.objects.get(user=newbie).must_change_password


def test_inactive_accounts_are_disabled_and_superusers_kept(person, db):
    get_user_model().objects.filter(pk=person.pk).update(
        last_login=timezone.now() - timedelta(days=91)
    )
    root = get_user_model().objects.create_superuser("root", password=GOOD)
    get_user_model().objects.filter(pk=root.pk).update(
        last_login=timezone.now() - timedelta(days=400)
    )
    fresh = get_user_model().objects.create_user("fresh", password=GOOD)
    assert jobs.disable_inactive_accounts() >= 1
    person.refresh_from_db()
    root.refresh_from_db()
    fresh.refresh_from_db()
    assert not person.is_active and root.is_active and fresh.is_active


def test_the_command_disables_inactive_accounts(person, capsys):
    get_user_model().objects.filter(pk=person.pk).update(
        last_login=timezone.now() - timedelta(days=40)
    )
    call_command("disable_inactive", "--days", "30")
    person.refresh_from_db()
    assert not person.is_active
    assert "xiaozhang" in capsys.readouterr().out


def test_the_user_menu_links_to_the_password_page(client_for):
    html = client_for("leader").get("/indicators/").content.decode()
    assert 'href="/accounts/password/"' in html
    assert "/core/security-log/" not in html  # the leader is no auditor
