"""Synthetic investment leads of 经济合作局, spread over the stages, the signed ones with a
contract (招商引资 at scale). Under 衡阳高新区 so the demo accounts read them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from shouwei.core.models import Unit
from shouwei.demo.bulk import RowWriter, existing
from shouwei.demo.registry import ScaleContext, register_scale_generator
from shouwei.investment.models import Agency, Contract, Event, Lead, Office

NAME_PREFIX = "模拟招商项目"
STAGES = ("lead", "contact", "intent", "negotiation", "signed", "registered", "started")
CHANNELS = ("resident", "event", "agency", "targeted", "business")
SIGNED = STAGES.index("signed")
FIRST_DAY = date(2021, 1, 1)


@register_scale_generator("investment")
def generate_at_scale(ctx: ScaleContext) -> dict[str, int]:
    return generate(leads=ctx.size.leads, seed=ctx.seed, tick=ctx.tick)


def generate(*, leads: int, seed: int, tick=None) -> dict[str, int]:
    tick = tick or (lambda *_a: None)
    unit = Unit.objects.filter(code="hy-gxq-jjhz").first()
    if unit is None:
        raise ValueError("模拟招商线索属于衡阳高新区经济合作局：请先加载衡阳演示数据")
    mine = Lead.objects.filter(project_name__startswith=NAME_PREFIX)
    if existing("招商线索", mine.count(), leads):
        return {"leads": 0, "contracts": 0}
    event, office, agency = (m.objects.order_by("pk").first() for m in (Event, Office, Agency))
    rng = random.Random(f"{seed}:investment")
    writer = RowWriter(
        Lead,
        varying=(
            "project_name",
            "investor",
            "channel",
            "industry",
            "planned_investment",
            "land_mu",
            "expected_tax",
            "source_event",
            "source_office",
            "source_agency",
            "owner_unit",
            "stage",
            "lead_on",
            "contact_on",
            "intent_on",
            "negotiation_on",
            "signed_on",
            "registered_on",
            "started_on",
            "lost",
            "lost_reason",
            "lost_on",
        ),
    )

    def rows():
        for n in range(leads):
            step = rng.randrange(len(STAGES))
            channel = rng.choice(CHANNELS)
            on = FIRST_DAY + timedelta(days=rng.randrange(540))
            lost = step < SIGNED and rng.random() < 0.08

            def after(days, reached, on=on, step=step):
                return on + timedelta(days=days) if step >= reached else None

            yield (
                f"{NAME_PREFIX}{n:06d}",
                f"模拟投资方{n:06d}有限公司",
                channel,
                "C39",
                Decimal(rng.randint(1000, 50000)),
                Decimal(rng.randint(10, 99)),
                Decimal(rng.randint(100, 999)),
                event.pk if event and channel == "event" else None,
                office.pk if office and channel == "resident" else None,
                agency.pk if agency and channel == "agency" else None,
                unit.pk,
                STAGES[step],
                on,
                after(15, 1),
                after(30, 2),
                after(45, 3),
                after(60, SIGNED),
                after(75, SIGNED + 1),
                after(120, SIGNED + 2),
                lost,
                "模拟流失" if lost else "",
                on + timedelta(days=20) if lost else None,
            )
            if n % 10_000 == 9_999:
                tick("leads", n + 1, leads)

    created = writer.write(rows())
    tick("leads", leads, leads)
    signed = (
        mine.filter(stage__in=STAGES[SIGNED:])
        .order_by("pk")
        .values_list("pk", "signed_on", "planned_investment")
    )
    contracts = RowWriter(
        Contract,
        varying=(
            "lead",
            "signed_amount",
            "signed_on",
            "registration_planned",
            "funds_due_on",
            "funds_in_place",
            "start_planned",
        ),
    ).write(
        (
            pk,
            amount,
            on,
            on + timedelta(days=45),
            on + timedelta(days=365),
            amount / 4,
            on + timedelta(days=120),
        )
        for pk, on, amount in signed
    )
    return {"leads": created, "contracts": contracts}
