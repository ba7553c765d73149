"""绩效考评: a scheme's rules applied to the facts of a year, one department at a time.

How a department's total is made (the rules the office reads in the scheme page):

* every **score item** (考核项) gives a fraction between 0 and 1 of its weight from its facts —
  indicator rank: (n − r + 1) / n for rank r among n peers; target attainment: the mean over
  the department's goals of green/done 1, yellow ½, red 0; milestone on-time rate: the weight
  of its milestones done by their due date over the weight of those due; arrears collection:
  collected over due; another app's source: the fraction it reports;
* an item with no facts for a department (it owns no such indicator, the providing app is not
  installed) does not apply to it: its **base score** is its points over the weights that do
  apply, times 100 (得分率折算), so departments with different duties stay comparable;
* **bonus** (加分) and **penalty** (减分) items add and subtract points, each capped at its
  value: a manual fact's points, or ``unit_points`` per case (a notice answered late);
* a **veto** item (一票否决) that finds a fact — a 较大及以上 safety accident, a manual veto —
  puts the department below every department not vetoed, whatever its points.

Ranks are competition ranks ("1224"), computed by the evaluation engine's
``competition_ranks`` (shouwei.evaluation.ranks) — the same ties rule as every rank the
platform prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from shouwei.core.generic import platform_url_for
from shouwei.core.permissions import UserScope
from shouwei.evaluation.ranks import competition_ranks
from shouwei.indicators.models import Indicator, Observation
from shouwei.indicators.selectors import indicator_for_unit

from . import sources
from .choices import SERIOUS_LEVELS, ItemKind, ItemRule, LightColour
from .lights import goal_light, milestone_light

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

RULES_BY_KIND = {
    ItemKind.SCORE: (
        ItemRule.INDICATOR_RANK,
        ItemRule.TARGET_ATTAINMENT,
        ItemRule.MILESTONE_ON_TIME,
        ItemRule.ARREARS_COLLECTION,
        ItemRule.SOURCE,
    ),
    ItemKind.BONUS: (ItemRule.MANUAL, ItemRule.SOURCE),
    ItemKind.PENALTY: (ItemRule.MANUAL, ItemRule.NOTICE_OVERDUE, ItemRule.SERIOUS_INCIDENT),
    ItemKind.VETO: (ItemRule.MANUAL, ItemRule.SERIOUS_INCIDENT),
}
LIGHT_FRACTION = {
    LightColour.GREEN: Decimal(1),
    LightColour.DONE: Decimal(1),
    LightColour.YELLOW: Decimal("0.5"),
    LightColour.RED: Decimal(0),
}


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """90.00 → "90", 2.50 → "2.5" (``normalize`` alone would print 9E+1)."""
    return format(Decimal(value).normalize(), "f")


# --- validation ----------------------------------------------------------------------------------
def check_item(item) -> None:
    """The rules of one scheme line (SchemeItem.clean)."""
    kind, rule = item.kind, item.rule
    if kind == ItemKind.VETO and item.weight:
        raise ValidationError(
            {
                "weight": _("一票否决项不计分值：否决即排在最后，分值须为 0（现为 %(w)s）")
                % {"w": item.weight}
            }
        )
    if kind and rule and rule not in RULES_BY_KIND.get(kind, ()):
        raise ValidationError(
            {
                "rule": _("%(kind)s不能使用“%(rule)s”规则")
                % {"kind": ItemKind(kind).label, "rule": ItemRule(rule).label}
            }
        )
    if kind in (ItemKind.SCORE, ItemKind.BONUS, ItemKind.PENALTY) and not item.weight:
        raise ValidationError({"weight": _("考核项和加减分项须填写大于 0 的权重或分值")})
    if rule == ItemRule.INDICATOR_RANK:
        if not item.indicator:
            raise ValidationError({"indicator": _("“指标排名”规则须填写指标代码")})
        if not Indicator.objects.filter(code=item.indicator).exists():
            raise ValidationError(
                {
                    "indicator": _("未知指标代码“%(code)s”：指标目录中没有该指标")
                    % {"code": item.indicator}
                }
            )
    elif item.indicator:
        raise ValidationError({"indicator": _("只有“指标排名”规则需要指标代码")})
    if rule == ItemRule.SOURCE and not item.source:
        raise ValidationError({"source": _("“其他应用提供的数据”规则须填写数据来源代码")})
    per_case = (ItemRule.NOTICE_OVERDUE, ItemRule.SERIOUS_INCIDENT)
    if rule in per_case and kind == ItemKind.PENALTY and not item.unit_points:
        raise ValidationError({"unit_points": _("按次扣分的项目须填写每次扣分")})


def check_scheme(scheme) -> None:
    """The score items' weights sum to 100, and the scheme has someone to score."""
    items = list(scheme.items.all())
    total = sum((i.weight for i in items if i.kind == ItemKind.SCORE), Decimal(0))
    if total != HUNDRED:
        diff = total - HUNDRED
        raise ValidationError(
            _("考核项权重合计为 %(total)s，须为 100（%(how)s %(diff)s）")
            % {
                "total": plain(total),
                "how": _("多") if diff > 0 else _("少"),
                "diff": plain(abs(diff)),
            }
        )
    if not scheme.participants.exists():
        raise ValidationError(_("方案尚未选择被考评单位"))


