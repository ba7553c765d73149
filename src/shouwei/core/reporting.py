"""Written reports, as data: the document every format is rendered from, and the registry of
sections that the domain apps contribute to it.

A report (the half-year analysis, the monthly 月分析, the leader's 要情 brief) is a
``Document``: sections of paragraphs, tables and charts, in which every figure is a ``Figure``
carrying the records it was computed from. The prose is assembled by rules from data
(``core.phrasing``), never from stored text, and every renderer (HTML with lineage links,
.docx, PDF, Markdown, text, .xlsx) reads the same document, so the formats cannot disagree.

The reports app assembles documents and imports no domain app: each app declares the sections
it can write in its own ``report_sections.py``, which ``CoreConfig.ready()`` imports from every
installed app (as it does ``panels.py``)::

    register_report_section(
        "projects",
        title=_("重点项目"),
        weight=20,
        build=project_section,   # (*, user, unit, period, kind) -> Section | None
        kinds=("half-year", "brief"),
    )

``build`` reads through the app's selectors, which start from ``visible_to(user)``. It returns
None when the app has nothing to say for that unit and period; the builder then states plainly
that the section has no data (a report never silently drops a heading a reader expects).

A document round-trips through JSON (``to_data`` / ``from_data``): a built report stores the
document it printed, so a download later shows exactly what was built, whatever changed since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from .models import Unit
    from .periods import Period

# The kinds of written report. ``weekly-projects`` is the projects app's 周调度 sheet.
HALF_YEAR = "half-year"
MONTHLY = "monthly"
BRIEF = "brief"
REPORT_KINDS = (HALF_YEAR, MONTHLY, BRIEF)


@dataclass(frozen=True)
class Source:
    """One record (or record set) a figure was computed from.

    ``label`` names it for a reader ("观测值 #812", "重点项目 49 个"), ``url`` is its page (a
    detail page, or a list filtered to the set; "" when the record has no page), ``detail``
    says how it entered the platform ("导入批次 #3；张三 2022-07-12 审核").
    """

    label: str
    url: str = ""
    detail: str = ""


@dataclass
class Figure:
    """A figure as the prose prints it, with where it comes from.

    ``key`` identifies the figure across rebuilds ("economy.gdp.growth"): rebuilding a report
    compares figures by key and flags those whose ``text`` changed. ``value`` is the exact
    number behind ``text`` (None for a rank or a name). ``number`` is the figure's place in
    reading order, 1-based, set by ``Document.number_figures``; the 数据来源 appendix and the
    HTML lineage links use it.
    """

    key: str
    text: str
    value: Decimal | int | None = None
    sources: tuple[Source, ...] = ()
    number: int = 0


Run = str | Figure


@dataclass
class Paragraph:
    """Running text: plain strings and figures, in order."""

    runs: list[Run]

    def plain(self) -> str:
        return "".join(r if isinstance(r, str) else r.text for r in self.runs)


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class Chart:
    """A chart a renderer draws: ECharts in HTML, an image in .docx and PDF, a native chart in
    .xlsx. ``kind`` is ``bar`` (vertical), ``hbar`` (horizontal, for rank lists) or ``line``."""

    key: str
    title: str
    kind: Literal["bar", "hbar", "line"]
    categories: list[str]
    series: list[Series]
    unit: str = ""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Run]]


Block = Paragraph | Chart | Table


@dataclass
class Section:
    """A heading and its blocks. ``empty`` is the sentence printed instead of blocks when the
    section has no data ("本期无招商引资数据。"): said plainly, never left out."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    empty: str = ""

    def figures(self) -> Iterator[Figure]:
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield from (r for r in block.runs if isinstance(r, Figure))
            elif isinstance(block, Table):
                for row in block.rows:
                    yield from (c for c in row if isinstance(c, Figure))


@dataclass
class Document:
    """A whole report. ``excluded`` lists, one line each, the data left out because it was not
    approved (stated in the report, never printed as a figure). ``data_version`` identifies the
    data the document was built from (see the reports app)."""

    kind: str
    title: str
    unit_code: str
    unit_name: str
    period: str
    period_label: str
    issued: date
    source: str
    sections: list[Section] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    data_version: str = ""

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures()]

    def number_figures(self) -> None:
        for number, figure in enumerate(self.figures(), start=1):
            figure.number = number

    def to_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "period": self.period,
            "period_label": self.period_label,
            "issued": self.issued.isoformat(),
            "source": self.source,
            "excluded": list(self.excluded),
            "data_version": self.data_version,
            "sections": [_section_data(s) for s in self.sections],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Document:
        return cls(
            kind=data["kind"],
            title=data["title"],
            unit_code=data["unit_code"],
            unit_name=data["unit_name"],
            period=data["period"],
            period_label=data["period_label"],
            issued=date.fromisoformat(data["issued"]),
            source=data["source"],
            excluded=list(data["excluded"]),
            data_version=data["data_version"],
            sections=[_section_from(s) for s in data["sections"]],
        )


def _run_data(run: Run) -> Any:
    if isinstance(run, str):
        return run
    return {
        "key": run.key,
        "text": run.text,
        "value": None if run.value is None else str(run.value),
        "number": run.number,
        "sources": [{"label": s.label, "url": s.url, "detail": s.detail} for s in run.sources],
    }


def _run_from(data: Any) -> Run:
    if isinstance(data, str):
        return data
    value = data["value"]
    return Figure(
        key=data["key"],
        text=data["text"],
        value=None if value is None else Decimal(value),
        number=data["number"],
        sources=tuple(Source(**s) for s in data["sources"]),
    )


