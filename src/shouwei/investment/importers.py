"""The leads and contracts importers (the shared imports framework).

The framework writes in bulk without ``save()``, so each row goes through the rules the lead
form and ``services.lead_create`` apply: the department the user may file for, the model's own
validation (GB/T 4754 code, channel and its source, non-negative amounts), known chain links,
events, offices, agencies and 500强 entries, and duplicate detection against the leads already
entered (naming the lead a row resembles). Imported leads start at 线索, as typed ones do.

The contracts importer updates the contracts of signed leads (signing itself stays on the
board, with its admission review): the rules of ``services.contract_update`` (signed amount
and date required, no date in the future, funds in place above the signed amount need a note,
only the lead's own department writes), and the actual milestone dates move the lead on, as
moving it on the board would (never back: that needs the board and a reason).
"""

from __future__ import annotations

import re
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from shouwei.core import clock
from shouwei.core.models import Unit
from shouwei.core.permissions import ADD, CHANGE, can_create, may, writable_units
from shouwei.imports import parsers
from shouwei.imports.base import (
    CREATE,
    UPDATE,
    CodeList,
    Column,
    Importer,
    Row,
    RowError,
    WriteResult,
    model_problems,
)
from shouwei.imports.registry import register_importer

from . import services
from .choices import FortuneClass, LeadChannel, LeadStage
from .models import Agency, ChainLink, Contract, Event, FortuneListEntry, Lead, LeadStep, Office

WAN = parsers.decimal(max_digits=14, decimal_places=2)
MU = parsers.decimal(max_digits=10, decimal_places=2)
CHANNEL_WORDS = {str(label): value for value, label in LeadChannel.choices}
FORTUNE_WORDS = {str(label): value for value, label in FortuneClass.choices}
YES_NO = {"是": "1", "否": ""}
_LINK = re.compile(r"\s*[·/\-—>→]\s*")


