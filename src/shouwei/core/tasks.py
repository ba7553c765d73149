"""Background tasks of the core app (run by ``shouwei worker``)."""

from django_tasks import task

from . import alerts, schedule


@task()
def run_periodic(name: str) -> None:
    schedule.run_now(name)


@task()
def deliver_external_alert(title: str, body: str, url: str) -> None:
    alerts.deliver_external(title=title, body=body, url=url)
