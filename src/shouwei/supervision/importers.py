"""Importers for goals and milestones (the shared imports framework).

The framework writes in bulk without ``save()``, so each row goes through the rules the pages
apply: the write contract for every unit it names (``allows`` on the record as it would be
stored) and the model's own validation (``model_problems``: a milestone due after its goal's
year is refused here as on the form).
"""

from __future__ import annotations

from shouwei.core.models import Unit
from shouwei.core.permissions import ADD, CHANGE, allows, writable_units
from shouwei.imports import parsers
from shouwei.imports.base import UPDATE, CodeList, Column, Importer, RowError, model_problems
from shouwei.imports.registry import register_importer
from shouwei.indicators.models import Target

from .models import Goal, Milestone

WEIGHT = parsers.decimal(max_digits=5, decimal_places=2)


def unit_column(key: str, header: str, example: str) -> Column:
    return Column(
        key,
        header,
        parse=parsers.code,
        required=True,
        choices="units",
        help_text="单位代码，见“代码表”",
        example=example,
    )


def _units_list(user, model, field: str) -> CodeList:
    units = writable_units(user, model, ADD, field).order_by("path")
    return CodeList("units", "单位", ("代码", "名称"), [(u.code, u.name) for u in units])


def _goal_fields(values: dict, unit: Unit, target: Target | None) -> dict:
    return {
        "unit": unit,
        "year": values["year"],
        "code": values["code"],
        "title": values["title"],
        "source": values["source"],
        "responsible_leader": values["responsible_leader"],
        "target": target,
        "description": values["description"] or "",
    }


class GoalImporter(Importer):
    label = "督查目标"
    model = Goal
    help_text = "每行一个目标；同一单位、年度、目标编号已有的目标被更新。对应指标目标填目标名称。"
    columns = (
        unit_column("unit", "单位代码", "hy-gxq"),
        Column("year", "年度", parse=parsers.positive_int, required=True, example="2022"),
        Column("code", "目标编号", parse=parsers.code, required=True, example="g01"),
        Column("title", "目标", parse=parsers.text, required=True, width=30),
        Column(
            "source",
            "来源",
            parse=parsers.text,
            required=True,
            width=30,
            example="7月29日上半年经济形势分析暨下半年经济工作部署会",
        ),
        Column("responsible_leader", "责任领导", parse=parsers.text, required=True),
        Column("target", "对应指标目标", parse=parsers.text, width=24),
        Column("description", "说明", parse=parsers.text, width=30),
    )
    update_fields = ("title", "source", "responsible_leader", "target", "description")
    select_related = ("unit",)

    def __init__(self) -> None:
        self._units: dict[str, Unit] = {}
        self._existing: dict[tuple[int, int, str], Goal] = {}

    def code_lists(self, *, user):
        return [_units_list(user, Goal, "unit")]

    def natural_key(self, values):
        return (values["unit"], values["year"], values["code"])

    def describe_key(self, key):
        return f"单位“{key[0]}”、{key[1]}年、目标编号“{key[2]}”"

    def prepare(self, rows, *, user):
        codes = {r.values["unit"] for r in rows}
        self._units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        for goal in Goal.objects.filter(unit__code__in=codes):
            self._existing[(goal.unit_id, goal.year, goal.code)] = goal

    def resolve(self, row, *, user):
        v = row.values
        unit = self._units.get(v["unit"])
        if unit is None:
            raise RowError(("unit", f"单位代码“{v['unit']}”不存在"))
        target = None
        if v["target"]:
            target = Target.objects.filter(unit=unit, year=v["year"], name=v["target"]).first()
            if target is None:
                raise RowError(("target", f"{v['year']}年没有名为“{v['target']}”的指标目标"))
        existing = self._existing.get((unit.pk, v["year"], v["code"]))
        fields = _goal_fields(v, unit, target)
        goal = existing or Goal()
        for name, value in fields.items():
            setattr(goal, name, value)
        if not allows(user, CHANGE if existing else ADD, goal):
            raise RowError(("unit", f"您无权在“{unit.name}”登记或修改督查目标"))
        problems = model_problems(goal)
        if problems:
            raise RowError(*problems)
        if existing is None:
            row.target = {k: v for k, v in fields.items()}
            return
        row.target, row.action = existing, UPDATE

    def describe(self, instance):
        return f"{instance.year} {instance.code} {instance.title}"


