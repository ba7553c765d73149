"""Importers for projects, annual plans and monthly progress (the shared imports framework).

The framework writes in bulk without ``save()``, so each importer applies the same rules as
the forms and ``services``: writable department, non-negative money, and for progress the
month-before checks of ``services.check_progress`` (against the database and earlier rows of
the same file).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shouwei.core.models import Unit
from shouwei.core.periods import Period
from shouwei.core.permissions import ADD, can_create, writable_units
from shouwei.imports import parsers
from shouwei.imports.base import (
    UPDATE,
    CodeList,
    Column,
    Importer,
    Row,
    RowError,
    model_problems,
)
from shouwei.imports.registry import register_importer

from . import services
from .choices import FundingKind, LandStatus, ProcedureKind, ProjectLevel, Stage
from .forms import ProjectForm
from .models import (
    AnnualPlan,
    FundingSource,
    Procedure,
    ProgressReport,
    Project,
    RollingPlan,
    Stoppage,
)

MONEY = parsers.decimal(max_digits=12, decimal_places=2)
LEVEL_WORDS = {str(label): value for value, label in ProjectLevel.choices}
STAGE_WORDS = {str(label): value for value, label in Stage.choices}
LAND_WORDS = {str(label): value for value, label in LandStatus.choices}
YES_NO = {"是": "1", "否": ""}


def _money(v: dict, *keys: str) -> list[tuple[str, str]]:
    return [(k, "投资额不能为负数") for k in keys if v.get(k) is not None and v[k] < 0]


def project_column() -> Column:
    return Column(
        "project",
        "项目代码",
        parse=parsers.code,
        required=True,
        choices="projects",
        help_text="已登记项目的代码，见“代码表”",
        format="代码表中的项目代码",
        example="gxq-shi-001",
        width=16,
    )


class ProjectCodes:
    """Projects the rows name, and which of them the user may change (one query per chunk)."""

    def __init__(self) -> None:
        self.projects: dict[str, Project | None] = {}
        self.visible: set[int] = set()
        self.editable: set[int] = set()

    def load(self, codes: set[str], *, user) -> None:
        wanted = {c for c in codes if c and c not in self.projects}
        if not wanted:
            return
        found = {
            p.code: p
            for p in Project.objects.select_related("responsible_unit").filter(code__in=wanted)
        }
        for c in wanted:
            self.projects[c] = found.get(c)
        self.visible |= set(
            Project.objects.visible_to(user).filter(code__in=wanted).values_list("pk", flat=True)
        )
        self.editable |= set(
            Project.objects.editable_by(user).filter(code__in=wanted).values_list("pk", flat=True)
        )

    def writable(self, code: str) -> Project:
        project = self.projects.get(code)
        if project is None or project.pk not in self.visible:
            # A project the user may not see is not named: its name is another unit's data.
            raise RowError(("project", f"项目代码“{code}”不存在或您无权访问"))
        if project.pk not in self.editable:
            raise RowError(("project", f"您无权修改项目“{project.name}（{code}）”"))
        return project

    def code_list(self, *, user) -> CodeList:
        return CodeList(
            "projects",
            "项目",
            ("项目代码", "项目名称", "责任部门"),
            [
                (p.code, p.name, p.responsible_unit.name)
                for p in Project.objects.editable_by(user).select_related("responsible_unit")
            ],
        )


class ProjectImporter(Importer):
    label = "重点项目"
    model = Project
    help_text = (
        "每行一个项目；项目代码已存在的行更新该项目（须为本部门负责的项目）。金额单位：亿元。"
    )
    columns = (
        Column("code", "项目代码", parse=parsers.code, required=True, example="gxq-shi-048"),
        Column(
            "name", "项目名称", parse=parsers.text, required=True, example="某某产业园", width=30
        ),
        Column(
            "level",
            "级别",
            parse=parsers.choice(LEVEL_WORDS),
            required=True,
            choices=tuple(LEVEL_WORDS),
            example="市重点",
        ),
        Column(
            "industry",
            "行业代码",
            parse=parsers.text,
            required=True,
            help_text="GB/T 4754 国民经济行业分类代码",
            example="C39",
        ),
        Column("industry_chain", "产业链", parse=parsers.text, example="电子信息"),
        Column("total_investment", "总投资（亿元）", parse=MONEY, required=True, example="12.5"),
        Column("owner_enterprise", "业主单位", parse=parsers.text, width=24),
        Column(
            "responsible_unit",
            "责任部门代码",
            parse=parsers.code,
            required=True,
            choices="units",
            example="hy-gxq-cyfz",
            width=16,
        ),
        Column("responsible_leader", "责任领导", parse=parsers.text),
        Column("location", "建设地点", parse=parsers.text, width=20),
        Column("start_date", "开工日期", parse=parsers.day, required=True, example="2022-03-10"),
        Column("planned_completion_date", "计划竣工日期", parse=parsers.day, example="2024-12-31"),
        Column(
            "land_area_mu",
            "用地面积（亩）",
            parse=parsers.decimal(max_digits=10, decimal_places=2),
            example="120",
        ),
        Column(
            "land_status",
            "供地情况",
            parse=parsers.choice(LAND_WORDS),
            choices=tuple(LAND_WORDS),
            example="已供地",
        ),
    )
    # What the project form edits, less the key, the liaison (a user, chosen on the page) and
    # the stage (progress reports set it).
    update_fields = tuple(
        f for f in ProjectForm.Meta.fields if f not in ("code", "liaison", "stage")
    )

    def __init__(self) -> None:
        self._units: dict[str, Unit | None] = {}
        self._codes = ProjectCodes()

    def code_lists(self, *, user) -> list[CodeList]:
        units = writable_units(user, Project, ADD, "responsible_unit").order_by("path")
        return [
            CodeList("units", "单位", ("单位代码", "单位名称"), [(u.code, u.name) for u in units])
        ]

    def natural_key(self, values):
        return (values["code"],)

    def describe_key(self, key):
        return f"项目代码“{key[0]}”"

    def prepare(self, rows: list[Row], *, user) -> None:
        wanted = {r.values["responsible_unit"] for r in rows} - set(self._units)
        found = {u.code: u for u in Unit.objects.filter(code__in=wanted)}
        self._units.update({c: found.get(c) for c in wanted})
        self._codes.load({r.values["code"] for r in rows}, user=user)

    def resolve(self, row: Row, *, user) -> None:
        v = row.values
        problems = []
        unit = self._units.get(v["responsible_unit"])
        if unit is None:
            problems.append(("responsible_unit", f"单位“{v['responsible_unit']}”不存在"))
        elif not can_create(user, Project, unit):
            problems.append(("responsible_unit", f"您无权为“{unit.name}”登记项目"))
        fields = {k: v[k] if v[k] is not None else "" for k in self.update_fields}
        fields["responsible_unit"] = unit
        fields["planned_completion_date"] = v["planned_completion_date"]
        fields["land_area_mu"] = v["land_area_mu"]
        # The project's own rules (GB/T 4754 code, non-negative investment, completion after
        # start), as the form applies them.
        problems += model_problems(Project(code=v["code"], **fields))
        if problems:
            raise RowError(*problems)
        existing = self._codes.projects.get(v["code"])
        if existing is None:
            row.target = {"code": v["code"], **fields}
            return
        if existing.pk not in self._codes.editable:
            raise RowError(("code", f"项目代码“{v['code']}”已存在，且您无权修改该项目"))
        for name, value in fields.items():
            setattr(existing, name, value)
        row.target, row.action = existing, UPDATE

    def describe(self, instance: Project) -> str:
        return instance.code


class AnnualPlanImporter(Importer):
    label = "重点项目年度计划"
    model = AnnualPlan
    help_text = "每行一个项目一个年度的计划投资（亿元）；已有的计划被更新。"
    columns = (
        project_column(),
        Column("year", "年度", parse=parsers.positive_int, required=True, example="2022"),
        Column(
            "planned_investment", "年度计划投资（亿元）", parse=MONEY, required=True, example="5"
        ),
        Column("planned_milestones", "年度形象进度目标", parse=parsers.text, width=30),
    )
    update_fields = ("planned_investment", "planned_milestones")
    select_related = ("project",)

    def __init__(self) -> None:
        self._codes = ProjectCodes()
        self._existing: dict[tuple[int, int], AnnualPlan] = {}

    def code_lists(self, *, user):
        return [self._codes.code_list(user=user)]

    def natural_key(self, values):
        return (values["project"], values["year"])

    def describe_key(self, key):
        return f"项目“{key[0]}”、年度{key[1]}"

    def prepare(self, rows, *, user):
        self._codes.load({r.values["project"] for r in rows}, user=user)
        ids = [p.pk for p in self._codes.projects.values() if p is not None]
        for plan in AnnualPlan.objects.filter(project_id__in=ids):
            self._existing[(plan.project_id, plan.year)] = plan

    def resolve(self, row, *, user):
        v = row.values
        problems = _money(v, "planned_investment")
        if not 1900 <= v["year"] <= 2200:
            problems.append(("year", "年度应在 1900—2200 之间"))
        if problems:
            raise RowError(*problems)
        project = self._codes.writable(v["project"])
        existing = self._existing.get((project.pk, v["year"]))
        if existing is None:
            row.target = {
                "project_id": project.pk,
                "year": v["year"],
                "planned_investment": v["planned_investment"],
                "planned_milestones": v["planned_milestones"] or "",
            }
            return
        existing.planned_investment = v["planned_investment"]
        existing.planned_milestones = v["planned_milestones"] or existing.planned_milestones
        row.target, row.action = existing, UPDATE

    def describe(self, instance):
        return f"{instance.project.code} / {instance.year}"


class ProgressImporter(Importer):
    label = "重点项目月度进度"
    model = ProgressReport
    help_text = (
        "每行一个项目一个月的进度（亿元）。年初至今累计不得低于上月（确需调减填“更正”为是并说明"
        "原因），阶段比上月后退须说明原因，不能填报开工月份之前的月份。"
    )
    columns = (
        project_column(),
        Column(
            "period", "月份", parse=parsers.period, required=True, example="2022-06", as_text=True
        ),
        Column("invested_this_month", "当月完成投资（亿元）", parse=MONEY, required=True),
        Column("invested_ytd", "年初至今完成投资（亿元）", parse=MONEY, required=True),
        Column(
            "stage",
            "阶段",
            parse=parsers.choice(STAGE_WORDS),
            required=True,
            choices=tuple(STAGE_WORDS),
            example="在建",
        ),
        Column("entered_statistics_on", "入库日期", parse=parsers.day, help_text="未入库留空"),
        Column("narrative", "进展情况", parse=parsers.text, width=30),
        Column("stage_change_reason", "阶段回退原因", parse=parsers.text, width=20),
        Column("is_correction", "更正", parse=parsers.choice(YES_NO), choices=tuple(YES_NO)),
        Column("correction_reason", "更正原因", parse=parsers.text, width=20),
    )
    update_fields = (
        "invested_this_month",
        "invested_ytd",
        "stage",
        "entered_statistics_on",
        "narrative",
        "stage_change_reason",
        "is_correction",
        "correction_reason",
        "entered_by",
    )
    select_related = ("project",)

    def __init__(self) -> None:
        self._codes = ProjectCodes()
        # project pk → {period: (ytd, stage)}, from the database and then from earlier rows.
        self._months: dict[int, dict[str, tuple]] = {}
        self._existing: dict[tuple[int, str], ProgressReport] = {}

    def code_lists(self, *, user):
        return [self._codes.code_list(user=user)]

    def natural_key(self, values):
        return (values["project"], values["period"])

    def describe_key(self, key):
        return f"项目“{key[0]}”、月份{key[1]}"

    def prepare(self, rows, *, user):
        self._codes.load({r.values["project"] for r in rows}, user=user)
        ids = [
            p.pk
            for p in self._codes.projects.values()
            if p is not None and p.pk not in self._months
        ]
        for pk in ids:
            self._months[pk] = {}
        for report in ProgressReport.objects.filter(project_id__in=ids):
            self._months[report.project_id][report.period] = (report.invested_ytd, report.stage)
            self._existing[(report.project_id, report.period)] = report

    def resolve(self, row, *, user):
        v = row.values
        if Period.parse(v["period"]).kind != "month":
            raise RowError(("period", f"“{v['period']}”不是月份，应写成 2022-06"))
        project = self._codes.writable(v["project"])
        months = self._months.setdefault(project.pk, {})
        earlier = [p for p in months if p < v["period"]]
        previous = None
        if earlier:
            last = max(earlier)
            previous = services.Previous(last, *months[last])
        errors = services.check_progress(
            project=project,
            period=v["period"],
            invested_this_month=v["invested_this_month"],
            invested_ytd=v["invested_ytd"],
            stage=v["stage"],
            stage_change_reason=v["stage_change_reason"] or "",
            is_correction=bool(v["is_correction"]),
            correction_reason=v["correction_reason"] or "",
            previous=previous,
        )
        if errors:
            raise RowError(*errors.items())
        months[v["period"]] = (v["invested_ytd"], v["stage"])
        fields = {k: v[k] if v[k] is not None else "" for k in self.update_fields[:-1]}
        fields["entered_statistics_on"] = v["entered_statistics_on"]
        fields["is_correction"] = bool(v["is_correction"])
        fields["entered_by"] = user
        existing = self._existing.get((project.pk, v["period"]))
        if existing is None:
            row.target = {"project_id": project.pk, "period": v["period"], **fields}
            return
        for name, value in fields.items():
            setattr(existing, name, value)
        row.target, row.action = existing, UPDATE

    def write_rows(self, rows, *, batch, user):
        result = super().write_rows(rows, batch=batch, user=user)
        # Bulk writes skip progress_save: do its upkeep (report chain, current stage) here.
        ids = {r.target.project_id if r.action == UPDATE else r.target["project_id"] for r in rows}
        added = [r.target["period"] for r in rows if r.action != UPDATE]
        services.progress_written(ids, since=min(added, default=None))
        return result

    def rollback(self, *, batch, user):
        # Every month the batch touched: rows it created go, rows it updated come back as they
        # were before it; the chain of each project touched is recomputed from there.
        written = set(
            ProgressReport.history.filter(import_batch_id=batch.pk).values_list(
                "project_id", "period"
            )
        )
        result = super().rollback(batch=batch, user=user)
        services.progress_written(
            {pk for pk, _period in written}, since=min((p for _pk, p in written), default=None)
        )
        return result

    def describe(self, instance):
        return f"{instance.project.code} / {instance.period}"


register_importer("projects", ProjectImporter)
register_importer("project-plans", AnnualPlanImporter)
register_importer("project-progress", ProgressImporter)


# --- issue 15: 前期手续, 资金来源, 滚动计划 ------------------------------------------------------
PROCEDURE_WORDS = {str(label): value for value, label in ProcedureKind.choices}
FUNDING_WORDS = {str(label): value for value, label in FundingKind.choices}


class _ProjectChildImporter(Importer):
    """A record per project and key, written with the model's own rules (``model_problems``)."""

    key_fields: tuple[str, ...] = ()
    select_related = ("project",)

    def __init__(self) -> None:
        self._codes = ProjectCodes()
        self._existing: dict[tuple, Any] = {}

    def code_lists(self, *, user):
        return [self._codes.code_list(user=user)]

    def natural_key(self, values):
        return (values["project"], *(values[k] or "" for k in self.key_fields))

    def prepare(self, rows, *, user):
        self._codes.load({r.values["project"] for r in rows}, user=user)
        ids = [p.pk for p in self._codes.projects.values() if p is not None]
        for item in self.model.objects.filter(project_id__in=ids):
            self._existing[(item.project_id, *(getattr(item, k) for k in self.key_fields))] = item

    def fields(self, v: dict) -> dict:
        return {c.key: v[c.key] for c in self.columns if c.key != "project"}

    def check(self, instance, *, row) -> list:
        """Rules beyond the model's own (none by default)."""
        return []

    def resolve(self, row, *, user):
        v = row.values
        project = self._codes.writable(v["project"])
        fields = self.fields(v)
        key = (project.pk, *(fields[k] for k in self.key_fields))
        existing = self._existing.get(key)
        instance = existing or self.model(project=project)
        for name, value in fields.items():
            setattr(instance, name, value)
        instance.project = project
        problems = model_problems(instance) + self.check(instance, row=row)
        if problems:
            raise RowError(*problems)
        if existing is None:
            row.target = {"project_id": project.pk, **fields}
        else:
            row.target, row.action = existing, UPDATE


