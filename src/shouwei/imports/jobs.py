"""Periodic jobs of the import framework (run by ``shouwei worker``, see core.schedule)."""

from __future__ import annotations

from datetime import timedelta

from shouwei.core.schedule import periodic

from . import services


@periodic("imports.recover_stale", every=timedelta(minutes=5))
def recover_stale_batches() -> int:
    """Batches left 校验中/写入中 by a process that died are marked failed, with the reason."""
    return services.recover_stale()
