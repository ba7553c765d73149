"""Writes for investment attraction, and the rules every write path applies.

The pages (forms and the pipeline board), the importer, the API and the demo loader all come
through these functions, so a rule holds however a lead arrives: duplicates are caught on
entry, a stage moved back needs a reason, signing needs an amount, a date that is not in the
future and a passed admission review (or an override with its reason), and funds in place
above the signed amount need a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shouwei.core import clock
from shouwei.core.permissions import ADD, CHANGE, DELETE, require
from shouwei.projects import services as project_services

from .choices import MILESTONE_OF_STAGE, STAGE_DATE_FIELDS, Decision, LeadStage
from .models import AdmissionReview, AdmissionThreshold, Contract, Lead, LeadStep

# Two project names this alike (difflib's ratio, on the names without their boilerplate) are
# taken for the same project entered twice.
SIMILARITY = 0.8
_BOILERPLATE = re.compile(r"(项目|有限责任公司|股份有限公司|有限公司|集团|（|）|\(|\)|\s)")


def _norm(name: str) -> str:
    return _BOILERPLATE.sub("", name or "")


def similarity(a: str, b: str) -> float:
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def _not_future(on: date | None, field: str, label: str) -> dict[str, str]:
    if on is not None and on > clock.today():
        return {
            field: _("%(label)s%(on)s晚于今天，不能登记未来的日期") % {"label": label, "on": on}
        }
    return {}


# --- duplicates ----------------------------------------------------------------------------
def duplicate_errors(
    *, investor: str, project_name: str, exclude_pk: int | None = None, not_duplicate: bool = False
) -> dict[str, list[str]]:
    """{field: [message]} for a lead that repeats one already entered: the same investor and
    project always; the same investor, or a near-same project name, unless the user confirms
    it is not a duplicate. Each message names the lead it resembles."""
    others = Lead.objects.exclude(pk=exclude_pk) if exclude_pk else Lead.objects.all()
    rows = list(others.values_list("pk", "investor", "project_name"))
    errors: dict[str, list[str]] = {}
    for pk, other_investor, other_name in rows:
        if other_investor == investor and other_name == project_name:
            errors.setdefault("project_name", []).append(
                _("已有相同投资方和项目的线索：%(name)s（#%(pk)s）")
                % {"name": other_name, "pk": pk}
            )
    if errors or not_duplicate:
        return errors
    for pk, other_investor, other_name in rows:
        if other_investor == investor:
            errors.setdefault("investor", []).append(
                _(
                    "投资方与线索“%(name)s”（#%(pk)s）相同；如确为另一个项目，请勾选“确认不是重复线索”"
                )
                % {"name": other_name, "pk": pk}
            )
        elif similarity(other_name, project_name) >= SIMILARITY:
            errors.setdefault("project_name", []).append(
                _(
                    "项目名称与线索“%(name)s”（#%(pk)s）相近；如确为另一个项目，请勾选“确认不是重复线索”"
                )
                % {"name": other_name, "pk": pk}
            )
    return errors


# --- leads ---------------------------------------------------------------------------------
LEAD_FIELDS = (
    "project_name",
    "short_name",
    "investor",
    "investor_hq",
    "channel",
    "industry",
    "chain_link",
    "planned_investment",
    "land_mu",
    "expected_output",
    "expected_tax",
    "fortune_entry",
    "source_event",
    "source_office",
    "source_agency",
    "owner_cadre",
    "owner_unit",
    "lead_on",
)


def _save_lead(lead: Lead, *, by, action: str, not_duplicate: bool) -> Lead:
    require(by, action, lead)
    errors = duplicate_errors(
        investor=lead.investor,
        project_name=lead.project_name,
        exclude_pk=lead.pk,
        not_duplicate=not_duplicate,
    )
    errors.update({k: [v] for k, v in _not_future(lead.lead_on, "lead_on", _("线索日期")).items()})
    try:
        lead.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    lead._history_user = by
    lead.save()
    return lead


@transaction.atomic
def lead_create(*, by, not_duplicate: bool = False, **fields) -> Lead:
    lead = Lead(**fields)
    lead.stage = LeadStage.LEAD
    _save_lead(lead, by=by, action=ADD, not_duplicate=not_duplicate)
    LeadStep.objects.create(
        lead=lead, from_stage="", to_stage=LeadStage.LEAD, on=lead.lead_on, by=by
    )
    return lead


@transaction.atomic
def lead_update(*, by, instance: Lead, not_duplicate: bool = False, **fields) -> Lead:
    lead = Lead.objects.select_for_update().get(pk=instance.pk)
    require(by, CHANGE, lead)
    for name, value in fields.items():
        if name in LEAD_FIELDS:
            setattr(lead, name, value)
    return _save_lead(lead, by=by, action=CHANGE, not_duplicate=not_duplicate)


@transaction.atomic
def lead_delete(*, by, instance: Lead) -> None:
    # A signed lead is protected by its contract (models.PROTECT): the page says so.
    require(by, DELETE, instance)
    instance._history_user = by
    instance.delete()


def passed_review(lead: Lead) -> AdmissionReview | None:
    return lead.reviews.filter(decision=Decision.PASSED).order_by("-reviewed_on", "-pk").first()


@transaction.atomic
def lead_move(
    *,
    by,
    lead: Lead,
    to_stage: str,
    on: date | None,
    reason: str = "",
    signed_amount: Decimal | None = None,
    override_reason: str = "",
) -> Lead:
    """Move a lead on the board to ``to_stage`` on the date ``on``.

    Backwards needs a reason (and never back across the signing: a contract that is undone
    is a lost lead). Reaching 签约 needs the signed amount, a date not in the future and a
    passed admission review, or an override with its reason; it creates the contract. The
    stages after it fulfil the contract's milestones (注册, 开工, 投产)."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    require(by, CHANGE, lead)
    errors: dict[str, str] = {}
    if to_stage not in LeadStage.values:
        raise ValidationError({"to_stage": _("未知的阶段：%(stage)s") % {"stage": to_stage}})
    if lead.lost:
        raise ValidationError(_("线索已流失，不能移动"))
    if to_stage == lead.stage:
        raise ValidationError({"to_stage": _("线索已在该阶段")})
    reason = (reason or "").strip()
    frm, to = LeadStage.order(lead.stage), LeadStage.order(to_stage)
    signed_at = LeadStage.order(LeadStage.SIGNED)
    if on is None:
        errors["on"] = _("请填写到达该阶段的日期")
    else:
        errors.update(_not_future(on, "on", _("日期")))
        if on < lead.lead_on:
            errors["on"] = _("日期不能早于线索日期%(d)s") % {"d": lead.lead_on}
    if to < frm:
        if not reason:
            errors["reason"] = _("阶段从“%(frm)s”退回“%(to)s”，须说明原因") % {
                "frm": LeadStage(lead.stage).label,
                "to": LeadStage(to_stage).label,
            }
        if frm >= signed_at > to:
            errors["to_stage"] = _("已签约的线索不能退回签约之前；如合同解除，请标记流失")
    contract = getattr(lead, "contract_record", None)
    if to > frm and to > signed_at and frm < signed_at:
        errors["to_stage"] = _("请先将线索移到“签约”并登记签约金额和日期")
    if to_stage == LeadStage.SIGNED and frm < signed_at:
        if signed_amount is None:
            errors["signed_amount"] = _("签约须填写签约金额（万元）")
        elif signed_amount <= 0:
            errors["signed_amount"] = _("签约金额须大于零")
        if passed_review(lead) is None and not (override_reason or "").strip():
            errors["override_reason"] = _("该线索没有通过准入评审；如确需签约，须填写破格签约理由")
    if errors:
        raise ValidationError(errors)

    step_reason = reason
    if to_stage == LeadStage.SIGNED and frm < signed_at:
        contract = Contract(lead=lead, signed_amount=signed_amount, signed_on=on)
        contract.full_clean()
        contract._history_user = by
        contract.save()
        if (override_reason or "").strip() and passed_review(lead) is None:
            step_reason = _("破格签约：%(r)s") % {"r": override_reason.strip()}
    # The dates of the stages after the one reached no longer hold.
    for stage, field in STAGE_DATE_FIELDS.items():
        if LeadStage.order(stage) > to:
            setattr(lead, field, None)
    setattr(lead, STAGE_DATE_FIELDS[to_stage], on)
    if contract is not None:
        for stage, milestone in MILESTONE_OF_STAGE.items():
            if LeadStage.order(stage) > to:
                setattr(contract, f"{milestone}_actual", None)
        if to_stage in MILESTONE_OF_STAGE:
            setattr(contract, f"{MILESTONE_OF_STAGE[to_stage]}_actual", on)
        contract._history_user = by
        contract.save()
    LeadStep.objects.create(
        lead=lead, from_stage=lead.stage, to_stage=to_stage, on=on, reason=step_reason, by=by
    )
    lead.stage = to_stage
    lead._history_user = by
    lead.save()
    return lead


