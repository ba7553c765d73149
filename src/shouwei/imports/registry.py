"""Importers by key: ``register_importer("observations", ObservationImporter)``.

Apps register in their ``importers.py``; ImportsConfig.ready() imports that module of every
installed app (``autodiscover_modules``), so registering is all an app does.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import Importer

_importers: dict[str, type[Importer]] = {}


def register_importer(key: str, importer: type[Importer]) -> None:
    known = _importers.get(key)
    if known is not None and known is not importer:
        raise ImproperlyConfigured(f"import key {key!r} is already registered by {known!r}")
    importer.key = key
    _importers[key] = importer


def get_importer(key: str) -> Importer | None:
    """A fresh importer (it caches look-ups for one run), or None for an unknown key."""
    cls = _importers.get(key)
    return cls() if cls is not None else None


def registered_importers() -> dict[str, type[Importer]]:
    return dict(_importers)
