"""Score sources other apps provide to the performance evaluation (the enterprises app's
request on-time and satisfaction rates, …), without either app importing the other.

An app that has figures to offer puts a module ``score_sources.py`` beside its models with a
mapping ``SCORE_SOURCES = {"enterprises.request_on_time": (label, fn), …}``, where
``fn(*, unit, year, as_of)`` returns ``None`` (no data for that unit) or a dict
``{"fraction": Decimal between 0 and 1, "facts": [{"label": str, "url": str}, …]}``.
This module finds those modules by name among the installed apps at run time (as core finds
``panels.py``), so the providing app never imports supervision and supervision imports no
app. A scheme item naming a source nobody provides scores "no data" (the item does not apply,
its weight goes to the other items), it is not an error: the providing app may simply not be
installed yet.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class ScoreSource:
    key: str
    label: str
    fn: Callable[..., dict | None]


_registry: dict[str, ScoreSource] = {}
_discovered = False


def register_score_source(key: str, label: str, fn: Callable[..., dict | None]) -> None:
    _registry[key] = ScoreSource(key=key, label=str(label), fn=fn)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "score_sources"):
            continue
        module = importlib.import_module(f"{config.name}.score_sources")
        for key, (label, fn) in getattr(module, "SCORE_SOURCES", {}).items():
            register_score_source(key, label, fn)
    _discovered = True


def score_source(key: str) -> ScoreSource | None:
    _discover()
    return _registry.get(key)


def available() -> list[ScoreSource]:
    _discover()
    return sorted(_registry.values(), key=lambda s: s.key)


def clamp_fraction(value) -> Decimal:
    fraction = Decimal(str(value))
    return min(max(fraction, Decimal(0)), Decimal(1))