class LeadImporter(Importer):
    label = "招商线索"
    model = Lead
    help_text = (
        "每行一条新线索，导入后处于“线索”阶段。金额单位：万元，用地单位：亩。投资方和项目名称"
        "都相同的线索不能重复导入；投资方相同或项目名称相近的，须在“确认不是重复”填“是”。"
    )
    columns = (
        Column(
            "project_name",
            "项目名称",
            parse=parsers.text,
            required=True,
            width=30,
            example="智能终端产业园项目",
        ),
        Column("short_name", "简称", parse=parsers.text),
        Column(
            "investor",
            "投资方",
            parse=parsers.text,
            required=True,
            width=24,
            example="某某科技有限公司",
        ),
        Column("investor_hq", "投资方总部所在地", parse=parsers.text, example="广东深圳"),
        Column(
            "channel",
            "招商渠道",
            parse=parsers.choice(CHANNEL_WORDS),
            required=True,
            choices=tuple(CHANNEL_WORDS),
            example="以商招商",
            width=20,
        ),
        Column(
            "industry",
            "行业代码",
            parse=parsers.text,
            required=True,
            help_text="GB/T 4754 国民经济行业分类代码",
            example="C39",
        ),
        Column(
            "chain_link",
            "产业链环节",
            parse=parsers.text,
            choices="links",
            help_text="产业链·环节，见“代码表”",
            example="电子信息·模组",
            width=18,
        ),
        Column("planned_investment", "计划投资（万元）", parse=WAN, required=True, example="30000"),
        Column("land_mu", "用地（亩）", parse=MU, example="100"),
        Column("expected_output", "预计年产值（万元）", parse=WAN),
        Column("expected_tax", "预计年税收（万元）", parse=WAN),
        Column(
            "fortune_class",
            "500强榜单",
            parse=parsers.choice(FORTUNE_WORDS),
            choices=tuple(FORTUNE_WORDS),
            help_text="不是500强留空",
        ),
        Column("fortune_year", "榜单年度", parse=parsers.positive_int, example="2022"),
        Column(
            "fortune_company",
            "上榜企业",
            parse=parsers.text,
            width=24,
            help_text="榜单上的企业名称（投资方或其母公司）",
        ),
        Column("source_event", "来源活动", parse=parsers.text, choices="events", width=24),
        Column("source_office", "来源办事处", parse=parsers.text, choices="offices", width=20),
        Column("source_agency", "来源机构", parse=parsers.text, choices="agencies", width=20),
        Column(
            "owner_unit",
            "所属部门代码",
            parse=parsers.code,
            required=True,
            choices="units",
            example="hy-gxq-jjhz",
            width=16,
        ),
        Column("lead_on", "线索日期", parse=parsers.day, required=True, example="2022-03-10"),
        Column(
            "not_duplicate",
            "确认不是重复",
            parse=parsers.choice(YES_NO),
            choices=tuple(YES_NO),
            help_text="投资方相同或名称相近的另一个项目填“是”",
        ),
    )

    def __init__(self) -> None:
        self._loaded = False

    # --- code lists ---------------------------------------------------------------------------
    def code_lists(self, *, user) -> list[CodeList]:
        units = writable_units(user, Lead, ADD, "owner_unit").order_by("path")
        links = ChainLink.objects.visible_to(user).select_related("chain")
        return [
            CodeList("units", "单位", ("单位代码", "单位名称"), [(u.code, u.name) for u in units]),
            CodeList("links", "产业链环节", ("产业链环节",), [(str(x),) for x in links]),
            CodeList(
                "events",
                "招商活动",
                ("活动名称",),
                [(e.name,) for e in Event.objects.visible_to(user)],
            ),
            CodeList(
                "offices",
                "驻地办事处",
                ("办事处名称",),
                [(o.name,) for o in Office.objects.visible_to(user)],
            ),
            CodeList(
                "agencies",
                "招商机构",
                ("机构名称",),
                [(a.name,) for a in Agency.objects.visible_to(user)],
            ),
        ]

    def natural_key(self, values):
        return (values["investor"], values["project_name"])

    def describe_key(self, key):
        return f"投资方“{key[0]}”的项目“{key[1]}”"

    # --- per run ------------------------------------------------------------------------------
    def prepare(self, rows: list[Row], *, user) -> None:
        if self._loaded:
            return
        self._loaded = True
        self._units = {u.code: u for u in Unit.objects.all()}
        self._links = {
            (x.chain.name, x.name): x
            for x in ChainLink.objects.visible_to(user).select_related("chain")
        }
        self._events = {e.name: e for e in Event.objects.visible_to(user)}
        self._offices = {o.name: o for o in Office.objects.visible_to(user)}
        self._agencies = {a.name: a for a in Agency.objects.visible_to(user)}
        self._fortune = {
            (f.year, f.list_class, f.company): f for f in FortuneListEntry.objects.visible_to(user)
        }

    def _named(self, v, problems, key, found: dict, what: str):
        name = v.get(key)
        if not name:
            return None
        obj = found.get(name)
        if obj is None:
            problems.append((key, f"{what}“{name}”不存在或您无权访问"))
        return obj

    def resolve(self, row: Row, *, user) -> None:
        v = row.values
        problems: list[tuple[str | None, str]] = []
        unit = self._units.get(v["owner_unit"])
        if unit is None:
            problems.append(("owner_unit", f"单位“{v['owner_unit']}”不存在"))
        elif not can_create(user, Lead, unit):
            problems.append(("owner_unit", f"您无权为“{unit.name}”登记线索"))
        link = None
        if v["chain_link"]:
            parts = _LINK.split(v["chain_link"], maxsplit=1)
            link = self._links.get(tuple(parts)) if len(parts) == 2 else None
            if link is None:
                problems.append(("chain_link", f"产业链环节“{v['chain_link']}”不存在"))
        fortune = None
        if v["fortune_class"] or v["fortune_company"]:
            key = (v["fortune_year"], v["fortune_class"], v["fortune_company"])
            fortune = self._fortune.get(key)
            if fortune is None:
                problems.append(
                    ("fortune_company", "500强榜单中没有该年度、该榜单的这家企业，请先登记榜单")
                )
        fields = {
            "project_name": v["project_name"],
            "short_name": v["short_name"] or "",
            "investor": v["investor"],
            "investor_hq": v["investor_hq"] or "",
            "channel": v["channel"],
            "industry": v["industry"],
            "chain_link": link,
            "planned_investment": v["planned_investment"],
            "land_mu": v["land_mu"],
            "expected_output": v["expected_output"],
            "expected_tax": v["expected_tax"],
            "fortune_entry": fortune,
            "source_event": self._named(v, problems, "source_event", self._events, "招商活动"),
            "source_office": self._named(v, problems, "source_office", self._offices, "办事处"),
            "source_agency": self._named(v, problems, "source_agency", self._agencies, "招商机构"),
            "owner_unit": unit,
            "lead_on": v["lead_on"],
            "stage": LeadStage.LEAD,
        }
        if v["lead_on"] and v["lead_on"] > clock.today():
            problems.append(("lead_on", f"线索日期{v['lead_on']}晚于今天，不能登记未来的日期"))
        # The lead's own rules (GB/T 4754 code, the channel's source), as the form applies them.
        problems += model_problems(Lead(**fields))
        for field, messages in services.duplicate_errors(
            investor=v["investor"],
            project_name=v["project_name"],
            not_duplicate=bool(v["not_duplicate"]),
        ).items():
            problems += [(field, m) for m in messages]
        if problems:
            raise RowError(*problems)
        row.target = {k: (val.pk if hasattr(val, "pk") else val) for k, val in fields.items()}
        row.target = {
            (f"{k}_id" if hasattr(fields[k], "pk") else k): val for k, val in row.target.items()
        }

    def write_rows(self, rows: list[Row], *, batch, user) -> WriteResult:
        """The rows, then for each lead the batch created its first timeline entry (线索, on its
        线索日期, by the importer), as ``services.lead_create`` writes for a lead made on the
        page. Undoing the batch deletes the leads and, with them, these entries."""
        result = super().write_rows(rows, batch=batch, user=user)
        created = {
            (r.target["investor"], r.target["project_name"]) for r in rows if r.action == CREATE
        }
        steps = [
            LeadStep(lead=lead, from_stage="", to_stage=LeadStage.LEAD, on=lead.lead_on, by=user)
            for lead in Lead.objects.filter(import_batch=batch).only(
                "pk", "investor", "project_name", "lead_on"
            )
            if (lead.investor, lead.project_name) in created
        ]
        bulk_create_with_history(steps, LeadStep, batch_size=500, default_user=user)
        return result

    def describe(self, instance: Lead) -> str:
        return f"{instance.investor} / {instance.project_name}"