@transaction.atomic
def lead_lose(*, by, lead: Lead, on: date | None, reason: str) -> Lead:
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    require(by, CHANGE, lead)
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = _("线索流失时须填写流失原因")
    if on is None:
        errors["on"] = _("请填写流失日期")
    else:
        errors.update(_not_future(on, "on", _("流失日期")))
    if errors:
        raise ValidationError(errors)
    lead.lost, lead.lost_on, lead.lost_reason = True, on, reason.strip()
    lead._history_user = by
    lead.full_clean(validate_constraints=False)
    lead.save()
    return lead


# --- admission review ---------------------------------------------------------------------
@dataclass(frozen=True)
class Assessment:
    intensity: Decimal | None
    tax_per_mu: Decimal | None
    intensity_ok: bool
    tax_ok: bool
    energy_ok: bool
    industry_fit: bool

    @property
    def meets(self) -> bool:
        return self.intensity_ok and self.tax_ok and self.energy_ok and self.industry_fit


def _per_mu(amount: Decimal | None, land: Decimal | None) -> Decimal | None:
    if amount is None or not land:
        return None
    return (amount / land).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def assess(
    *, lead: Lead, threshold: AdmissionThreshold, energy_use: Decimal, industry_fit: bool
) -> Assessment:
    """The lead against the zone's thresholds. Reaching a threshold exactly meets it; a lead
    asking no land has no intensity or tax per 亩 to miss (it is judged on energy and fit)."""
    intensity = _per_mu(lead.planned_investment, lead.land_mu)
    tax = _per_mu(lead.expected_tax or Decimal(0), lead.land_mu)
    return Assessment(
        intensity=intensity,
        tax_per_mu=tax,
        intensity_ok=intensity is None or intensity >= threshold.min_intensity,
        tax_ok=tax is None or tax >= threshold.min_tax_per_mu,
        energy_ok=energy_use <= threshold.max_energy,
        industry_fit=industry_fit,
    )