def _text(v, name):
    return v[name] or ""


class ProcedureImporter(_ProjectChildImporter):
    label = "重点项目前期手续"
    model = Procedure
    help_text = (
        "每行一个项目的一项前期手续；已有的同一手续被更新。施工许可不得早于规划许可等前置手续，"
        "确需如此请填写顺序说明。"
    )
    columns = (
        project_column(),
        Column(
            "kind",
            "手续",
            parse=parsers.choice(PROCEDURE_WORDS),
            required=True,
            choices=tuple(PROCEDURE_WORDS),
            example="规划许可",
        ),
        Column("name", "手续名称", parse=parsers.text, help_text="手续为“其他”时必填"),
        Column("planned_on", "计划办结日期", parse=parsers.day, example="2022-06-30"),
        Column("done_on", "实际办结日期", parse=parsers.day, example="2022-06-20"),
        Column("approving_office", "审批部门", parse=parsers.text, example="市自然资源和规划局"),
        Column("document_no", "批复文号", parse=parsers.text),
        Column("order_note", "顺序说明", parse=parsers.text, width=30),
    )
    key_fields = ("kind", "name")
    update_fields = (
        "name",
        "planned_on",
        "done_on",
        "approving_office",
        "document_no",
        "order_note",
    )

    def __init__(self) -> None:
        super().__init__()
        self._done: dict[int, dict[str, date]] = {}

    def fields(self, v):
        out = super().fields(v)
        for name in ("name", "approving_office", "document_no", "order_note"):
            out[name] = _text(v, name)
        if out["kind"] != ProcedureKind.CUSTOM:
            out["name"] = ""
        return out

    def prepare(self, rows, *, user):
        super().prepare(rows, user=user)
        for item in self._existing.values():
            if item.done_on and item.kind != ProcedureKind.CUSTOM:
                self._done.setdefault(item.project_id, {})[item.kind] = item.done_on

    def check(self, instance, *, row):
        # Against the database and the file's earlier rows alike.
        done = self._done.setdefault(instance.project.pk, {})
        others = {k: d for k, d in done.items() if k != instance.kind}
        problem = services.order_problem(
            kind=instance.kind, done_on=instance.done_on, others=others
        )
        if instance.done_on and instance.kind != ProcedureKind.CUSTOM:
            done[instance.kind] = instance.done_on
        if problem and not instance.order_note.strip():
            return [("done_on", problem + "；如确实如此，请填写顺序说明")]
        return []

    def describe(self, instance):
        return f"{instance.project.code} / {instance.label}"