def _block_data(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "runs": [_run_data(r) for r in block.runs]}
    if isinstance(block, Table):
        return {
            "type": "table",
            "headers": list(block.headers),
            "rows": [[_run_data(c) for c in row] for row in block.rows],
        }
    return {
        "type": "chart",
        "key": block.key,
        "title": block.title,
        "kind": block.kind,
        "categories": list(block.categories),
        "unit": block.unit,
        "series": [{"name": s.name, "values": list(s.values)} for s in block.series],
    }


def _block_from(data: dict[str, Any]) -> Block:
    match data["type"]:
        case "paragraph":
            return Paragraph(runs=[_run_from(r) for r in data["runs"]])
        case "table":
            return Table(
                headers=list(data["headers"]),
                rows=[[_run_from(c) for c in row] for row in data["rows"]],
            )
    return Chart(
        key=data["key"],
        title=data["title"],
        kind=data["kind"],
        categories=list(data["categories"]),
        unit=data["unit"],
        series=[Series(name=s["name"], values=list(s["values"])) for s in data["series"]],
    )


def _section_data(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "empty": section.empty,
        "blocks": [_block_data(b) for b in section.blocks],
    }


def _section_from(data: dict[str, Any]) -> Section:
    return Section(
        key=data["key"],
        title=data["title"],
        empty=data["empty"],
        blocks=[_block_from(b) for b in data["blocks"]],
    )


# --- the section registry ----------------------------------------------------------------

SectionBuilder = Callable[..., "Section | None"]


@dataclass(frozen=True)
class ReportSection:
    """One contributor to a section. Several apps may write parts of the same section (the
    indicators' 科技创新 figures and an app's records under the same heading): they register
    the same ``key`` and ``title`` with different ``part`` names, and their blocks print in
    ``part_weight`` order under one heading. ``weight`` orders the sections."""

    key: str
    title: str
    weight: int
    build: SectionBuilder
    kinds: tuple[str, ...] = (HALF_YEAR,)
    part: str = ""
    part_weight: int = 0


_registry: dict[tuple[str, str], ReportSection] = {}


def register_report_section(
    key: str,
    *,
    title: str,
    weight: int,
    build: SectionBuilder,
    kinds: tuple[str, ...] = (HALF_YEAR,),
    part: str = "",
    part_weight: int = 0,
) -> ReportSection:
    unknown = set(kinds) - set(REPORT_KINDS)
    if unknown:
        raise ImproperlyConfigured(f"report section {key!r}: unknown kinds {sorted(unknown)}")
    section = ReportSection(
        key=key,
        title=title,
        weight=weight,
        build=build,
        kinds=kinds,
        part=part,
        part_weight=part_weight,
    )
    known = _registry.get((key, part))
    if known is not None and known != section:
        raise ImproperlyConfigured(f"report section {key!r} is already registered: {known!r}")
    for other in _registry.values():
        if other.key == key and other.part != part and str(other.title) != str(title):
            raise ImproperlyConfigured(
                f"report section {key!r}: part {part!r} has the title {title!r}, "
                f"part {other.part!r} has {other.title!r}"
            )
    _registry[(key, part)] = section
    return section


def report_sections(kind: str) -> list[ReportSection]:
    """The parts registered for ``kind``, in print order: by section weight, then part weight."""
    return sorted(
        (s for s in _registry.values() if kind in s.kinds),
        key=lambda s: (s.weight, s.key, s.part_weight, s.part),
    )


def build_sections(*, kind: str, user, unit: Unit, period: Period) -> list[Section]:
    """Each registered section for ``kind`` as ``user`` may read it, its parts' blocks joined
    under one heading; a section none of whose parts has anything to say comes back with only
    its ``empty`` sentence."""
    from django.utils.translation import gettext

    built: dict[str, Section] = {}
    for entry in report_sections(kind):
        title = str(entry.title)
        section = built.setdefault(entry.key, Section(key=entry.key, title=title))
        part = entry.build(user=user, unit=unit, period=period, kind=kind)
        if part is not None:
            if not section.blocks and part.title and part.title != section.title:
                # A part may name the heading for the period (下半年目标 after H1, 下阶段目标
                # otherwise); the first part with something to say names it.
                section.title = part.title
            section.blocks.extend(part.blocks)
    for section in built.values():
        if not section.blocks:
            section.empty = gettext("本期无%(title)s数据。") % {"title": section.title}
    return list(built.values())


# --- the report files ``shouwei report <kind>`` writes --------------------------------------


@dataclass(frozen=True)
class ReportFile:
    """One kind of ``shouwei report``: its subcommand, the arguments it adds to its parser,
    and ``build(options, user) -> bytes`` (raising ``CommandError`` with a clear message on
    bad input). Apps register theirs in ``report_files.py``, which ``CoreConfig.ready()``
    imports from every installed app (core imports no app)."""

    kind: str
    title: str
    add_arguments: Callable[[Any], None]
    build: Callable[[dict, Any], bytes]


_files: dict[str, ReportFile] = {}


def register_report_file(
    kind: str,
    *,
    title: str,
    add_arguments: Callable[[Any], None],
    build: Callable[[dict, Any], bytes],
) -> ReportFile:
    entry = ReportFile(kind=kind, title=title, add_arguments=add_arguments, build=build)
    known = _files.get(kind)
    if known is not None and known != entry:
        raise ImproperlyConfigured(f"report file {kind!r} is already registered: {known!r}")
    _files[kind] = entry
    return entry


def report_files() -> dict[str, ReportFile]:
    """The registered kinds, by name."""
    return dict(sorted(_files.items()))
