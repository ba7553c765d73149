"""The formats a built report downloads in, one module each, all reading the same
``core.reporting.Document``.

A renderer module calls ``register_format`` at import; ``MODULES`` lists them and
``ReportsConfig.ready()`` imports them, so the pages and ``shouwei report`` offer exactly the
formats that exist. ``kinds`` narrows a format to the report kinds it makes sense for (the
.xlsx sheet with native charts is the monthly sheet's). ``unavailable`` says why a format
cannot render on this machine ("" when it can: the PDF needs the system's Pango), so the
pages and the command refuse it with that reason instead of failing mid-download.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured

from shouwei.core.reporting import REPORT_KINDS, Document

# Each module registers its format(s) when imported.
MODULES: tuple[str, ...] = ("html", "md", "txt", "docx", "pdf", "xlsx")


@dataclass(frozen=True)
class Format:
    key: str  # "docx", the --format value and the URL's
    label: str
    extension: str
    content_type: str
    render: Callable[[Document], bytes]
    kinds: tuple[str, ...] = REPORT_KINDS
    unavailable: Callable[[], str] | None = None

    def missing(self) -> str:
        """Why this format cannot render here, for the user; "" when it can."""
        return self.unavailable() if self.unavailable is not None else ""


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> Format:
    known = FORMATS.get(fmt.key)
    if known is not None and known != fmt:
        raise ImproperlyConfigured(f"report format {fmt.key!r} is already registered")
    FORMATS[fmt.key] = fmt
    return fmt


def formats_for(kind: str) -> list[Format]:
    return [f for f in FORMATS.values() if kind in f.kinds]


def load() -> None:
    for name in MODULES:
        import_module(f"{__name__}.{name}")