def threshold_for(lead: Lead, year: int) -> AdmissionThreshold | None:
    return AdmissionThreshold.objects.filter(owner_unit=lead.owner_unit_id, year=year).first()


@transaction.atomic
def review_record(
    *,
    by,
    lead: Lead,
    reviewed_on: date,
    energy_use: Decimal,
    industry_fit: bool,
    decision: str,
    members: str,
    override_reason: str = "",
) -> AdmissionReview:
    review = AdmissionReview(
        lead=lead,
        reviewed_on=reviewed_on,
        energy_use=energy_use,
        industry_fit=industry_fit,
        decision=decision,
        members=members,
        override_reason=(override_reason or "").strip(),
        by=by,
    )
    require(by, ADD, review)
    errors: dict[str, str] = dict(_not_future(reviewed_on, "reviewed_on", _("评审日期")))
    threshold = threshold_for(lead, reviewed_on.year) if reviewed_on else None
    if reviewed_on and threshold is None:
        errors["reviewed_on"] = _("%(year)s年没有设定准入标准，请先登记准入标准") % {
            "year": reviewed_on.year
        }
    if not (members or "").strip():
        errors["members"] = _("请填写评审成员")
    if threshold is not None and energy_use is not None:
        a = assess(lead=lead, threshold=threshold, energy_use=energy_use, industry_fit=industry_fit)
        review.intensity, review.tax_per_mu, review.meets_thresholds = (
            a.intensity,
            a.tax_per_mu,
            a.meets,
        )
        if decision == Decision.PASSED and not a.meets and not review.override_reason:
            missed = [
                label
                for ok, label in (
                    (a.intensity_ok, _("投资强度")),
                    (a.tax_ok, _("亩均税收")),
                    (a.energy_ok, _("能耗")),
                    (a.industry_fit, _("产业定位")),
                )
                if not ok
            ]
            errors["override_reason"] = _("未达准入标准（%(missed)s），通过须填写破格通过理由") % {
                "missed": "、".join(missed)
            }
    if errors:
        raise ValidationError(errors)
    review.full_clean()
    review._history_user = by
    review.save()
    return review


# --- contracts -----------------------------------------------------------------------------
CONTRACT_FIELDS = (
    "signed_amount",
    "signed_on",
    "terms",
    "registration_planned",
    "funds_due_on",
    "funds_in_place",
    "funds_note",
    "start_planned",
    "production_planned",
)


@transaction.atomic
def contract_update(*, by, instance: Contract, **fields) -> Contract:
    """The contract's terms and planned milestones, and the funds in place so far (the actual
    dates of registration, start and production come from moving the lead on the board)."""
    contract = Contract.objects.select_for_update().get(pk=instance.pk)
    require(by, CHANGE, contract)
    for name, value in fields.items():
        if name in CONTRACT_FIELDS:
            setattr(contract, name, value)
    errors: dict[str, list[str]] = {}
    if contract.signed_amount is None:
        errors["signed_amount"] = [_("签约须填写签约金额（万元）")]
    if contract.signed_on is None:
        errors["signed_on"] = [_("签约须填写签约日期")]
    for k, v in _not_future(contract.signed_on, "signed_on", _("签约日期")).items():
        errors[k] = [v]
    try:
        contract.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(
                m for m in messages if m not in errors.get(field, [])
            )
    if errors:
        raise ValidationError(errors)
    contract._history_user = by
    contract.save()
    if contract.lead.signed_on != contract.signed_on:
        lead = contract.lead
        lead.signed_on = contract.signed_on
        lead._history_user = by
        lead.save(update_fields=["signed_on"])
    return contract


