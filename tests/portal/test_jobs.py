"""The scheduled check (``portal.verify``): every difference reaches the operators, once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shouwei.core import schedule
from shouwei.core.models import Notification
from shouwei.portal.models import Article


@pytest.fixture
def admins(demo):
    """The operators who get alerts (the demo's superuser admin)."""
    return [demo["admin"]]


def alerts_for(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_the_job_is_registered_every_ten_minutes():
    job = schedule.jobs()["portal.verify"]
    assert job.every == timedelta(minutes=10)


def test_a_clean_site_raises_no_alert(admins, portal_demo):
    assert schedule.run_now("portal.verify") == 0
    assert alerts_for(admins[0]) == []


def test_a_row_edited_behind_the_apps_back_is_alerted_once(admins, seed):
    Article.objects.filter(pk=seed.pk).update(title="365体育官网")
    assert schedule.run_now("portal.verify") == 1
    assert schedule.run_now("portal.verify") == 1  # found again, not alerted again
    [alert] = alerts_for(admins[0])
    assert alert.title == "门户网站页面被改动：《365体育官网》"
    assert alert.body == "改动部分：标题"
    assert alert.url == seed.get_absolute_url()
    assert alert.level == "danger"


def test_a_changed_static_file_is_alerted_once_for_all_its_pages(admins, sealed, seed):
    css = sealed["shouwei/portal.css"]
    css.write_text(css.read_text() + "\nbody::before{content:'365体育官网'}\n")
    found = schedule.run_now("portal.verify")
    assert found == Article.objects.published().count()  # every page is built from it
    schedule.run_now("portal.verify")
    [alert] = alerts_for(admins[0])
    assert alert.title == "门户网站文件被改动：static:shouwei/portal.css"
    assert f"《{seed.title}》 {seed.get_absolute_url()}" in alert.body


def test_a_further_change_while_unread_alerts_again(admins, seed):
    Article.objects.filter(pk=seed.pk).update(title="365体育官网")
    schedule.run_now("portal.verify")
    Article.objects.filter(pk=seed.pk).update(body=seed.body + "<p>博彩</p>")
    schedule.run_now("portal.verify")
    titles = [a.body for a in alerts_for(admins[0])]
    assert len(titles) == 2
    assert "正文" in titles[1]


def test_a_read_alert_is_raised_again_while_the_page_stays_changed(admins, seed):
    Article.objects.filter(pk=seed.pk).update(title="365体育官网")
    schedule.run_now("portal.verify")
    Notification.objects.filter(recipient=admins[0]).update(read_at="2026-01-01T00:00Z")
    schedule.run_now("portal.verify")
    assert len(alerts_for(admins[0])) == 2


def test_file_and_row_changes_together_give_one_alert_each(admins, sealed, seed):
    sealed["shouwei/portal.js"].write_text("location='https://365.example/'")
    Article.objects.filter(pk=seed.pk).update(title="365体育官网")
    schedule.run_now("portal.verify")
    titles = sorted(a.title for a in alerts_for(admins[0]))
    assert titles == [
        "门户网站文件被改动：static:shouwei/portal.js",
        "门户网站页面被改动：《365体育官网》",
    ]


def test_the_alert_is_logged(admins, seed, caplog):
    Article.objects.filter(pk=seed.pk).update(title="365体育官网")
    with caplog.at_level("WARNING", logger="shouwei.alerts"):
        schedule.run_now("portal.verify")
    assert any("365体育官网" in r.getMessage() for r in caplog.records)


def test_the_command_alerts_as_the_job_does_unless_told_not_to(admins, seed):
    Article.objects.filter(pk=seed.pk).update(title="365体育官网")
    with pytest.raises(CommandError):
        call_command("portal", "verify", "--no-alert")
    assert alerts_for(admins[0]) == []
    with pytest.raises(CommandError):
        call_command("portal", "verify")
    assert len(alerts_for(admins[0])) == 1