class FundingImporter(_ProjectChildImporter):
    label = "重点项目资金来源"
    model = FundingSource
    help_text = (
        "每行一个项目一个年度的一种资金来源（亿元）；已有的被更新。专项债券可填申报、批准、发行、"
        "拨付、支出的金额和日期，支出不得超过发行。"
    )
    columns = (
        project_column(),
        Column("year", "年度", parse=parsers.positive_int, required=True, example="2022"),
        Column(
            "kind",
            "资金来源",
            parse=parsers.choice(FUNDING_WORDS),
            required=True,
            choices=tuple(FUNDING_WORDS),
            example="专项债券",
        ),
        Column("amount", "本年安排（亿元）", parse=MONEY, required=True, example="3"),
        *(
            col
            for stage, label in (
                ("applied", "申报"),
                ("approved", "批准"),
                ("issued", "发行"),
                ("disbursed", "拨付"),
                ("spent", "支出"),
            )
            for col in (
                Column(f"{stage}_amount", f"{label}金额（亿元）", parse=MONEY),
                Column(f"{stage}_on", f"{label}日期", parse=parsers.day),
            )
        ),
        Column("note", "说明", parse=parsers.text, width=24),
    )
    key_fields = ("year", "kind")

    @property
    def update_fields(self):
        return tuple(c.key for c in self.columns if c.key not in ("project", "year", "kind"))

    def fields(self, v):
        out = super().fields(v)
        out["note"] = _text(v, "note")
        return out

    def describe(self, instance):
        return f"{instance.project.code} / {instance.year} / {instance.get_kind_display()}"