# --- facts -----------------------------------------------------------------------------------
@dataclass
class ItemScore:
    item_id: int
    name: str
    kind: str
    rule: str
    weight: str
    applies: bool
    fraction: str | None = None
    points: str = "0"
    vetoes: bool = False
    note: str = ""
    facts: list[dict] = field(default_factory=list)


def _fact(label: str, obj=None) -> dict:
    # Stored with the score and shown on the platform: its address there, even when the
    # scoring runs in a portal-only process (loaddemo under SHOUWEI_SITE=portal).
    return {"label": label, "url": platform_url_for(obj) if obj is not None else ""}


@dataclass
class Context:
    """What one run reads once for every department."""

    scheme: object
    as_of: date
    by: object


def _indicator_rank(ctx: Context, item, unit):
    indicator = Indicator.objects.filter(code=item.indicator).first()
    if indicator is None or indicator.owner_unit_id != unit.pk:
        return None, [], _("该指标不由本单位负责")
    zone = ctx.scheme.unit
    latest = (
        Observation.objects.visible_to(ctx.by)
        .approved()
        .filter(unit=zone, indicator=indicator, period_end__year=ctx.scheme.year)
        .filter(period_end__lte=ctx.as_of)
        .order_by("-period_end")
        .first()
    )
    if latest is None:
        return None, [], _("尚无已审核数据")
    view = indicator_for_unit(unit=zone, indicator=indicator, period=latest.period, user=ctx.by)
    entry = view.ranking.entry_for(zone) if view.ranking else None
    if entry is None or entry.rank is None:
        return None, [], _("尚无排名")
    n = len(view.ranking.entries)
    fraction = Decimal(n - entry.rank + 1) / Decimal(n)
    label = _("%(ind)s %(period)s 在%(group)s（%(n)s 个单位）中排第 %(rank)s 名") % {
        "ind": indicator.name,
        "period": latest.period,
        "group": view.group.name,
        "n": n,
        "rank": entry.rank,
    }
    return fraction, [_fact(label, latest)], ""


def _target_attainment(ctx: Context, item, unit):
    from .models import Goal
    from .selectors import target_lights

    goals = list(
        Goal.objects.filter(unit=ctx.scheme.unit, year=ctx.scheme.year, task_book__lead_unit=unit)
        .select_related("target__indicator")
        .prefetch_related("milestones")
    )
    bound = target_lights(goals, user=ctx.by, today=ctx.as_of)
    fractions, facts = [], []
    for goal in goals:
        light = goal_light(
            milestone_lights=[
                milestone_light(due=m.due, completed_on=m.completed_on, today=ctx.as_of)
                for m in goal.milestones.all()
            ],
            target_light=bound.get(goal.pk),
        )
        if light.colour not in LIGHT_FRACTION:
            continue
        fractions.append(LIGHT_FRACTION[light.colour])
        facts.append(_fact(f"{goal.title}：{light.label}（{light.reason}）", goal))
    if not fractions:
        return None, [], _("没有牵头的已亮灯目标")
    return sum(fractions) / len(fractions), facts, ""


def _milestone_on_time(ctx: Context, item, unit):
    from .models import Milestone

    due = Milestone.objects.filter(
        goal__unit=ctx.scheme.unit,
        goal__year=ctx.scheme.year,
        lead_unit=unit,
        due__lte=ctx.as_of,
    ).select_related("goal")
    total = on_time = Decimal(0)
    facts = []
    for m in due:
        ok = m.completed_on is not None and m.completed_on <= m.due
        total += m.weight
        on_time += m.weight if ok else 0
        state = _("按时完成") if ok else (_("逾期完成") if m.completed_on else _("逾期未完成"))
        facts.append(
            _fact(
                f"{m.goal.title} · {m.title}（时限 {m.due}，权重 {plain(m.weight)}）：{state}",
                m,
            )
        )
    if not total:
        return None, [], _("没有已到期的节点")
    return on_time / total, facts, ""


