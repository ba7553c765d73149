"""Ranking a peer group: pure functions, no database.

Ties get competition ranks ("1224"): equal figures share the best rank and the next rank
skips, as statistical bulletins print them. Units without a figure are listed, not ranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def competition_ranks(
    values: Sequence[Decimal | float | int | None], *, lower_is_better: bool = False
) -> list[int | None]:
    present = [v for v in values if v is not None]
    ranks: list[int | None] = []
    for v in values:
        if v is None:
            ranks.append(None)
            continue
        better = sum(1 for w in present if (w < v if lower_is_better else w > v))
        ranks.append(better + 1)
    return ranks
