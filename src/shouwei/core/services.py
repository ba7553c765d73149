"""Writes for the models that have no rules beyond their fields and their contract (units,
peer groups, the indicator catalogue, targets, a project's plans and problems): the one path
a view set takes when its app declares no service of its own.

Same calling convention as an app's services, so a view set calls either the same way:
``record_create(Model, by=user, **cleaned_data)``, ``record_update(by=user, instance=obj,
**cleaned_data)``, ``record_delete(by=user, instance=obj)``. Each asks the model's write
contract, validates the whole record and records ``by`` as the author in its history.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from .permissions import ADD, CHANGE, DELETE, require
from .text import check_text_fields


def _write(instance: models.Model, *, by, action: str, fields: dict[str, Any]) -> models.Model:
    for name, value in fields.items():
        setattr(instance, name, value)
    # Judged on the record as it will be stored: every unit it names now.
    require(by, action, instance)
    instance.full_clean()
    check_text_fields(instance)
    instance._history_user = by
    instance.save()
    return instance


@transaction.atomic
def record_create(model: type[models.Model], /, *, by, **fields: Any) -> models.Model:
    return _write(model(), by=by, action=ADD, fields=fields)


@transaction.atomic
def record_update(*, by, instance: models.Model, **fields: Any) -> models.Model:
    # The stored row, not the caller's copy (a bound form has already set its values on the
    # instance it was given): the contract judges what is stored and what it becomes.
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    return _write(stored, by=by, action=CHANGE, fields=fields)


@transaction.atomic
def record_delete(*, by, instance: models.Model) -> None:
    require(by, DELETE, instance)
    instance._history_user = by
    instance.delete()
