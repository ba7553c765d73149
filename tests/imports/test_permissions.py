"""Who may see, commit and roll back a batch, and for which units a user may import rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shouwei.imports.models import ImportStatus
from shouwei.indicators.models import Observation

from .helpers import last_batch, messages_of, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def jjhz_batch(client_for, jjhz_indicator):
    """A validated batch uploaded by the 经济合作局's staff for their own unit."""
    upload(
        client_for("staff_jjhz"),
        xlsx_bytes([row(unit="hy-gxq-jjhz", indicator="jjhz-signed", period="2023-05")]),
    )
    batch = last_batch()
    assert batch.status == ImportStatus.VALID and batch.unit.code == "hy-gxq-jjhz"
    return batch


def test_department_user_cannot_see_another_units_batch(client_for, jjhz_batch):
    client = client_for("staff_cyfz")
    for name in ("batch_detail", "batch_progress", "batch_file"):
        assert client.get(reverse(f"imports:{name}", args=[jjhz_batch.pk])).status_code == 404
    assert f"#{jjhz_batch.pk}<" not in client.get(reverse("imports:batch_list")).content.decode()


def test_department_user_cannot_commit_another_units_batch(client_for, jjhz_batch):
    response = client_for("staff_cyfz").post(reverse("imports:batch_commit", args=[jjhz_batch.pk]))
    assert response.status_code == 404
    jjhz_batch.refresh_from_db()
    assert jjhz_batch.status == ImportStatus.VALID
    assert not Observation.objects.filter(period="2023-05").exists()


def test_department_user_cannot_roll_back_another_units_batch(client_for, jjhz_batch):
    client_for("staff_jjhz").post(reverse("imports:batch_commit", args=[jjhz_batch.pk]))
    jjhz_batch.refresh_from_db()
    assert jjhz_batch.status == ImportStatus.COMMITTED
    response = client_for("staff_cyfz").post(
        reverse("imports:batch_rollback", args=[jjhz_batch.pk])
    )
    assert response.status_code == 404
    assert Observation.objects.filter(import_batch=jjhz_batch).count() == 1


def test_a_leader_sees_the_batch_but_cannot_commit_it(client_for, jjhz_batch):
    leader = client_for("leader")
    page = leader.get(jjhz_batch.get_absolute_url())
    commit_url = reverse("imports:batch_commit", args=[jjhz_batch.pk])
    assert page.status_code == 200 and commit_url not in page.content.decode()
    assert leader.post(reverse("imports:batch_commit", args=[jjhz_batch.pk])).status_code == 403
    jjhz_batch.refresh_from_db()
    assert jjhz_batch.status == ImportStatus.VALID


def test_commit_and_rollback_only_accept_post(client_for, jjhz_batch):
    client = client_for("staff_jjhz")
    assert client.get(reverse("imports:batch_commit", args=[jjhz_batch.pk])).status_code == 405
    assert client.get(reverse("imports:batch_rollback", args=[jjhz_batch.pk])).status_code == 405


def test_department_user_cannot_import_rows_for_units_outside_its_scope(client_for):
    client = client_for("staff_cyfz")
    rows = [
        # 规模工业增加值 is reported by 产业发展局 itself, for the zone: allowed.
        row(unit="hy-gxq", indicator="industrial_va", period="2023-05"),
        row(unit="hy-gxq-jjhz", indicator="gdp", period="2023-05"),
        row(unit="hy-gxq", indicator="gdp", period="2023-05"),
    ]
    upload(client, xlsx_bytes(rows))
    batch = last_batch()
    assert batch.status == ImportStatus.INVALID
    assert messages_of(batch) == [
        "第3行 “单位代码”：您无权以“统计中心”的名义填报“经济合作局”的指标“GDP”",
        "第4行 “单位代码”：您无权以“统计中心”的名义填报“衡阳高新区”的指标“GDP”",
    ]
    assert not Observation.objects.filter(period="2023-05").exists()


def test_a_department_imports_only_the_indicators_it_reports(client_for):
    """GDP is the 统计中心's figure, even for 产业发展局's own unit; its own indicator it may."""
    client = client_for("staff_cyfz")
    upload(client, xlsx_bytes([row(unit="hy-gxq-cyfz", indicator="gdp", period="2023-05")]))
    assert last_batch().status == ImportStatus.INVALID
    upload(
        client, xlsx_bytes([row(unit="hy-gxq-cyfz", indicator="industrial_va", period="2023-05")])
    )
    batch = last_batch()
    assert batch.status == ImportStatus.VALID
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    assert Observation.objects.get(period="2023-05").unit.code == "hy-gxq-cyfz"