def lead_follow_contract(*, by, contract: Contract, reason: str) -> Lead:
    """After a contract import (or its undoing): the lead's signing and milestone dates are
    the contract's, and its stage is the furthest milestone the contract has reached (签约
    when none), with a timeline step when the stage changes."""
    lead = Lead.objects.select_for_update().get(pk=contract.lead_id)
    to_stage = LeadStage.SIGNED
    lead.signed_on = contract.signed_on
    for stage, milestone in MILESTONE_OF_STAGE.items():
        on = getattr(contract, f"{milestone}_actual")
        setattr(lead, STAGE_DATE_FIELDS[stage], on)
        if on is not None:
            to_stage = stage
    if to_stage != lead.stage:
        LeadStep.objects.create(
            lead=lead,
            from_stage=lead.stage,
            to_stage=to_stage,
            on=lead.stage_date(to_stage),
            reason=reason,
            by=by,
        )
        lead.stage = to_stage
    lead._history_user = by
    lead.save()
    return lead


# --- a signed lead becomes a key project (the projects app's public service) ----------------
YI = Decimal(10000)  # 万元 per 亿元


def project_fields(lead: Lead) -> dict:
    """What the key project takes from the signed lead and its contract (nothing retyped)."""
    contract = lead.contract_record
    return {
        "name": lead.project_name,
        "industry": lead.industry,
        "industry_chain": lead.chain_link.chain.name if lead.chain_link_id else "",
        "total_investment": (contract.signed_amount / YI).quantize(Decimal("0.01")),
        "owner_enterprise": lead.investor,
        "responsible_unit": lead.owner_unit,
        "start_date": contract.start_actual or contract.start_planned or contract.signed_on,
        "planned_completion_date": contract.production_planned,
    }


@transaction.atomic
def lead_to_project(*, by, lead: Lead, code: str, level: str):
    """Make the signed ``lead`` a key project (code and level are all the user adds) and link
    the two: the lead names its project, the project reaches its lead as ``investment_lead``."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    require(by, CHANGE, lead)
    if not hasattr(lead, "contract_record"):
        raise ValidationError(_("只有已签约的线索才能转为重点项目"))
    if lead.project_id:
        raise ValidationError(_("该线索已转为重点项目：%(p)s") % {"p": lead.project})
    project = project_services.project_create(by=by, code=code, level=level, **project_fields(lead))
    lead.project = project
    lead._history_user = by
    lead.save(update_fields=["project"])
    return project


@transaction.atomic
def funds_from_project(*, by, contract: Contract) -> Contract:
    """The funds in place of a contract whose lead became a key project: the project's
    investment completed to date (亿元, reported monthly), in 万元."""
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("lead__project")
        .get(pk=contract.pk)
    )
    require(by, CHANGE, contract)
    project = contract.lead.project
    if project is None:
        raise ValidationError(_("该合同的线索尚未转为重点项目"))
    funds = project_services.completed_investment(project) * YI
    note = contract.funds_note
    if funds > contract.signed_amount and not note.strip():
        note = _("按重点项目“%(p)s”累计完成投资更新，超过签约金额") % {"p": project}
    return contract_update(by=by, instance=contract, funds_in_place=funds, funds_note=note)


@transaction.atomic
def funds_follow_projects() -> int:
    """The periodic job's write: every contract whose lead became a key project takes the
    project's investment completed to date as its funds in place (万元), as the button
    (``funds_from_project``) does for one contract. Only contracts whose figure differs are
    written, each with a history entry saying why; a figure above the signed amount gets the
    same note as by the button. Returns how many contracts changed."""
    contracts = (
        Contract.objects.select_for_update(of=("self",))
        .filter(lead__project__isnull=False)
        .select_related("lead__project")
    )
    changed = 0
    for contract in contracts:
        project = contract.lead.project
        funds = project_services.completed_investment(project) * YI
        if contract.funds_in_place == funds:
            continue
        contract.funds_in_place = funds
        if funds > contract.signed_amount and not contract.funds_note.strip():
            contract.funds_note = _("按重点项目“%(p)s”累计完成投资更新，超过签约金额") % {
                "p": project
            }
        contract._change_reason = _("按重点项目累计完成投资自动更新")
        contract.save(update_fields=["funds_in_place", "funds_note"])
        changed += 1
    return changed