class RollingPlanImporter(_ProjectChildImporter):
    label = "重点项目滚动投资计划"
    model = RollingPlan
    help_text = (
        "每行一个项目一个编制年度的三年滚动计划（亿元）；已有的被更新，往年的保留。"
        "当年计划与年度计划不一致时须填写说明。"
    )
    columns = (
        project_column(),
        Column("base_year", "编制年度", parse=parsers.positive_int, required=True, example="2022"),
        Column("year1", "当年计划（亿元）", parse=MONEY, required=True, example="5"),
        Column("year2", "次年计划（亿元）", parse=MONEY, required=True, example="6"),
        Column("year3", "第三年计划（亿元）", parse=MONEY, required=True, example="4"),
        Column("note", "说明", parse=parsers.text, width=30),
    )
    key_fields = ("base_year",)
    update_fields = ("year1", "year2", "year3", "note")

    def prepare(self, rows, *, user):
        super().prepare(rows, user=user)
        ids = [p.pk for p in self._codes.projects.values() if p is not None]
        self._annual = {
            (pk, year): amount
            for pk, year, amount in AnnualPlan.objects.filter(project_id__in=ids).values_list(
                "project_id", "year", "planned_investment"
            )
        }

    def fields(self, v):
        out = super().fields(v)
        out["note"] = _text(v, "note")
        return out

    def check(self, instance, *, row):
        from django.core.exceptions import ValidationError

        try:
            services.check_rolling_plan(
                instance, annual=self._annual.get((instance.project.pk, instance.base_year))
            )
        except ValidationError as exc:
            return [(f, m) for f, ms in exc.message_dict.items() for m in ms]
        return []

    def describe(self, instance):
        return f"{instance.project.code} / {instance.base_year}"


