"""Importers for enterprises and liaison assignments (the shared imports framework).

The framework writes in bulk without ``save()``, so each row goes through the rules the form
applies: the USCC checked by its GB 32100 check character (the expected one named), the
contract for every unit the row names, and the model's own validation (an overlapping
assignment is refused as on the page).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError

from shouwei.core.models import Unit
from shouwei.core.permissions import ADD, units_allowed, visible_users, writable_units
from shouwei.imports import parsers
from shouwei.imports.base import UPDATE, CodeList, Column, Importer, Row, RowError, model_problems
from shouwei.imports.registry import register_importer

from . import uscc
from .choices import Scale
from .forms import EnterpriseForm
from .models import Enterprise, LiaisonAssignment

SCALE_WORDS = {str(label): value for value, label in Scale.choices}
YES_NO = {"是": True, "否": False}


def uscc_cell(raw: Any) -> str | None:
    """统一社会信用代码, normalised; a wrong one names what is wrong (the check character it
    should end with)."""
    if parsers.is_blank(raw):
        return None
    try:
        return uscc.validate_uscc(parsers.clean(raw))
    except ValidationError as exc:
        raise parsers.CellError(exc.messages[0]) from exc


def yes_no(raw: Any) -> bool | None:
    if parsers.is_blank(raw):
        return None
    text = parsers.clean(raw)
    if text not in YES_NO:
        raise parsers.CellError(f"“{text}”应为“是”或“否”")
    return YES_NO[text]


class UnitCodes:
    def __init__(self) -> None:
        self.units: dict[str, Unit | None] = {}

    def load(self, codes) -> None:
        wanted = {c for c in codes if c} - set(self.units)
        found = {u.code: u for u in Unit.objects.filter(code__in=wanted)}
        self.units.update({c: found.get(c) for c in wanted})

    def get(self, code: str | None, column: str) -> Unit | None:
        if not code:
            return None
        unit = self.units.get(code)
        if unit is None:
            raise RowError((column, f"单位“{code}”不存在"))
        return unit


def _unit_list(user, model, field) -> CodeList:
    units = writable_units(user, model, ADD, field).order_by("path")
    return CodeList(
        f"units-{field}", "单位", ("单位代码", "单位名称"), [(u.code, u.name) for u in units]
    )


class EnterpriseImporter(Importer):
    label = "企业名录"
    model = Enterprise
    help_text = "每行一家企业；统一社会信用代码已存在的行更新该企业（须为本部门服务的企业）。"
    columns = (
        Column(
            "uscc",
            "统一社会信用代码",
            parse=uscc_cell,
            required=True,
            help_text="18 位，按 GB 32100 校验；小写字母自动转为大写",
            example="91350100M000100Y43",
            width=22,
            as_text=True,
        ),
        Column("name", "企业名称", parse=parsers.text, required=True, width=30),
        Column("legal_representative", "法定代表人", parse=parsers.text),
        Column(
            "industry",
            "行业代码",
            parse=parsers.text,
            required=True,
            help_text="GB/T 4754 国民经济行业分类代码",
            example="C39",
        ),
        Column(
            "scale",
            "规模",
            parse=parsers.choice(SCALE_WORDS),
            required=True,
            choices=tuple(SCALE_WORDS),
            example="规上",
        ),
        Column("is_key", "重点企业", parse=yes_no, choices=tuple(YES_NO), example="是"),
        Column(
            "street",
            "所在街道代码",
            parse=parsers.code,
            choices="units-street",
            example="hy-gxq-hx",
        ),
        Column(
            "liaison_unit",
            "服务部门代码",
            parse=parsers.code,
            required=True,
            choices="units-liaison_unit",
            example="hy-gxq-cyfz",
            width=16,
        ),
        Column("address", "地址", parse=parsers.text, width=24),
        Column("contact_name", "联系人", parse=parsers.text),
        Column("contact_phone", "联系电话", parse=parsers.text, as_text=True),
    )
    update_fields = tuple(f for f in EnterpriseForm.Meta.fields if f != "uscc")

    def __init__(self) -> None:
        self._units = UnitCodes()
        self._existing: dict[str, Enterprise] = {}
        self._editable: set[int] = set()

    def code_lists(self, *, user):
        return [
            _unit_list(user, Enterprise, "street"),
            _unit_list(user, Enterprise, "liaison_unit"),
        ]

    def natural_key(self, values):
        return (values["uscc"],)

    def describe_key(self, key):
        return f"统一社会信用代码“{key[0]}”"

    def prepare(self, rows: list[Row], *, user) -> None:
        self._units.load(
            {r.values["street"] for r in rows} | {r.values["liaison_unit"] for r in rows}
        )
        codes = {r.values["uscc"] for r in rows}
        self._existing.update((e.uscc, e) for e in Enterprise.objects.filter(uscc__in=codes))
        self._editable |= set(
            Enterprise.objects.editable_by(user).filter(uscc__in=codes).values_list("pk", flat=True)
        )

    def resolve(self, row: Row, *, user) -> None:
        v = row.values
        fields = {
            "name": v["name"],
            "legal_representative": v["legal_representative"] or "",
            "industry": v["industry"],
            "scale": v["scale"],
            "is_key": bool(v["is_key"]),
            "street": self._units.get(v["street"], "street"),
            "liaison_unit": self._units.get(v["liaison_unit"], "liaison_unit"),
            "address": v["address"] or "",
            "contact_name": v["contact_name"] or "",
            "contact_phone": v["contact_phone"] or "",
        }
        existing = self._existing.get(v["uscc"])
        if existing is not None and existing.pk not in self._editable:
            raise RowError(("uscc", f"统一社会信用代码“{v['uscc']}”已存在，且您无权修改该企业"))
        record = existing or Enterprise(uscc=v["uscc"])
        for name, value in fields.items():
            setattr(record, name, value)
        if not units_allowed(user, Enterprise, ADD if existing is None else "change", record):
            raise RowError(("liaison_unit", "您无权把企业登记在该服务部门或街道"))
        problems = model_problems(record, exclude=("import_batch",))
        if problems:
            raise RowError(*problems)
        if existing is None:
            row.target = {"uscc": v["uscc"], **fields}
        else:
            row.target, row.action = existing, UPDATE

    def describe(self, instance: Enterprise) -> str:
        return f"{instance.name}（{instance.uscc}）"


class LiaisonAssignmentImporter(Importer):
    label = "联点安排"
    model = LiaisonAssignment
    help_text = "每行一名干部联点一家企业（统一社会信用代码）或一个重点项目（项目代码）。"
    columns = (
        Column("cadre", "干部登录名", parse=parsers.text, required=True, example="cadre001"),
        Column(
            "unit",
            "派出单位代码",
            parse=parsers.code,
            required=True,
            choices="units-unit",
            example="hy-gxq-cyfz",
        ),
        Column(
            "enterprise",
            "企业统一社会信用代码",
            parse=uscc_cell,
            width=22,
            as_text=True,
            help_text="与项目代码二选一",
        ),
        Column("project", "项目代码", parse=parsers.code, help_text="与企业二选一"),
        Column("starts_on", "开始日期", parse=parsers.day, required=True, example="2022-01-01"),
        Column("ends_on", "结束日期", parse=parsers.day, help_text="留空表示仍在联点"),
    )

    def __init__(self) -> None:
        self._units = UnitCodes()
        self._users: dict[str, Any] = {}
        self._enterprises: dict[str, Enterprise] = {}
        self._projects: dict[str, Any] = {}

    def code_lists(self, *, user):
        return [_unit_list(user, LiaisonAssignment, "unit")]

    def natural_key(self, values):
        return (values["cadre"], values["enterprise"], values["project"], values["starts_on"])

    def prepare(self, rows: list[Row], *, user) -> None:
        self._units.load({r.values["unit"] for r in rows})
        names = {r.values["cadre"] for r in rows}
        self._users.update((u.username, u) for u in visible_users(user).filter(username__in=names))
        codes = {r.values["enterprise"] for r in rows if r.values["enterprise"]}
        self._enterprises.update(
            (e.uscc, e) for e in Enterprise.objects.visible_to(user).filter(uscc__in=codes)
        )
        Project = apps.get_model("projects", "Project")
        projects = {r.values["project"] for r in rows if r.values["project"]}
        self._projects.update(
            (p.code, p) for p in Project.objects.visible_to(user).filter(code__in=projects)
        )

    def resolve(self, row: Row, *, user) -> None:
        v = row.values
        cadre = self._users.get(v["cadre"])
        if cadre is None:
            raise RowError(("cadre", f"干部“{v['cadre']}”不存在或您无权选择"))
        enterprise = project = None
        if v["enterprise"]:
            enterprise = self._enterprises.get(v["enterprise"])
            if enterprise is None:
                raise RowError(("enterprise", f"企业“{v['enterprise']}”不存在或您无权访问"))
        if v["project"]:
            project = self._projects.get(v["project"])
            if project is None:
                raise RowError(("project", f"项目代码“{v['project']}”不存在或您无权访问"))
        record = LiaisonAssignment(
            cadre=cadre,
            unit=self._units.get(v["unit"], "unit"),
            enterprise=enterprise,
            project=project,
            starts_on=v["starts_on"],
            ends_on=v["ends_on"],
        )
        if not units_allowed(user, LiaisonAssignment, ADD, record):
            raise RowError(("unit", "您无权为该单位安排联点"))
        problems = model_problems(record, exclude=("import_batch",))
        if problems:
            raise RowError(*problems)
        row.target = {
            "cadre_id": cadre.pk,
            "unit_id": record.unit_id,
            "enterprise_id": enterprise.pk if enterprise else None,
            "project_id": project.pk if project else None,
            "starts_on": v["starts_on"],
            "ends_on": v["ends_on"],
        }

    def describe(self, instance: LiaisonAssignment) -> str:
        return str(instance)


register_importer("enterprises", EnterpriseImporter)
register_importer("enterprise-assignments", LiaisonAssignmentImporter)