register_importer("investment-leads", LeadImporter)


_LEAD_NUMBER = re.compile(r"^#?(\d+)$")
# (column, the milestone's actual date field on the lead, its label) in stage order.
ACTUALS = (
    ("registration_actual", "registered_on", "实际注册日期"),
    ("start_actual", "started_on", "实际开工日期"),
    ("production_actual", "producing_on", "实际投产日期"),
)


def _date_column(key: str, header: str, help_text: str = "") -> Column:
    return Column(key, header, parse=parsers.day, help_text=help_text, example="2022-09-30")


class ContractImporter(Importer):
    label = "签约合同"
    model = Contract
    help_text = (
        "每行更新一条已签约线索的投资合同（签约本身在招商看板上办理，须通过准入评审）。"
        "金额单位：万元。实际注册、开工、投产日期会把线索推进到相应阶段；已登记的实际日期"
        "不能在导入中清空，退回请在招商看板上操作并说明原因。"
    )
    columns = (
        Column(
            "lead",
            "线索",
            parse=parsers.text,
            required=True,
            width=30,
            help_text="线索编号（如 #12）或项目名称",
            example="#12",
        ),
        Column("signed_amount", "签约金额（万元）", parse=WAN, required=True, example="30000"),
        Column("signed_on", "签约日期", parse=parsers.day, required=True, example="2022-05-01"),
        Column("terms", "主要条款", parse=parsers.text, width=30),
        _date_column("registration_planned", "计划注册日期"),
        _date_column("registration_actual", "实际注册日期"),
        _date_column("funds_due_on", "资金到位期限", "合同约定资金全部到位的日期"),
        Column("funds_in_place", "实际到位资金（万元）", parse=WAN, help_text="留空为 0"),
        Column(
            "funds_note",
            "到位资金说明",
            parse=parsers.text,
            width=24,
            help_text="到位资金超过签约金额时必填",
        ),
        _date_column("start_planned", "计划开工日期"),
        _date_column("start_actual", "实际开工日期"),
        _date_column("production_planned", "计划投产日期"),
        _date_column("production_actual", "实际投产日期"),
    )
    update_fields = (
        *services.CONTRACT_FIELDS,
        "registration_actual",
        "start_actual",
        "production_actual",
    )
    select_related = ("lead",)

    def __init__(self) -> None:
        self._loaded = False
        self._seen: dict[int, int] = {}

    def can_start(self, user) -> bool:
        return may(user, Contract, CHANGE)

    def natural_key(self, values):
        return (values["lead"],)

    def describe_key(self, key):
        return f"线索“{key[0]}”"

    def prepare(self, rows: list[Row], *, user) -> None:
        if self._loaded:
            return
        self._loaded = True
        leads = list(Lead.objects.visible_to(user).select_related("owner_unit"))
        self._by_pk = {x.pk: x for x in leads}
        self._by_name: dict[str, list[Lead]] = {}
        for x in leads:
            self._by_name.setdefault(x.project_name, []).append(x)
        self._contracts = {c.lead_id: c for c in Contract.objects.filter(lead_id__in=self._by_pk)}
        self._editable = set(Contract.objects.editable_by(user).values_list("pk", flat=True))

    def _lead(self, text: str) -> Lead:
        m = _LEAD_NUMBER.match(text)
        if m and int(m.group(1)) in self._by_pk:
            return self._by_pk[int(m.group(1))]
        named = self._by_name.get(text, [])
        if len(named) > 1:
            numbers = "、".join(f"#{x.pk}" for x in named)
            raise RowError(("lead", f"有{len(named)}条线索名为“{text}”（{numbers}），请填线索编号"))
        if not named:
            raise RowError(("lead", f"线索“{text}”不存在或您无权访问"))
        return named[0]

    def resolve(self, row: Row, *, user) -> None:
        v = row.values
        lead = self._lead(v["lead"])
        # The same lead by its number on one row and its name on another.
        first = self._seen.setdefault(lead.pk, row.line)
        if first != row.line:
            raise RowError(("lead", f"线索“{lead}”（#{lead.pk}）与第{first}行重复"))
        contract = self._contracts.get(lead.pk)
        if lead.lost:
            raise RowError(("lead", f"线索“{lead}”已流失，不能更新合同"))
        if contract is None:
            raise RowError(
                ("lead", f"线索“{lead}”尚未签约：请先在招商看板上签约（须通过准入评审）")
            )
        if contract.pk not in self._editable:
            raise RowError(("lead", f"您无权修改“{lead.owner_unit}”的线索“{lead}”的合同"))
        problems: list[tuple[str | None, str]] = []
        today = clock.today()
        signed_on = v["signed_on"]
        if signed_on and signed_on > today:
            problems.append(("signed_on", f"签约日期{signed_on}晚于今天，不能登记未来的日期"))
        if signed_on and signed_on < lead.lead_on:
            problems.append(("signed_on", f"签约日期不能早于线索日期{lead.lead_on}"))
        for key, _lead_field, label in ACTUALS:
            on, before = v[key], getattr(contract, key)
            if on is None and before is not None:
                problems.append(
                    (key, f"已登记{label}{before}，不能在导入中清空；退回请在招商看板上操作")
                )
            elif on and on > today:
                problems.append((key, f"{label}{on}晚于今天，不能登记未来的日期"))
            elif on and signed_on and on < signed_on:
                problems.append((key, f"{label}{on}早于签约日期{signed_on}"))
        fields = {k: v[k] for k in self.update_fields}
        fields["terms"] = v["terms"] or ""
        fields["funds_note"] = v["funds_note"] or ""
        if fields["funds_in_place"] is None:
            fields["funds_in_place"] = Decimal(0)
        for name, value in fields.items():
            setattr(contract, name, value)
        # The contract's own rules (amount above zero, funds above it need a note).
        problems += model_problems(contract)
        if problems:
            raise RowError(*problems)
        row.target, row.action = contract, UPDATE

    def write_rows(self, rows: list[Row], *, batch, user) -> WriteResult:
        result = super().write_rows(rows, batch=batch, user=user)
        reason = f"导入批次#{batch.pk}：{batch.original_name}"
        for r in rows:
            services.lead_follow_contract(by=user, contract=r.target, reason=reason)
        return result

    def rollback(self, *, batch, user) -> WriteResult:
        pks = set(Contract.history.filter(import_batch_id=batch.pk).values_list("id", flat=True))
        result = super().rollback(batch=batch, user=user)
        for contract in Contract.objects.filter(pk__in=pks).select_related("lead"):
            services.lead_follow_contract(
                by=user, contract=contract, reason=f"撤销导入批次#{batch.pk}"
            )
        return result

    def describe(self, instance: Contract) -> str:
        return f"#{instance.lead_id} {instance.lead}"


register_importer("investment-contracts", ContractImporter)
