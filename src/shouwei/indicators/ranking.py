"""Ranking a peer group: pure functions, no database.

Ties get competition ranks ("1224"): equal figures share the best rank and the next rank
skips, as statistical bulletins print them. Units without a figure are listed, not ranked.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from decimal import Decimal


def competition_ranks(
    values: Sequence[Decimal | float | int | None], *, lower_is_better: bool = False
) -> list[int | None]:
    # Sorted once and bisected: a cockpit ranks 150 peers × 36 periods × every indicator, where
    # counting the better figures for each unit (n²) showed up as seconds of CPU.
    present = sorted(v for v in values if v is not None)
    n = len(present)
    ranks: list[int | None] = []
    for v in values:
        if v is None:
            ranks.append(None)
        elif lower_is_better:
            ranks.append(bisect_left(present, v) + 1)
        else:
            ranks.append(n - bisect_right(present, v) + 1)
    return ranks


def competition_rank_of(
    value: Decimal | float | int | None,
    values: Sequence[Decimal | float | int | None],
    *,
    lower_is_better: bool = False,
) -> int | None:
    """``value``'s rank among ``values`` (which include it), the same as its entry in
    ``competition_ranks``: one more than the number of strictly better figures. Rank histories
    need one unit's rank in hundreds of rankings; ranking every peer each time was most of a
    province-scale cockpit's CPU."""
    if value is None:
        return None
    if lower_is_better:
        return 1 + sum(1 for v in values if v is not None and v < value)
    return 1 + sum(1 for v in values if v is not None and v > value)
