"""Alerts: the right people, once per unread event, and operators also by log, mail, webhook."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from shouwei.core import alerts
from shouwei.core.choices import Role
from shouwei.core.models import Notification, Unit
from tests.factories import UnitFactory, user_with_role


def test_notify_skips_people_who_have_not_read_the_same_event(demo):
    leader = demo["leader"]
    assert alerts.notify(recipients=[leader], title="问题逾期", key="p:1") == 1
    assert alerts.notify(recipients=[leader], title="问题逾期", key="p:1") == 0
    assert alerts.notify(recipients=[leader], title="另一件事", key="p:2") == 1
    Notification.objects.filter(recipient=leader, key="p:1").update(read_at="2022-07-01T00:00Z")
    # Read, and still overdue: the next run reminds again.
    assert alerts.notify(recipients=[leader], title="问题逾期", key="p:1") == 1


def test_notify_roles_reaches_holders_at_the_unit_and_above_only(demo):
    department = Unit.objects.get(code="hy-gxq-cyfz")
    other_zone = UnitFactory(code="other-zone", parent=department.parent.parent)
    stranger = user_with_role(Role.LEADER, other_zone, username="other-leader")
    sent = alerts.notify_roles(unit=department, roles=[Role.LEADER], title="逾期", key="k")
    assert sent == 1
    assert Notification.objects.filter(recipient=demo["leader"], key="k").exists()
    assert not Notification.objects.filter(recipient=stranger).exists()


def test_alert_operators_logs_and_notifies_admins_once(demo, caplog, settings):
    settings.SHOUWEI_ALERT_EMAILS, settings.SHOUWEI_ALERT_WEBHOOK_URL = [], ""
    with caplog.at_level(logging.WARNING, logger="shouwei.alerts"):
        assert alerts.alert_operators(title="页面被篡改", body="文章 1 正文", key="v:1") >= 1
        assert alerts.alert_operators(title="页面被篡改", body="文章 1 正文", key="v:1") == 0
    assert Notification.objects.filter(recipient=demo["admin"], key="v:1").count() == 1
    assert not Notification.objects.filter(recipient=demo["leader"], key="v:1").exists()
    assert "页面被篡改" in caplog.text and "(repeat)" in caplog.text
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver_external_alert").exists()


def test_external_delivery_is_queued_once_when_configured(demo, settings):
    settings.SHOUWEI_ALERT_WEBHOOK_URL = "http://127.0.0.1:9/hook"
    alerts.alert_operators(title="页面被篡改", key="v:2")
    alerts.alert_operators(title="页面被篡改", key="v:2")
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_external_alert").count() == 1


@pytest.fixture
def webhook():
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/robot", received
    server.shutdown()


def test_deliver_external_sends_mail_and_posts_the_webhook(settings, webhook):
    url, received = webhook
    settings.SHOUWEI_ALERT_EMAILS = ["ops@example.gov.cn"]
    settings.SHOUWEI_ALERT_WEBHOOK_URL = url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    alerts.deliver_external(title="页面被篡改", body="文章 1 的正文变了", url="/portal/article/1/")
    assert mail.outbox[0].subject == "[首位告警] 页面被篡改"
    assert mail.outbox[0].to == ["ops@example.gov.cn"]
    assert "文章 1 的正文变了" in received[0]["text"]["content"]
