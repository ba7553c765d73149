"""Helpers for the section tests: build one registered part, read its figures back as numbers
(parsed from the printed text, not the stored value), and open every source as the reader."""

from __future__ import annotations

import re
from decimal import Decimal

from shouwei.core.reporting import Figure, Paragraph, Section, Table, report_sections

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def build(key: str, *, user, unit, period, kind: str = "half-year") -> Section | None:
    entry = next(s for s in report_sections(kind) if s.key == key and s.part == "records")
    return entry.build(user=user, unit=unit, period=period, kind=kind)


def number(text: str) -> Decimal | None:
    m = NUMBER.search(text)
    return Decimal(m.group().replace(",", "")) if m else None


def all_figures(section: Section) -> list[Figure]:
    return list(section.figures())


def figures(section: Section) -> dict[str, Decimal | None]:
    """key → the number the figure's printed text says."""
    return {f.key: number(f.text) for f in section.figures()}


def texts(section: Section) -> dict[str, str]:
    return {f.key: f.text for f in section.figures()}


def plain(section: Section) -> str:
    out = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out.append(block.plain())
        elif isinstance(block, Table):
            for row in block.rows:
                out.append(" ".join(c if isinstance(c, str) else c.text for c in row))
    return "\n".join(out)


def sources_resolve(section: Section, client) -> None:
    urls = {s.url for f in section.figures() for s in f.sources}
    assert urls and all(urls), "every figure has a page"
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
