"""What an app's ``demo.py`` uses to add its demo data to ``shouwei demo`` / ``loaddemo``.

An app registers a loader; the demo package discovers every app's ``demo.py`` and runs the
loaders after the foundation's own data (units, peer groups, indicators, observations, targets),
so the demo package imports no domain app and adding an app edits nothing here::

    from shouwei.demo.registry import DemoContext, register_demo_loader, upsert

    @register_demo_loader("projects")
    def load(ctx: DemoContext) -> None:
        _project, created = upsert(Project, code="gxq-001", defaults={...})
        ctx.report.add("key projects", created)

A loader must be idempotent (key every record on its natural key; ``upsert`` saves only what
changed, so a second load adds no audit history). A loader runs after the loaders named in its
``after``; loaders that do not depend on each other run in name order, so the order does not
follow INSTALLED_APPS and adding an app never reorders the others.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

DATA_DIR = Path(__file__).parent / "data"


@dataclass
class LoadReport:
    """How many records of each kind a load created (all zero on a second load)."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, created: bool) -> None:
        self.add_count(what, int(created))

    def add_count(self, what: str, n: int) -> None:
        self.created[what] = self.created.get(what, 0) + n


@dataclass
class DemoContext:
    report: LoadReport
    # False for `shouwei loaddemo --no-synthetic`: only the article's own figures are loaded.
    synthetic: bool = True


@dataclass(frozen=True)
class DemoLoader:
    name: str
    func: Callable[[DemoContext], object]
    after: tuple[str, ...] = ()


_registry: dict[str, DemoLoader] = {}
_discovered = False


def register_demo_loader(
    name: str, *, after: Iterable[str] = ()
) -> Callable[[Callable[[DemoContext], object]], Callable[[DemoContext], object]]:
    """Register ``func(ctx)`` as the demo loader called ``name``."""

    def register(func: Callable[[DemoContext], object]) -> Callable[[DemoContext], object]:
        existing = _registry.get(name)
        if existing is not None and _qualname(existing.func) != _qualname(func):
            raise ImproperlyConfigured(
                f"demo loader {name!r} registered twice: {_qualname(existing.func)} and "
                f"{_qualname(func)}"
            )
        _registry[name] = DemoLoader(name=name, func=func, after=tuple(after))
        return func

    return register


def _qualname(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def demo_loaders() -> list[DemoLoader]:
    """Every app's registered loader, in the order they run."""
    global _discovered
    if not _discovered:
        autodiscover_modules("demo")
        _discovered = True
    return in_order(_registry.values())


def in_order(loaders: Iterable[DemoLoader]) -> list[DemoLoader]:
    """After their ``after``, otherwise by name; an unknown name or a cycle is refused."""
    pending = {loader.name: loader for loader in loaders}
    for loader in pending.values():
        unknown = sorted(set(loader.after) - set(pending))
        if unknown:
            raise ImproperlyConfigured(
                f"demo loader {loader.name!r} runs after {', '.join(unknown)}, "
                "which no app registers"
            )
    done: list[DemoLoader] = []
    names: set[str] = set()
    while pending:
        ready = sorted(n for n, loader in pending.items() if set(loader.after) <= names)
        if not ready:
            raise ImproperlyConfigured(
                f"demo loaders wait for each other: {', '.join(sorted(pending))}"
            )
        done.append(pending.pop(ready[0]))
        names.add(ready[0])
    return done


def data_file(name: str) -> Path:
    """A file of the demo's data (``demo/data/``: FACTS.md as TOML, the seed article)."""
    return DATA_DIR / name


def read_toml(name: str) -> dict:
    """``demo/data/<name>.toml`` as a dict."""
    with open(data_file(f"{name}.toml"), "rb") as fh:
        return tomllib.load(fh)


def upsert(model, *, defaults: dict, **lookup):
    """update_or_create that saves only when something changed, so that loading the demo again
    adds no empty versions to the audit history. Returns (object, created)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    changed = [k for k, v in defaults.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, defaults[k])
        obj.save()
    return obj, False


def decimal_or_none(value) -> Decimal | None:
    """A TOML number as an exact Decimal (through its text: 6.9 stays 6.9)."""
    return None if value is None else Decimal(str(value))


# --- The province at scale (``shouwei loaddemo --scale``, the benchmarks) -----------------


@dataclass(frozen=True)
class ScaleContext:
    """What an app's scale generator gets, filled in by ``shouwei.demo.province``: the size
    (``province.Size``: units, months, enterprises, requests, projects, leads), the seed, a
    progress callback ``tick(what, done, total)``, the demo's business "today", the ``source``
    text that marks a row as synthetic, and ``synthetic_units(n)``: the first n units of 模拟省
    (created when missing), for rows per unit."""

    size: Any
    seed: int
    tick: Callable[[str, int, int], object]
    as_of: date
    source: str
    synthetic_units: Callable[[int], list]


ScaleGenerator = Callable[[ScaleContext], dict]
_scale_registry: dict[str, ScaleGenerator] = {}
_scale_discovered = False


def register_scale_generator(name: str) -> Callable[[ScaleGenerator], ScaleGenerator]:
    """Register ``func(ctx) -> counts`` as the writer of app ``name``'s rows at scale (an app's
    ``demo_scale.py``, written with ``shouwei.demo.bulk.RowWriter``)."""

    def register(func: ScaleGenerator) -> ScaleGenerator:
        existing = _scale_registry.get(name)
        if existing is not None and _qualname(existing) != _qualname(func):
            raise ImproperlyConfigured(
                f"scale generator {name!r} registered twice: {_qualname(existing)} and "
                f"{_qualname(func)}"
            )
        _scale_registry[name] = func
        return func

    return register


def scale_generators() -> dict[str, ScaleGenerator]:
    """Every app's registered scale generator by name (discovering the apps' ``demo_scale``)."""
    global _scale_discovered
    if not _scale_discovered:
        autodiscover_modules("demo_scale")
        _scale_discovered = True
    return dict(_scale_registry)
