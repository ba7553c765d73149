"""The monthly 月分析 as an .xlsx, through the project's one sheet writer (``core.exports``,
which neutralises text Excel would take for a formula): each table a sheet with its header row
frozen and its figures as numbers in their formats, and each chart a sheet of its data with a
NATIVE Excel chart bound to those cells (so the chart follows an edit of the figures). A
first sheet names the report, its unit, period and data version, and lists the data left out.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwei.core.exports import Number, Sheet, SheetChart, decimals_format, xlsx_bytes
from shouwei.core.reporting import MONTHLY, Chart, Document, Figure, Run, Table

from . import Format, register_format

# The places a figure reads in are its text's ("8.5%" → 1), not its value's: a ratio computed
# in Decimal carries 28 places, more than a quantize at that precision can hold.
_NUMBER_IN_TEXT = re.compile(r"\d[\d,]*(?:\.(\d+))?")
_MAX_PLACES = 6


def _places(run: Figure) -> int:
    found = _NUMBER_IN_TEXT.findall(run.text or "")
    if found:
        return min(len(found[0]), _MAX_PLACES)
    value = run.value
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return min(max(-exponent, 0), _MAX_PLACES) if isinstance(exponent, int) else 0
    return 0


def cell(run: Run):
    """A figure with a value is a number in the format its text reads in (8.5% → 0.0"%"),
    anything else its text."""
    if isinstance(run, Figure):
        if run.value is None:
            return run.text
        fmt = decimals_format(_places(run))
        if run.text.rstrip().endswith("%"):
            fmt += '"%"'
        return Number(float(run.value), fmt)
    return run


def _sheet_name(title: str, used: set[str]) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    name, n = title[:31] or "Sheet", 2
    while name in used:
        suffix = f"({n})"
        name, n = title[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _table_sheet(title: str, table: Table, used: set[str]) -> Sheet:
    return Sheet(
        name=_sheet_name(title, used),
        header=list(table.headers),
        rows=[[cell(c) for c in row] for row in table.rows],
        title=title,
        freeze_columns=1,
    )


def _chart_sheet(chart: Chart, used: set[str]) -> Sheet:
    header = [_("项目"), *(s.name for s in chart.series)]
    rows = []
    for i, category in enumerate(chart.categories):
        values = [s.values[i] if i < len(s.values) else None for s in chart.series]
        rows.append([category, *(None if v is None else Number(float(v)) for v in values)])
    return Sheet(
        name=_sheet_name(chart.title, used),
        header=header,
        rows=rows,
        title=chart.title + (f"（{chart.unit}）" if chart.unit else ""),
        charts=(
            SheetChart(
                title=chart.title,
                categories=0,
                values=tuple(range(1, len(chart.series) + 1)),
                kind=chart.kind,
                y_title=chart.unit,
            ),
        ),
    )


def render_xlsx(document: Document) -> bytes:
    used: set[str] = set()
    cover = Sheet(
        name=_sheet_name(_("说明"), used),
        header=[_("项目"), _("内容")],
        rows=[
            [_("报告"), document.title],
            [_("单位"), document.unit_name],
            [_("时期"), document.period_label],
            [_("数据版本"), document.data_version],
            [_("来源"), document.source],
            *([_("未审核（未列入）"), line] for line in document.excluded),
        ],
        title=document.title,
        wrap=True,
    )
    sheets = [cover]
    for section in document.sections:
        tables = [b for b in section.blocks if isinstance(b, Table)]
        for block in section.blocks:
            if isinstance(block, Table):
                title = (
                    section.title
                    if len(tables) == 1
                    else f"{section.title}{tables.index(block) + 1}"
                )
                sheets.append(_table_sheet(title, block, used))
            elif isinstance(block, Chart):
                sheets.append(_chart_sheet(block, used))
    return xlsx_bytes(*sheets)


XLSX = register_format(
    Format(
        key="xlsx",
        label=gettext_lazy("Excel（含图表）"),
        extension="xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        render=render_xlsx,
        kinds=(MONTHLY,),
    )
)
