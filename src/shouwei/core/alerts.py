"""Telling people: in-app notifications for everyone, plus log, e-mail and webhook for the
operators. Every app alerts through here, so a person has one bell to look at.

``key`` names the event ("projects.problem-overdue:17"). A job that runs every ten minutes and
finds the same overdue problem again does not notify a person who has not yet read the first
notification; once read, the next run may remind them again.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q

from .choices import NotificationLevel, Role
from .models import Notification, Unit

logger = logging.getLogger("shouwei.alerts")


def notify(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    level: str = NotificationLevel.WARNING,
    key: str = "",
) -> int:
    """Create one notification per recipient; returns how many were created."""
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if key and users:
        already = set(
            Notification.objects.filter(
                recipient_id__in=users, key=key, read_at__isnull=True
            ).values_list("recipient_id", flat=True)
        )
        users = {pk: u for pk, u in users.items() if pk not in already}
    Notification.objects.bulk_create(
        Notification(
            recipient=u, title=title[:200], body=body, url=url[:500], level=level, key=key[:200]
        )
        for u in users.values()
    )
    return len(users)


def holders(*, unit: Unit, roles: Iterable[str]):
    """Active users holding any of ``roles`` at ``unit`` or above it (a leader of the zone is
    a leader of its departments)."""
    ancestor_paths = [unit.path[: i + 1] for i, ch in enumerate(unit.path) if ch == "/" and i]
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__role__in=list(roles),
            role_assignments__unit__path__in=ancestor_paths,
        )
        .distinct()
    )


def notify_roles(
    *,
    unit: Unit,
    roles: Iterable[str],
    title: str,
    body: str = "",
    url: str = "",
    level: str = NotificationLevel.WARNING,
    key: str = "",
) -> int:
    return notify(
        recipients=holders(unit=unit, roles=roles),
        title=title,
        body=body,
        url=url,
        level=level,
        key=key,
    )


def operators():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role_assignments__role=Role.ADMIN))
        .distinct()
    )


def alert_operators(*, title: str, body: str = "", url: str = "", key: str = "") -> int:
    """Something is wrong with the system itself (a tampered page, a job that fails): the log,
    every administrator's bell, and — when configured — e-mail and a webhook."""
    recipients = list(operators())
    created = notify(
        recipients=recipients,
        title=title,
        body=body,
        url=url,
        level=NotificationLevel.DANGER,
        key=key,
    )
    repeat = key and created == 0 and bool(recipients)
    logger.warning("ALERT %s%s: %s %s", "(repeat) " if repeat else "", title, body, url)
    if not repeat and (settings.SHOUWEI_ALERT_EMAILS or settings.SHOUWEI_ALERT_WEBHOOK_URL):
        from .tasks import deliver_external_alert

        deliver_external_alert.enqueue(title, body, url)
    return created


def deliver_external(*, title: str, body: str, url: str) -> None:
    """E-mail and webhook delivery, run by the worker so a slow mail server or webhook cannot
    hold up the job that raised the alert."""
    text = f"{body}\n{url}".strip()
    if settings.SHOUWEI_ALERT_EMAILS:
        send_mail(
            subject=f"[首位告警] {title}",
            message=text,
            from_email=None,
            recipient_list=list(settings.SHOUWEI_ALERT_EMAILS),
        )
    if settings.SHOUWEI_ALERT_WEBHOOK_URL:
        payload = json.dumps(
            # "msgtype/text" is the shape DingTalk, WeCom and Feishu robots accept.
            {"msgtype": "text", "text": {"content": f"[首位告警] {title}\n{text}"}},
            ensure_ascii=False,
        ).encode("utf-8")
        request = urllib.request.Request(
            settings.SHOUWEI_ALERT_WEBHOOK_URL,
            data=payload,
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
