"""The gunicorn worker of ``shouwei serve``."""

from __future__ import annotations

from gunicorn.workers.sync import SyncWorker

from .stack import run_with_headroom


class HeadroomWorker(SyncWorker):
    """gunicorn's sync worker, its request loop run below a headroom frame: one stack chunk
    reserved for the worker's life instead of one a request (shouwei.core.stack says why)."""

    def run(self) -> None:
        run_with_headroom(super().run)