class MilestoneImporter(Importer):
    label = "督查节点（路线图·时间表）"
    model = Milestone
    help_text = (
        "每行一个节点；目标用单位代码、年度和目标编号指代，同一目标下同名的节点被更新。"
        "完成时限不能晚于目标年度。"
    )
    columns = (
        unit_column("unit", "目标所属单位代码", "hy-gxq"),
        Column("year", "年度", parse=parsers.positive_int, required=True, example="2022"),
        Column("goal", "目标编号", parse=parsers.code, required=True, example="g09"),
        Column("title", "节点", parse=parsers.text, required=True, width=30),
        Column("deliverable", "交付成果", parse=parsers.text, required=True, width=24),
        Column("due", "完成时限", parse=parsers.day, required=True, example="2022-08-31"),
        Column("weight", "权重", parse=WEIGHT, example="1"),
        unit_column("lead_unit", "责任部门代码", "hy-zbq"),
    )
    update_fields = ("deliverable", "due", "weight", "lead_unit")
    select_related = ("goal",)

    def __init__(self) -> None:
        self._units: dict[str, Unit] = {}
        self._goals: dict[tuple[str, int, str], Goal] = {}
        self._existing: dict[tuple[int, str], Milestone] = {}

    def code_lists(self, *, user):
        units = Unit.objects.order_by("path")
        return [CodeList("units", "单位", ("代码", "名称"), [(u.code, u.name) for u in units])]

    def natural_key(self, values):
        return (values["unit"], values["year"], values["goal"], values["title"])

    def describe_key(self, key):
        return f"目标“{key[0]} {key[1]} {key[2]}”的节点“{key[3]}”"

    def prepare(self, rows, *, user):
        codes = {r.values["unit"] for r in rows} | {r.values["lead_unit"] for r in rows}
        self._units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        goals = Goal.objects.visible_to(user).select_related("unit").filter(unit__code__in=codes)
        self._goals = {(g.unit.code, g.year, g.code): g for g in goals}
        for m in Milestone.objects.filter(goal__in=list(self._goals.values())):
            self._existing[(m.goal_id, m.title)] = m

    def resolve(self, row, *, user):
        v = row.values
        goal = self._goals.get((v["unit"], v["year"], v["goal"]))
        if goal is None:
            raise RowError(("goal", f"没有单位“{v['unit']}”{v['year']}年编号“{v['goal']}”的目标"))
        lead = self._units.get(v["lead_unit"])
        if lead is None:
            raise RowError(("lead_unit", f"单位代码“{v['lead_unit']}”不存在"))
        existing = self._existing.get((goal.pk, v["title"]))
        m = existing or Milestone(goal=goal, title=v["title"])
        m.deliverable, m.due, m.lead_unit = v["deliverable"], v["due"], lead
        if v["weight"] is not None:
            m.weight = v["weight"]
        if not allows(user, CHANGE if existing else ADD, m):
            raise RowError(("lead_unit", "您无权为该目标或该责任部门登记节点"))
        problems = model_problems(m)
        if problems:
            raise RowError(*problems)
        if existing is None:
            row.target = {
                "goal": goal,
                "title": m.title,
                "deliverable": m.deliverable,
                "due": m.due,
                "weight": m.weight,
                "lead_unit": lead,
            }
            return
        row.target, row.action = existing, UPDATE

    def describe(self, instance):
        return f"{instance.goal.code} {instance.title}"


register_importer("supervision-goals", GoalImporter)
register_importer("supervision-milestones", MilestoneImporter)