def _arrears(ctx: Context, item, unit):
    from .models import Arrears

    rows = Arrears.objects.filter(owner_unit=unit, deadline__year=ctx.scheme.year)
    due = collected = Decimal(0)
    facts = []
    for a in rows:
        due += a.amount_due
        collected += a.collected
        facts.append(_fact(f"{a.debtor}：应收 {a.amount_due} 万元，已收 {a.collected} 万元", a))
    if not due:
        return None, [], _("没有清收任务")
    return min(collected / due, Decimal(1)), facts, ""


def _source(ctx: Context, item, unit):
    source = sources.score_source(item.source)
    if source is None:
        return None, [], _("无数据：没有应用提供“%(key)s”") % {"key": item.source}
    result = source.fn(unit=unit, year=ctx.scheme.year, as_of=ctx.as_of)
    if result is None:
        return None, [], _("无数据")
    facts = [
        {"label": str(f["label"]), "url": str(f.get("url", ""))} for f in result.get("facts", [])
    ]
    return sources.clamp_fraction(result["fraction"]), facts, ""


def _overdue_notices(ctx: Context, item, unit):
    from .models import SupervisionNotice

    notices = SupervisionNotice.objects.filter(
        unit=unit, issued_at__year=ctx.scheme.year, deadline__lt=ctx.as_of
    ).exclude(answered_at__date__lte=F("deadline"))
    facts = [_fact(f"{n.number}：时限 {n.deadline}，{n.get_status_display()}", n) for n in notices]
    return len(facts), facts


def _incidents(ctx: Context, item, unit, *, serious_only: bool):
    from .models import SafetyIncident

    qs = SafetyIncident.objects.filter(unit=unit, occurred_on__year=ctx.scheme.year)
    if serious_only:
        qs = qs.filter(level__in=SERIOUS_LEVELS)
    facts = [_fact(f"{i.occurred_on} {i.get_level_display()}事故：{i.place}", i) for i in qs]
    return len(facts), facts


def _manual(item, unit):
    adjustments = [a for a in item.adjustments.all() if a.unit_id == unit.pk]
    facts = [_fact(f"{a.reason}（{plain(a.points)} 分）", a) for a in adjustments]
    return adjustments, facts


SCORE_RULES = {
    ItemRule.INDICATOR_RANK: _indicator_rank,
    ItemRule.TARGET_ATTAINMENT: _target_attainment,
    ItemRule.MILESTONE_ON_TIME: _milestone_on_time,
    ItemRule.ARREARS_COLLECTION: _arrears,
    ItemRule.SOURCE: _source,
}


def score_item(ctx: Context, item, unit) -> ItemScore:
    out = ItemScore(
        item_id=item.pk,
        name=item.name,
        kind=item.kind,
        rule=item.rule,
        weight=str(item.weight),
        applies=False,
    )
    if item.kind == ItemKind.SCORE:
        fraction, facts, note = SCORE_RULES[item.rule](ctx, item, unit)
        out.facts, out.note = facts, note
        if fraction is not None:
            out.applies = True
            out.fraction = str(q2(fraction * HUNDRED) / HUNDRED)
            out.points = str(q2(item.weight * fraction))
        return out
    if item.rule == ItemRule.MANUAL:
        adjustments, out.facts = _manual(item, unit)
        cases = len(adjustments)
        points = sum((a.points for a in adjustments), Decimal(0))
    elif item.rule == ItemRule.SOURCE:
        fraction, out.facts, out.note = _source(ctx, item, unit)
        cases = 0 if fraction is None else 1
        points = item.weight * fraction if fraction is not None else Decimal(0)
    elif item.rule == ItemRule.NOTICE_OVERDUE:
        cases, out.facts = _overdue_notices(ctx, item, unit)
        points = item.unit_points * cases
    else:  # SERIOUS_INCIDENT
        cases, out.facts = _incidents(ctx, item, unit, serious_only=item.kind == ItemKind.VETO)
        points = item.unit_points * cases
    out.applies = cases > 0
    if item.kind == ItemKind.VETO:
        out.vetoes = cases > 0
        return out
    out.points = str(q2(min(points, item.weight)))
    if points > item.weight:
        out.note = _("按上限 %(max)s 分计") % {"max": plain(item.weight)}
    return out


