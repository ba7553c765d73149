"""The bell: each person sees only their own notifications, and following one marks it read."""

from django.urls import reverse

from shouwei.core import alerts
from shouwei.core.models import Notification


def test_bell_shows_the_unread_count_and_the_list_only_own(client_for, demo):
    alerts.notify(recipients=[demo["leader"]], title="项目问题逾期：征地拆迁", url="/projects/")
    alerts.notify(recipients=[demo["staff_cyfz"]], title="别人的通知")
    page = client_for("leader").get(reverse("core:notification_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "项目问题逾期：征地拆迁" in html and "别人的通知" not in html
    assert "1 条未读" in client_for("leader").get(reverse("indicators:cockpit")).content.decode()


def test_opening_marks_read_and_follows_only_local_links(client_for, demo):
    local = alerts.notify(recipients=[demo["leader"]], title="a", url="/projects/")
    assert local == 1
    note = Notification.objects.get(recipient=demo["leader"], title="a")
    client = client_for("leader")
    response = client.post(reverse("core:notification_open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/projects/"
    note.refresh_from_db()
    assert note.read_at is not None
    alerts.notify(recipients=[demo["leader"]], title="b", url="https://evil.example/")
    evil = Notification.objects.get(recipient=demo["leader"], title="b")
    response = client.post(reverse("core:notification_open", args=[evil.pk]))
    assert response["Location"] == reverse("core:notification_list")


def test_another_persons_notification_is_not_found(client_for, demo):
    alerts.notify(recipients=[demo["leader"]], title="领导的通知")
    note = Notification.objects.get(title="领导的通知")
    response = client_for("staff_cyfz").post(reverse("core:notification_open", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_read_all_and_empty_state(client_for, demo):
    alerts.notify(recipients=[demo["leader"]], title="x")
    client = client_for("leader")
    client.post(reverse("core:notification_read_all"))
    assert not Notification.objects.filter(recipient=demo["leader"], read_at__isnull=True).exists()
    html = client.get(reverse("core:notification_list") + "?unread=1").content.decode()
    assert "没有未读通知" in html


def test_opening_needs_post(client_for, demo):
    alerts.notify(recipients=[demo["leader"]], title="y")
    note = Notification.objects.get(title="y")
    response = client_for("leader").get(reverse("core:notification_open", args=[note.pk]))
    assert response.status_code == 405
