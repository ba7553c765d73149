"""Stack headroom for requests and commands: works around CPython's stack-chunk thrashing
(gh-142183).

CPython keeps the frames of Python calls in chunks of 16 KiB and frees a chunk as soon as
its first frame returns. A loop that calls a function from a frame lying just below a
chunk's end therefore allocates (mmap) and frees (munmap) a chunk on every call: 7 µs
instead of 50 ns on this machine, in 3.11.7, 3.12.1 and 3.13.0 alike (upstream keeps one
spare chunk since March 2026, gh-145789, in 3.13 and later releases only). A page is
rendered 150–300 frames deep, so where its hot loops land is a matter of chance: the
observation list's rows took 21 ms inside a request and 5 ms outside one, a list page made
930 mmap/munmap pairs (strace), and a change that made the rows faster alone left a request
as slow (docs/benchmarks.md, "Mixed load").

``run_with_headroom`` calls its function from a frame whose declared evaluation stack is
512 KiB: it cannot fit the current chunk, so CPython gives it a new 1 MiB chunk and every
frame made below it lands in the half left over; nothing is written to the unused slots, so
only the pages really used are touched. ``shouwei serve``'s workers run their whole loop
under it (``HeadroomWorker``: one chunk for the worker's life); any other WSGI server gets it
per request from ``with_headroom``; every ``shouwei`` command runs under it (shouwei.cli).
Harmless where CPython is fixed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

# 64 Ki pointers (512 KiB): more than a chunk of 16 KiB, so the frame always starts a chunk,
# and with CPython's rounding to a power of two (8 · (size + 1000) → 1 MiB) it leaves about
# 500 KiB below it — thousands of frames, more than any page here reaches.
HEADROOM_SLOTS = 64 * 1024

_reserved = threading.local()


def under_headroom() -> bool:
    """Whether this thread is already running below a headroom frame."""
    return getattr(_reserved, "active", False)


def run_with_headroom(fn: Callable[..., Any], *args: Any) -> Any:
    outer = under_headroom()
    _reserved.active = True
    try:
        return fn(*args)
    finally:
        _reserved.active = outer


run_with_headroom.__code__ = run_with_headroom.__code__.replace(
    co_stacksize=run_with_headroom.__code__.co_stacksize + HEADROOM_SLOTS
)


def with_headroom(application: Callable[..., Any]) -> Callable[..., Any]:
    """A WSGI application that serves each request below a headroom frame, unless the server
    already runs it below one (``HeadroomWorker``): a second 512 KiB frame would not fit the
    first's chunk and would cost a chunk a request again."""

    def serve(environ, start_response):
        if under_headroom():
            return application(environ, start_response)
        return run_with_headroom(application, environ, start_response)

    return serve
