"""Writes to observations and targets, with their rules (HackSoft: services write)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from shouwei.core.choices import Role
from shouwei.core.models import Unit
from shouwei.core.permissions import scope_for

from .choices import ObservationStatus
from .models import Indicator, Observation


def _require(user, roles: tuple[str, ...], units: list[Unit], action: str) -> None:
    scope = scope_for(user)
    if scope.is_superuser:
        return
    if not any(u is not None and scope.covers(u.path, roles) for u in units):
        raise PermissionDenied(_("您无权%(action)s该观测值") % {"action": action})


def _observation_units(observation: Observation) -> list[Unit]:
    return [observation.unit, observation.reporting_unit]


@transaction.atomic
def observation_create(
    *,
    unit: Unit,
    indicator: Indicator,
    period: str,
    by,
    value: Decimal | None = None,
    growth: Decimal | None = None,
    published_rank: int | None = None,
    rank_group=None,
    rank_basis: str = "",
    reporting_unit: Unit | None = None,
    source: str = "",
    note: str = "",
    status: str = ObservationStatus.DRAFT,
) -> Observation:
    observation = Observation(
        unit=unit,
        indicator=indicator,
        period=period,
        value=value,
        growth=growth,
        published_rank=published_rank,
        rank_group=rank_group,
        rank_basis=rank_basis,
        reporting_unit=reporting_unit or indicator.owner_unit,
        source=source,
        note=note,
        entered_by=by,
        status=ObservationStatus.DRAFT,
    )
    _require(by, (Role.STAFF, Role.STATISTICIAN), _observation_units(observation), _("填报"))
    observation.full_clean()
    observation.save()
    if status == ObservationStatus.SUBMITTED:
        observation_submit(observation=observation, by=by)
    return observation


@transaction.atomic
def observation_submit(*, observation: Observation, by) -> Observation:
    if observation.status != ObservationStatus.DRAFT:
        raise ValidationError(_("只有草稿可以提交"))
    _require(by, (Role.STAFF, Role.STATISTICIAN), _observation_units(observation), _("提交"))
    observation.status = ObservationStatus.SUBMITTED
    observation.submitted_at = timezone.now()
    observation.save(update_fields=["status", "submitted_at"])
    update_change_reason(observation, _("提交审核"))
    return observation


@transaction.atomic
def observation_approve(*, observation: Observation, by) -> Observation:
    """Only a statistician whose units cover the record approves it; nothing reaches a report
    or the portal before this."""
    if observation.status != ObservationStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的观测值可以审核通过"))
    _require(by, (Role.STATISTICIAN,), _observation_units(observation), _("审核"))
    if observation.entered_by_id == by.pk and not by.is_superuser:
        # Four eyes: the statistician who entered a figure does not also approve it.
        raise PermissionDenied(_("不能审核自己填报的观测值，请由另一位统计员审核"))
    observation.status = ObservationStatus.APPROVED
    observation.approved_by = by
    observation.approved_at = timezone.now()
    observation.save(update_fields=["status", "approved_by", "approved_at"])
    update_change_reason(observation, _("审核通过"))
    return observation


@transaction.atomic
def observation_reject(*, observation: Observation, by, reason: str) -> Observation:
    if observation.status != ObservationStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的观测值可以退回"))
    if not reason.strip():
        raise ValidationError(_("退回须说明原因"))
    _require(by, (Role.STATISTICIAN,), _observation_units(observation), _("退回"))
    observation.status = ObservationStatus.DRAFT
    observation.save(update_fields=["status"])
    update_change_reason(observation, _("退回：%(r)s") % {"r": reason.strip()})
    return observation


class _Keep:
    """Marks a figure the correction leaves as it is (``None`` clears it)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


@transaction.atomic
def observation_correct(
    *,
    observation: Observation,
    by,
    reason: str,
    value: Decimal | _Keep | None = KEEP,
    growth: Decimal | _Keep | None = KEEP,
    published_rank: int | _Keep | None = KEEP,
) -> Observation:
    """Correct an approved figure: the statistician changes it, the old value stays in the
    history with the reason (更正), and it stays approved under the corrector's name.

    A figure not passed is kept: correcting the growth must not erase the value or the
    published rank. Passing ``None`` clears it."""
    if observation.status != ObservationStatus.APPROVED:
        raise ValidationError(_("未审核的观测值直接修改即可，无需更正"))
    if not reason.strip():
        raise ValidationError(_("更正须说明原因"))
    _require(by, (Role.STATISTICIAN,), _observation_units(observation), _("更正"))
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    for name, new_figure in (
        ("value", value),
        ("growth", growth),
        ("published_rank", published_rank),
    ):
        if new_figure is not KEEP:
            setattr(observation, name, new_figure)
    observation.approved_by, observation.approved_at = by, timezone.now()
    observation.full_clean()
    observation.save()
    update_change_reason(observation, _("更正：%(r)s") % {"r": reason.strip()})
    return observation


@transaction.atomic
def observation_update(*, form, by) -> Observation:
    """Save an edit of a draft or submitted figure. A submitted figure that changes goes back
    to draft: the statistician must not approve something other than what was submitted."""
    observation = form.save(commit=False)
    reason = ""
    if observation.status == ObservationStatus.SUBMITTED and form.has_changed():
        observation.status = ObservationStatus.DRAFT
        observation.submitted_at = None
        reason = _("提交后修改，退回草稿待重新提交")
    observation.full_clean()
    observation.save()
    if reason:
        update_change_reason(observation, reason)
    return observation