register_importer("project-procedures", ProcedureImporter)
register_importer("project-funding", FundingImporter)
register_importer("project-rolling-plans", RollingPlanImporter)


# --- 停工/复工 ---------------------------------------------------------------------------------
class StoppageImporter(Importer):
    label = "重点项目停工复工"
    model = Stoppage
    help_text = (
        "每行一个项目的一次停工（项目代码与停工日期相同的行更新该次停工，如登记复工）。"
        "一个项目同时只能有一次未复工的停工；复工日期不得早于停工日期。"
    )
    columns = (
        project_column(),
        Column("stopped_on", "停工日期", parse=parsers.day, required=True, example="2022-05-06"),
        Column(
            "reason",
            "停工原因",
            parse=parsers.text,
            required=True,
            example="征拆纠纷未解决",
            width=30,
        ),
        Column("resumed_on", "复工日期", parse=parsers.day, help_text="尚未复工留空"),
        Column("resume_note", "复工情况", parse=parsers.text, width=30),
    )
    update_fields = ("reason", "resumed_on", "resume_note")
    select_related = ("project",)

    def __init__(self) -> None:
        self._codes = ProjectCodes()
        self._existing: dict[tuple[int, date], Stoppage] = {}
        # project pk → the stop date of its open stoppage, from the database and then from
        # the file's earlier rows (the model allows one open stoppage per project).
        self._open: dict[int, date] = {}

    def code_lists(self, *, user):
        return [self._codes.code_list(user=user)]

    def natural_key(self, values):
        return (values["project"], values["stopped_on"])

    def describe_key(self, key):
        return f"项目“{key[0]}”、停工日期{key[1]:%Y-%m-%d}"

    def prepare(self, rows, *, user):
        self._codes.load({r.values["project"] for r in rows}, user=user)
        ids = [p.pk for p in self._codes.projects.values() if p is not None]
        for item in Stoppage.objects.filter(project_id__in=ids):
            self._existing[(item.project_id, item.stopped_on)] = item
            if item.resumed_on is None:
                self._open.setdefault(item.project_id, item.stopped_on)

    def resolve(self, row, *, user):
        v = row.values
        project = self._codes.writable(v["project"])
        fields = {
            "stopped_on": v["stopped_on"],
            "reason": v["reason"] or "",
            "resumed_on": v["resumed_on"],
            "resume_note": v["resume_note"] or "",
        }
        existing = self._existing.get((project.pk, v["stopped_on"]))
        instance = existing or Stoppage(project=project)
        for name, value in fields.items():
            setattr(instance, name, value)
        problems = model_problems(instance)
        still_open = self._open.get(project.pk)
        if v["resumed_on"] is None and still_open not in (None, v["stopped_on"]):
            problems.append(
                (
                    "resumed_on",
                    f"该项目已有未复工的停工（停工日期 {still_open:%Y-%m-%d}），"
                    "请先登记该次停工的复工日期",
                )
            )
        if problems:
            raise RowError(*problems)
        if v["resumed_on"] is None:
            self._open[project.pk] = v["stopped_on"]
        elif still_open == v["stopped_on"]:
            del self._open[project.pk]
        if existing is None:
            row.target = {"project_id": project.pk, **fields}
        else:
            row.target, row.action = existing, UPDATE

    def describe(self, instance):
        return f"{instance.project.code} / {instance.stopped_on:%Y-%m-%d}"


register_importer("project-stoppages", StoppageImporter)
