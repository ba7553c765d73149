"""Writes to observations and targets, with their rules (HackSoft: services write).

Who may do what is the observation's contract (``Observation.contract``); the rules here are
the ones every path shares — the form, the API and the importer (``indicators.importers``) all
place a figure through :func:`placement_problems`, so a row the importer refuses is refused by
the form too, with the same words.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from shouwei.core import audit
from shouwei.core.choices import UnitKind
from shouwei.core.models import Unit
from shouwei.core.permissions import (
    ADD,
    APPROVE,
    CHANGE,
    CORRECT,
    REJECT,
    SUBMIT,
    require,
    units_allowed,
)

from .choices import ObservationStatus
from .models import Indicator, Observation

# What a statistician approves: a change to any of these since the last approval is a change of
# the state they would be approving (四眼原则: nobody approves a state they changed).
CONTENT_FIELDS = ("unit", "indicator", "period", "value", "growth", "published_rank",
                  "rank_group", "rank_basis", "reporting_unit", "note")  # fmt: skip

security_log = logging.getLogger("shouwei.security")


def reporting_unit_for(*, indicator: Indicator, unit: Unit, given: Unit | None) -> Unit | None:
    """The department that reports a figure. Within the zone of the indicator's owning
    department (the zone and the units below it) that department reports it, whoever types it
    in; a unit outside that zone (a peer district) reports its own figures. Elsewhere, the
    unit named, or the unit itself."""
    owner = indicator.owner_unit if indicator.owner_unit_id else None
    if owner is not None and unit.path.startswith(_zone_path(owner)):
        return owner
    return given or unit


def _zone_path(owner: Unit) -> str:
    # A department's zone is the unit above it; a unit that is no department is its own zone.
    if owner.kind == UnitKind.DEPARTMENT and owner.parent_id:
        return owner.path[: owner.path.rstrip("/").rfind("/") + 1]
    return owner.path


def placement_problems(
    *, by, unit: Unit, indicator: Indicator, reporting_unit: Unit | None, action: str = ADD
) -> list[tuple[str | None, str]]:
    """Why ``by`` may not file this figure here (empty: they may). ``reporting_unit`` is the
    one named by the user (None: the default)."""
    reporter = reporting_unit_for(indicator=indicator, unit=unit, given=reporting_unit)
    if reporting_unit is not None and reporter is not None and reporting_unit.pk != reporter.pk:
        return [
            (
                "reporting_unit",
                _("“%(unit)s”的指标“%(ind)s”由“%(rep)s”负责填报，填报单位须为该部门（可留空）")
                % {
                    "unit": unit.display_name,
                    "ind": indicator.display_name,
                    "rep": reporter.display_name,
                },
            )
        ]
    candidate = Observation(unit=unit, indicator=indicator, reporting_unit=reporter)
    if units_allowed(by, Observation, action, candidate):
        return []
    return [
        (
            "unit",
            _("您无权以“%(rep)s”的名义填报“%(unit)s”的指标“%(ind)s”")
            % {
                "rep": reporter.display_name if reporter else "—",
                "unit": unit.display_name,
                "ind": indicator.display_name,
            },
        )
    ]


def _raise(problems: list[tuple[str | None, str]]) -> None:
    """A reporting unit that is not the one reporting the figure is bad input; a unit the user
    may not write for is a refusal."""
    wrong = {f: m for f, m in problems if f == "reporting_unit"}
    if wrong:
        raise ValidationError(wrong)
    if problems:
        raise PermissionDenied("；".join(m for _f, m in problems))


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
        reporting_unit=reporting_unit_for(indicator=indicator, unit=unit, given=reporting_unit),
        source=source,
        note=note,
        entered_by=by,
        status=ObservationStatus.DRAFT,
    )
    _raise(
        placement_problems(
            by=by, unit=unit, indicator=indicator, reporting_unit=reporting_unit, action=ADD
        )
    )
    observation.full_clean()
    observation._history_user = by
    observation.save()
    if status == ObservationStatus.SUBMITTED:
        observation_submit(observation=observation, by=by)
    return observation


@transaction.atomic
def observation_submit(*, observation: Observation, by) -> Observation:
    if observation.status != ObservationStatus.DRAFT:
        raise ValidationError(_("只有草稿可以提交"))
    require(by, SUBMIT, observation, _("您无权提交该观测值"))
    observation.status = ObservationStatus.SUBMITTED
    observation.submitted_at = timezone.now()
    observation._history_user = by
    observation.save(update_fields=["status", "submitted_at"])
    update_change_reason(observation, _("提交审核"))
    return observation


@transaction.atomic
def observation_approve(*, observation: Observation, by) -> Observation:
    """Only a statistician whose units cover the record approves it; nothing reaches a report
    or the portal before this."""
    if observation.status != ObservationStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的观测值可以审核通过"))
    require(by, APPROVE, observation, _("您无权审核该观测值"))
    if not by.is_superuser and (
        observation.entered_by_id == by.pk
        or audit.changed_by(observation, user=by, fields=CONTENT_FIELDS, since=_last_approval)
    ):
        # Four eyes: whoever entered or changed the figure being approved does not approve it.
        raise PermissionDenied(_("不能审核自己填报或修改过的观测值，请由另一位统计员审核"))
    observation.status = ObservationStatus.APPROVED
    observation.approved_by = by
    observation.approved_at = timezone.now()
    observation._history_user = by
    observation.save(update_fields=["status", "approved_by", "approved_at"])
    update_change_reason(observation, _("审核通过"))
    security_log.info(
        "approved observation #%s by %s",
        observation.pk,
        by,
        extra={"event": "approval", "user_id": by.pk, "username": by.get_username()},
    )
    return observation


@transaction.atomic
def observation_reject(*, observation: Observation, by, reason: str) -> Observation:
    if observation.status != ObservationStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的观测值可以退回"))
    if not reason.strip():
        raise ValidationError(_("退回须说明原因"))
    require(by, REJECT, observation, _("您无权退回该观测值"))
    observation.status = ObservationStatus.DRAFT
    observation._history_user = by
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
    require(by, CORRECT, observation, _("您无权更正该观测值"))
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
    observation._history_user = by
    observation.save()
    update_change_reason(observation, _("更正：%(r)s") % {"r": reason.strip()})
    return observation


def _last_approval(record) -> bool:
    return record.status == ObservationStatus.APPROVED


@transaction.atomic
def observation_update(
    *,
    by,
    instance: Observation,
    unit: Unit,
    indicator: Indicator,
    period: str,
    value: Decimal | None = None,
    growth: Decimal | None = None,
    published_rank: int | None = None,
    rank_group=None,
    rank_basis: str = "",
    reporting_unit: Unit | None = None,
    source: str = "",
    note: str = "",
) -> Observation:
    """Save an edit of a draft or submitted figure. A submitted figure that changes goes back
    to draft: the statistician must not approve something other than what was submitted."""
    # The stored row, not the caller's copy (a bound form has already set its values on the
    # instance it was given): the change is judged against what is stored.
    observation = Observation.objects.select_for_update().get(pk=instance.pk)
    require(by, CHANGE, observation, _("您无权修改该观测值"))
    _raise(
        placement_problems(
            by=by,
            unit=unit,
            indicator=indicator,
            reporting_unit=reporting_unit,
            action=CHANGE,
        )
    )
    new = {
        "unit": unit,
        "indicator": indicator,
        "period": period,
        "value": value,
        "growth": growth,
        "published_rank": published_rank,
        "rank_group": rank_group,
        "rank_basis": rank_basis,
        "reporting_unit": reporting_unit_for(indicator=indicator, unit=unit, given=reporting_unit),
        "source": source,
        "note": note,
    }
    changed = any(getattr(observation, name) != figure for name, figure in new.items())
    for name, figure in new.items():
        setattr(observation, name, figure)
    reason = ""
    if observation.status == ObservationStatus.SUBMITTED and changed:
        observation.status = ObservationStatus.DRAFT
        observation.submitted_at = None
        reason = _("提交后修改，退回草稿待重新提交")
    observation.full_clean()
    observation._history_user = by
    observation.save()
    if reason:
        update_change_reason(observation, reason)
    return observation