@dataclass
class UnitResult:
    unit: object
    items: list[ItemScore]
    base: Decimal
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    vetoed: bool
    rank: int = 0

    def breakdown(self) -> list[dict]:
        return [asdict(i) for i in self.items]


def score_unit(ctx: Context, items, unit) -> UnitResult:
    scored = [score_item(ctx, item, unit) for item in items]
    applying = [s for s in scored if s.kind == ItemKind.SCORE and s.applies]
    weights = sum((Decimal(s.weight) for s in applying), Decimal(0))
    points = sum((Decimal(s.points) for s in applying), Decimal(0))
    base = q2(points * HUNDRED / weights) if weights else Decimal(0)
    bonus = sum((Decimal(s.points) for s in scored if s.kind == ItemKind.BONUS), Decimal(0))
    penalty = sum((Decimal(s.points) for s in scored if s.kind == ItemKind.PENALTY), Decimal(0))
    return UnitResult(
        unit=unit,
        items=scored,
        base=base,
        bonus=bonus,
        penalty=penalty,
        total=q2(base + bonus - penalty),
        vetoed=any(s.vetoes for s in scored),
    )


def rank_results(results: list[UnitResult]) -> list[UnitResult]:
    """Competition ranks by total; every vetoed department after every other one."""
    kept = [r for r in results if not r.vetoed]
    vetoed = [r for r in results if r.vetoed]
    offset = 0
    for group in (kept, vetoed):
        if group:
            ranks = competition_ranks([float(r.total) for r in group])
            for r, rank in zip(group, ranks, strict=True):
                r.rank = int(rank) + offset
        offset += len(group)
    return sorted(results, key=lambda r: (r.rank, r.unit.path))


class _Platform:
    """The platform itself as the reader of a scheme's facts (``compute(platform=True)``, the
    demo loader's run): no person, reads every approved figure — the figures every logged-in
    user reads anyway, as evaluation_web's ``save_platform_evaluation`` does."""

    is_authenticated = True
    is_superuser = True
    pk = None
    _shouwei_scope = UserScope(is_superuser=True, authenticated=True)

    def __str__(self) -> str:
        return "平台"


def compute(*, scheme, as_of: date, by, platform: bool = False) -> list[UnitResult]:
    """Score the participants with the facts ``by`` may read; ``platform=True`` (and no
    ``by``) reads as the platform: only the system run does that, never a view."""
    if platform != (by is None):
        raise ValueError("compute() needs a user, or platform=True without one")
    check_scheme(scheme)
    items = list(scheme.items.prefetch_related("adjustments").order_by("order", "pk"))
    ctx = Context(scheme=scheme, as_of=as_of, by=_Platform() if platform else by)
    units = scheme.participants.order_by("path")
    return rank_results([score_unit(ctx, items, u) for u in units])


def differences(previous: list[dict], current: list[dict]) -> list[dict]:
    """What moved between two runs, per unit: total, rank, veto, and each item's points."""
    before = {row["unit"]: row for row in previous}
    changes = []
    for row in current:
        old = before.pop(row["unit"], None)
        if old is None:
            changes.append({"unit": row["unit"], "name": row["name"], "what": "added"})
            continue
        for key in ("total", "rank", "vetoed"):
            if old[key] != row[key]:
                changes.append(
                    {
                        "unit": row["unit"],
                        "name": row["name"],
                        "what": key,
                        "before": old[key],
                        "after": row[key],
                    }
                )
        old_items = {i["item"]: i for i in old["items"]}
        for item in row["items"]:
            was = old_items.get(item["item"])
            if was is not None and was["points"] != item["points"]:
                changes.append(
                    {
                        "unit": row["unit"],
                        "name": row["name"],
                        "what": "item",
                        "item": item["name"],
                        "before": was["points"],
                        "after": item["points"],
                    }
                )
    for code, old in before.items():
        changes.append({"unit": code, "name": old["name"], "what": "removed"})
    return changes


def summary_of(scores) -> list[dict]:
    """A run's scores in the shape ``differences`` compares."""
    return [
        {
            "unit": s.unit.code,
            "name": s.unit.short_name or s.unit.name,
            "total": str(s.total),
            "rank": s.rank,
            "vetoed": s.vetoed,
            "items": [
                {"item": i["item_id"], "name": i["name"], "points": i["points"]}
                for i in s.breakdown
            ],
        }
        for s in scores
    ]
