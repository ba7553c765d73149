"""The observation importer (unit × indicator × period → value, growth, rank).

Who may write a row is the observation's contract, asked through the same
``services.placement_problems`` the form and the API use: the reporting unit is the
indicator's owning department, and the user must be able to write for it and for the unit the
figure describes. An approved figure is never overwritten by an import: it needs the
statistician's 更正.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.utils import timezone

from shouwei.core import permissions
from shouwei.core.models import PeerGroup, Unit
from shouwei.core.periods import Period
from shouwei.imports import parsers
from shouwei.imports.base import UPDATE, CodeList, Column, ImportConflict, Importer, Row, RowError
from shouwei.imports.registry import register_importer

from . import ranks
from .choices import ObservationStatus, RankBasis
from .models import IMPORT_SOURCE_PREFIX, Indicator, Observation
from .services import placement_problems, reporting_unit_for

STATUS_WORDS = {"草稿": ObservationStatus.DRAFT, "提交": ObservationStatus.SUBMITTED}
STATUS_ALIASES = {
    "已提交": ObservationStatus.SUBMITTED,
    "draft": ObservationStatus.DRAFT,
    "submitted": ObservationStatus.SUBMITTED,
}
BASIS_WORDS = {"总量": RankBasis.VALUE, "增速": RankBasis.GROWTH}
BASIS_ALIASES = {"value": RankBasis.VALUE, "growth": RankBasis.GROWTH}
FIGURES = ("value", "growth", "published_rank", "rank_group", "rank_basis")


class ObservationImporter(Importer):
    label = "观测值"
    model = Observation
    help_text = (
        "每行一个单位、一个指标、一个期间的数据。数值、同比增长、公布排名至少填写一项。"
        "已有的草稿或已提交数据会被更新（留空的单元格保留原值）；已审核的数据不能通过导入覆盖，"
        "须由统计员更正。"
    )
    columns = (
        Column(
            "unit",
            "单位代码",
            parse=parsers.code,
            required=True,
            choices="units",
            help_text="数据所属单位的代码，从下拉列表选择，或见“代码表”",
            format="代码表中的单位代码",
            example="hy-gxq",
            width=16,
        ),
        Column(
            "indicator",
            "指标代码",
            parse=parsers.code,
            required=True,
            choices="indicators",
            help_text="指标代码，从下拉列表选择，或见“代码表”",
            format="代码表中的指标代码",
            example="gdp",
            width=22,
        ),
        Column(
            "period",
            "期间",
            parse=parsers.period,
            required=True,
            help_text="统计期间；累计指标的月度值为 1 月至该月的累计",
            format="2022-06（月）、2022Q2（季）、2022H1（半年）、2022（年）",
            example="2022-06",
            width=12,
            as_text=True,
        ),
        Column(
            "value",
            "数值",
            parse=parsers.decimal(max_digits=20, decimal_places=4),
            help_text="按指标的计量单位填写（亿元、万元、家…），不要带单位",
            format="数字，最多4位小数，可带千分位逗号",
            example="1,234.5",
        ),
        Column(
            "growth",
            "同比增长(%)",
            parse=parsers.decimal(max_digits=10, decimal_places=3),
            help_text="同比增速，百分数：6.9 与 6.9% 均表示增长 6.9%",
            format="数字，可带 %，最多3位小数",
            example="6.9",
            as_text=True,
        ),
        Column(
            "published_rank",
            "公布排名",
            parse=parsers.positive_int,
            help_text="上级通报中的名次（第N名的 N）",
            format="正整数",
            example="2",
            width=10,
        ),
        Column(
            "rank_group",
            "排名比较组代码",
            parse=parsers.code,
            choices="groups",
            help_text="公布排名所在的比较组，如五区两园",
            format="代码表中的比较组代码",
            example="hy-5d2p",
            width=16,
        ),
        Column(
            "rank_basis",
            "排名依据",
            parse=parsers.choice(BASIS_WORDS, aliases=BASIS_ALIASES),
            choices=tuple(BASIS_WORDS),
            help_text="填写公布排名时必填：按总量还是按增速排名",
            format="总量 或 增速",
            example="增速",
            width=10,
        ),
        Column(
            "status",
            "状态",
            parse=parsers.choice(STATUS_WORDS, aliases=STATUS_ALIASES),
            choices=tuple(STATUS_WORDS),
            help_text="留空或“草稿”导入为草稿；“提交”则导入后直接提交统计员审核",
            format="草稿 或 提交",
            example="提交",
            width=10,
        ),
        Column(
            "note",
            "备注",
            parse=parsers.text,
            help_text="口径说明等",
            format="文字",
            example="按新口径统计",
            width=24,
        ),
    )
    update_fields = (
        *FIGURES,
        "note",
        "status",
        "submitted_at",
        "entered_by",
        "source",
    )
    select_related = ("unit", "indicator")

    def __init__(self) -> None:
        self._units: dict[str, Unit | None] = {}
        self._indicators: dict[str, Indicator | None] = {}
        self._groups: dict[str, PeerGroup | None] = {}
        self._existing: dict[tuple[int, int, str], Observation] = {}
        self._placement: dict[tuple[str, int, int, int | None], list] = {}

    # --- template ----------------------------------------------------------------------------
    def code_lists(self, *, user) -> list[CodeList]:
        units = writable_units(user)
        indicators = Indicator.objects.visible_to(user).select_related("owner_unit")
        groups = PeerGroup.objects.visible_to(user)
        return [
            CodeList(
                "units",
                "单位",
                ("单位代码", "单位名称"),
                [(u.code, u.name) for u in units],
            ),
            CodeList(
                "indicators",
                "指标",
                ("指标代码", "指标名称", "计量单位", "责任部门"),
                [
                    (i.code, i.name, i.measure, i.owner_unit.name if i.owner_unit else "")
                    for i in indicators
                ],
            ),
            CodeList(
                "groups", "比较组", ("比较组代码", "比较组名称"), [(g.code, g.name) for g in groups]
            ),
        ]

    def natural_key(self, values: dict[str, Any]) -> tuple:
        return (values["unit"], values["indicator"], values["period"])

    def describe_key(self, key: tuple) -> str:
        return f"单位“{key[0]}”、指标“{key[1]}”、期间“{key[2]}”"

    # --- validation ----------------------------------------------------------------------------
    def prepare(self, rows: list[Row], *, user) -> None:
        _load(self._units, {r.values["unit"] for r in rows}, Unit.objects.all())
        _load(
            self._indicators,
            {r.values["indicator"] for r in rows},
            Indicator.objects.select_related("owner_unit"),
        )
        _load(
            self._groups,
            {r.values["rank_group"] for r in rows if r.values["rank_group"]},
            PeerGroup.objects.all(),
        )
        unit_ids, indicator_ids, periods = set(), set(), set()
        for r in rows:
            unit = self._units.get(r.values["unit"])
            indicator = self._indicators.get(r.values["indicator"])
            if unit is not None and indicator is not None:
                unit_ids.add(unit.pk)
                indicator_ids.add(indicator.pk)
                periods.add(r.values["period"])
        if unit_ids:
            # Every existing record, not only visible ones: a hidden duplicate must still stop
            # the import with a message rather than fail the commit on the unique constraint.
            for obs in Observation.objects.select_related("unit", "reporting_unit").filter(
                unit_id__in=unit_ids, indicator_id__in=indicator_ids, period__in=periods
            ):
                self._existing[(obs.unit_id, obs.indicator_id, obs.period)] = obs

    def _placement_problems(self, user, action: str, unit: Unit, indicator: Indicator, reporting):
        # The same rule as the form and the API, asked once per unit × indicator of a file.
        key = (action, unit.pk, indicator.pk, reporting.pk if reporting else None)
        if key not in self._placement:
            self._placement[key] = placement_problems(
                by=user, unit=unit, indicator=indicator, reporting_unit=reporting, action=action
            )
        return self._placement[key]

    def resolve(self, row: Row, *, user) -> None:
        v = row.values
        problems: list[tuple[str | None, str]] = []
        unit = self._units.get(v["unit"])
        if unit is None:
            problems.append(("unit", f"单位“{v['unit']}”不存在"))
        indicator = self._indicators.get(v["indicator"])
        if indicator is None:
            problems.append(("indicator", f"指标“{v['indicator']}”不存在"))
        group = None
        if v["rank_group"]:
            group = self._groups.get(v["rank_group"])
            if group is None:
                problems.append(("rank_group", f"比较组“{v['rank_group']}”不存在"))
        if all(v[k] is None for k in ("value", "growth", "published_rank")):
            problems.append((None, "数值、同比增长(%)、公布排名至少填写一项"))
        if v["published_rank"] is not None and not v["rank_basis"]:
            problems.append(("rank_basis", "填写公布排名时须说明按总量还是按增速排名"))
        if problems:
            raise RowError(*problems)

        existing = self._existing.get((unit.pk, indicator.pk, v["period"]))
        if existing is None:
            row.target = self._new(v, unit, indicator, group, user=user)
        else:
            row.target = self._changed(v, existing, group, user=user)
            row.action = UPDATE

    def _new(self, v: dict, unit: Unit, indicator: Indicator, group, *, user) -> dict:
        problems = self._placement_problems(user, permissions.ADD, unit, indicator, None)
        if problems:
            raise RowError(*problems)
        kind, end = _period_kind_end(v["period"])
        return {
            "unit_id": unit.pk,
            "indicator_id": indicator.pk,
            "period": v["period"],
            "period_kind": kind,
            "period_end": end,
            "reporting_unit_id": reporting_unit_for(indicator=indicator, unit=unit, given=None).pk,
            "value": v["value"],
            "growth": v["growth"],
            "published_rank": v["published_rank"],
            "rank_group_id": group.pk if group else None,
            "rank_basis": v["rank_basis"] or "",
            "note": v["note"] or "",
            **_status_fields(v["status"]),
        }

    def _changed(self, v: dict, existing: Observation, group, *, user) -> Observation:
        unit = existing.unit
        if existing.status == ObservationStatus.APPROVED:
            raise RowError(
                (
                    None,
                    f"单位“{unit.code}”指标“{v['indicator']}”期间“{existing.period}”已有审核通过的"
                    "数据，导入不能覆盖；如需修改，请由统计员在该数据页面办理更正",
                )
            )
        if self._placement_problems(
            user,
            permissions.CHANGE,
            unit,
            self._indicators[v["indicator"]],
            existing.reporting_unit,
        ):
            raise RowError(
                ("unit", f"您无权修改单位“{unit.display_name}（{unit.code}）”的这项已有数据")
            )
        # Blank cells keep what the record already holds: a row that only brings the growth
        # must not erase the value entered earlier.
        changes = {k: v[k] for k in ("value", "growth", "published_rank", "rank_basis", "note")}
        changes["rank_group"] = group
        for name, value in changes.items():
            if value not in (None, ""):
                setattr(existing, name, value)
        for name, value in _status_fields(v["status"]).items():
            setattr(existing, name, value)
        return existing

    # --- commit ---------------------------------------------------------------------------------
    def stamp(self, *, batch, user) -> dict[str, Any]:
        return {
            **super().stamp(batch=batch, user=user),
            "entered_by": user,
            "source": f"{IMPORT_SOURCE_PREFIX}{batch.original_name}"[:300],
        }

    def check_before_write(self, rows: list[Row], *, user) -> None:
        """Between preview and commit a statistician may have approved a draft this file
        updates: that record is now a published figure, so the whole import stops."""
        ids = [r.target.pk for r in rows if r.action == UPDATE]
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            current = dict(
                Observation.objects.select_for_update()
                .filter(pk__in=chunk)
                .values_list("pk", "status")
            )
            changed = [pk for pk in chunk if current.get(pk) in (None, ObservationStatus.APPROVED)]
            if changed:
                raise ImportConflict(
                    f"校验后有{len(changed)}条已有数据被审核或删除（如观测值#{changed[0]}），"
                    "请重新上传文件校验"
                )

    def write_rows(self, rows: list[Row], *, batch, user):
        """The rows go in with bulk statements, which send no signal: the stored ranks of the
        cells whose approved figures changed are refreshed once for the whole file. (Rows are
        written as drafts or submitted, and an approved figure is never overwritten, so today
        that set is empty; the refresh is kept so that the rule holds whatever comes in.)"""
        before = _approved_keys([r.target.pk for r in rows if r.action == UPDATE])
        result = super().write_rows(rows, batch=batch, user=user)
        ranks.refresh_for_observations(before | _approved_keys(_batch_pks(batch)))
        return result

    # --- rollback -------------------------------------------------------------------------------
    def rollback(self, *, batch, user):
        """Undo the batch (``Importer.rollback``), then refresh the stored ranks of the cells
        whose approved figures it changed, once (empty today: an approved record locks the
        rollback, see ``locked_reason``)."""
        before = _approved_keys(_batch_pks(batch))
        result = super().rollback(batch=batch, user=user)
        ranks.refresh_for_observations(before | _approved_keys(_batch_pks(batch)))
        return result

    def locked_reason(self, instance: Observation) -> str | None:
        if instance.status == ObservationStatus.APPROVED:
            return "导入后已审核通过"
        return None

    def describe(self, instance: Observation) -> str:
        return f"{instance.unit.code} / {instance.indicator.code} / {instance.period}"


def _batch_pks(batch) -> list[int]:
    return list(Observation.objects.filter(import_batch=batch).values_list("pk", flat=True))


def _approved_keys(pks: list[int]) -> set[tuple[int, int, date]]:
    """The ``(unit, indicator, period end)`` cells of those of ``pks`` that are approved."""
    keys: set[tuple[int, int, date]] = set()
    for start in range(0, len(pks), 1000):
        keys.update(
            Observation.objects.filter(
                pk__in=pks[start : start + 1000], status=ObservationStatus.APPROVED
            ).values_list("unit_id", "indicator_id", "period_end")
        )
    return keys


def _status_fields(status: str | None) -> dict[str, Any]:
    """Draft unless the row says 提交; resolve runs again at commit, so "now" is the commit."""
    if status == ObservationStatus.SUBMITTED:
        return {"status": status, "submitted_at": timezone.now()}
    return {"status": ObservationStatus.DRAFT, "submitted_at": None}


@lru_cache(maxsize=4096)
def _period_kind_end(code: str) -> tuple[str, date]:
    # What Observation.save() derives; bulk_create does not call save().
    p = Period.parse(code)
    return p.kind.value, p.end


def _load(cache: dict, codes: set, queryset) -> None:
    wanted = {c for c in codes if c and c not in cache}
    if not wanted:
        return
    found = {obj.code: obj for obj in queryset.filter(code__in=wanted)}
    for c in wanted:
        cache[c] = found.get(c)


def writable_units(user):
    """Units the template offers: those the user may file figures for."""
    return permissions.writable_units(user, Observation, permissions.ADD, "unit").order_by("path")


register_importer("observations", ObservationImporter)
