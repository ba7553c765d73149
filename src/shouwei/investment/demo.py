"""The demo's investment attraction (``demo/data/investment.toml``), registered with the demo
loader. The article's figures are not in the file: they come out of these leads.

Idempotent: every record is keyed on its natural key (a lead on investor × project), and a
lead's steps, review and contract are written only with the lead itself, so loading again
creates nothing twice. The records are checked the way the services check them (the model's
``clean``, the review against the thresholds through ``services.assess``).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from shouwei.core.models import Unit
from shouwei.demo.registry import DemoContext, read_toml, register_demo_loader, upsert

from .choices import MILESTONE_OF_STAGE, STAGE_DATE_FIELDS, Decision, LeadStage
from .models import (
    AdmissionReview,
    AdmissionThreshold,
    Agency,
    ChainLink,
    Contract,
    Event,
    FortuneListEntry,
    IndustryChain,
    Lead,
    LeadStep,
    Office,
)
from .services import assess

# Days before signing at which a signed lead reached each earlier stage.
BEFORE_SIGNING = {
    LeadStage.LEAD: 60,
    LeadStage.CONTACT: 45,
    LeadStage.INTENT: 30,
    LeadStage.NEGOTIATION: 14,
}
REVIEW_BEFORE_SIGNING = 7
OPEN_STAGE_DAYS = 15
DEFAULT_ENERGY = Decimal(1000)
REVIEW_MEMBERS = "经济合作局\n产业发展局\n自然资源和规划分局\n财政局"


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@register_demo_loader("investment", after=("projects",))
def load_investment(ctx: DemoContext) -> None:
    report = ctx.report
    data = read_toml("investment")
    unit = Unit.objects.get(code=data["owner_unit"])
    for row in data["thresholds"]:
        _, created = upsert(
            AdmissionThreshold,
            owner_unit=unit,
            year=row["year"],
            defaults={
                "min_intensity": _dec(row["min_intensity"]),
                "min_tax_per_mu": _dec(row["min_tax_per_mu"]),
                "max_energy": _dec(row["max_energy"]),
            },
        )
        report.add("admission thresholds", created)
    offices, agencies, events, fortune, links = {}, {}, {}, {}, {}
    for row in data["offices"]:
        offices[row["key"]], created = upsert(
            Office,
            name=row["name"],
            defaults={
                "city": row["city"],
                "established_on": row["established_on"],
                "address": row.get("address", ""),
                "owner_unit": unit,
            },
        )
        report.add("investment offices", created)
    for row in data["agencies"]:
        agencies[row["key"]], created = upsert(
            Agency,
            name=row["name"],
            defaults={"fee_per_project": _dec(row.get("fee_per_project")), "owner_unit": unit},
        )
        report.add("investment agencies", created)
    for row in data["events"]:
        events[row["key"]], created = upsert(
            Event,
            name=row["name"],
            defaults={"held_on": row["held_on"], "place": row["place"], "owner_unit": unit},
        )
        report.add("investment events", created)
    for row in data["fortune"]:
        fortune[row["key"]], created = upsert(
            FortuneListEntry,
            year=row["year"],
            list_class=row["list_class"],
            company=row["company"],
            defaults={"owner_unit": unit},
        )
        report.add("500强 list entries", created)
    for row in data["chains"]:
        chain, created = upsert(
            IndustryChain,
            name=row["name"],
            defaults={"description": row["description"], "owner_unit": unit},
        )
        report.add("industry chains", created)
        for position, link in enumerate(row["links"], start=1):
            links[(chain.name, link["name"])], created = upsert(
                ChainLink,
                chain=chain,
                name=link["name"],
                defaults={"position": position, "target_investors": link["targets"]},
            )
            report.add("chain links", created)
    threshold = {t.year: t for t in AdmissionThreshold.objects.filter(owner_unit=unit)}
    refs = {"office": offices, "agency": agencies, "event": events}
    for row in data["signed"]:
        _signed_lead(
            row,
            unit=unit,
            refs=refs,
            fortune=fortune,
            links=links,
            threshold=threshold,
            report=report,
        )
    for row in data["open"]:
        _open_lead(row, unit=unit, refs=refs, links=links, report=report)


def _lead(row, *, unit, refs, links, fortune=None) -> Lead:
    link = links.get((row.get("chain"), row.get("link")))
    return Lead(
        project_name=row["project_name"],
        short_name=row.get("short_name", ""),
        investor=row["investor"],
        investor_hq=row.get("investor_hq", ""),
        channel=row["channel"],
        industry=row["industry"],
        chain_link=link,
        planned_investment=_dec(row["amount"]),
        land_mu=_dec(row.get("land")),
        expected_output=_dec(row.get("output")),
        expected_tax=_dec(row.get("tax")),
        fortune_entry=(fortune or {}).get(row.get("fortune")),
        source_event=refs["event"].get(row.get("event")),
        source_office=refs["office"].get(row.get("office")),
        source_agency=refs["agency"].get(row.get("agency")),
        owner_unit=unit,
    )


def _existing(row) -> bool:
    return Lead.objects.filter(investor=row["investor"], project_name=row["project_name"]).exists()


def _steps(lead: Lead, moves: list[tuple[str, object]]) -> None:
    previous = ""
    for stage, on in moves:
        setattr(lead, STAGE_DATE_FIELDS[stage], on)
        LeadStep.objects.create(lead=lead, from_stage=previous, to_stage=stage, on=on)
        previous = stage
    lead.stage = previous
    lead.save()


def _signed_lead(row, *, unit, refs, fortune, links, threshold, report) -> None:
    if _existing(row):
        report.add("investment leads", False)
        return
    signed_on = row["signed_on"]
    lead = _lead(row, unit=unit, refs=refs, links=links, fortune=fortune)
    lead.lead_on = signed_on - timedelta(days=BEFORE_SIGNING[LeadStage.LEAD])
    lead.full_clean(validate_constraints=False)
    lead.save()
    report.add("investment leads", True)
    moves = [(s, signed_on - timedelta(days=d)) for s, d in BEFORE_SIGNING.items()]
    moves.append((LeadStage.SIGNED, signed_on))
    moves += [(stage, on) for stage, on in row.get("reached", [])]
    reviewed_on = signed_on - timedelta(days=REVIEW_BEFORE_SIGNING)
    energy = _dec(row.get("energy")) or DEFAULT_ENERGY
    a = assess(
        lead=lead, threshold=threshold[reviewed_on.year], energy_use=energy, industry_fit=True
    )
    if not a.meets:
        raise ValueError(f"demo lead {lead} does not meet the {reviewed_on.year} thresholds")
    AdmissionReview.objects.create(
        lead=lead,
        reviewed_on=reviewed_on,
        intensity=a.intensity,
        tax_per_mu=a.tax_per_mu,
        energy_use=energy,
        industry_fit=True,
        meets_thresholds=True,
        decision=Decision.PASSED,
        members=REVIEW_MEMBERS,
    )
    c = row["contract"]
    contract = Contract(
        lead=lead,
        signed_amount=_dec(row["amount"]),
        signed_on=signed_on,
        registration_planned=c["registration"],
        funds_due_on=c["funds_due"],
        start_planned=c["start"],
        production_planned=c["production"],
        funds_in_place=_dec(c["funds"]),
    )
    for stage, on in row.get("reached", []):
        setattr(contract, f"{MILESTONE_OF_STAGE[stage]}_actual", on)
    contract.full_clean()
    contract.save()
    _steps(lead, moves)
    report.add("investment contracts", True)


def _open_lead(row, *, unit, refs, links, report) -> None:
    if _existing(row):
        report.add("investment leads", False)
        return
    lead = _lead(row, unit=unit, refs=refs, links=links)
    lead.lead_on = row["lead_on"]
    if row.get("lost_reason"):
        lead.lost, lead.lost_on, lead.lost_reason = True, row["lost_on"], row["lost_reason"]
    lead.full_clean(validate_constraints=False)
    lead.save()
    report.add("investment leads", True)
    upto = LeadStage.order(row["stage"])
    moves = [
        (stage, row["lead_on"] + timedelta(days=OPEN_STAGE_DAYS * i))
        for i, stage in enumerate(LeadStage.values[: upto + 1])
    ]
    _steps(lead, moves)
