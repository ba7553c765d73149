"""Competition ranks ("1224"), for one score vector or a batch of Monte Carlo draws.

Equal scores share the best rank and the next rank skips, as statistical bulletins print
ranks (and as ``shouwei.indicators.ranking`` does). Scores closer than ``TIE_TOLERANCE`` times
the largest absolute score are equal: the same data summed in a different order can differ
in the last bit, and a duplicated unit must never be ranked below its twin.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from shouwei.evaluation.common import IntArray

TIE_TOLERANCE = 1e-12


def competition_ranks(scores: npt.ArrayLike, *, higher_is_better: bool = True) -> IntArray:
    """Rank each row of ``scores`` (1-D: one ranking; 2-D: one ranking per row).

    One argsort over the whole batch and flat gathers/scatters: no Python loop over draws.
    """
    s = np.asarray(scores, dtype=np.float64)
    batch = np.atleast_2d(s)
    draws, units = batch.shape
    best_first = -batch if higher_is_better else batch
    # Equal scores are adjacent after any sort and all take the rank of the first of them,
    # so the faster unstable sort gives the same ranks as a stable one.
    order = np.argsort(best_first, axis=1)
    flat = order + (np.arange(draws) * units)[:, None]
    ordered = best_first.ravel()[flat]
    tolerance = TIE_TOLERANCE * np.max(np.abs(batch), axis=1, keepdims=True)
    starts_group = np.ones((draws, units), dtype=bool)
    starts_group[:, 1:] = (ordered[:, 1:] - ordered[:, :-1]) > tolerance
    first_position = np.where(starts_group, np.arange(units), 0)
    np.maximum.accumulate(first_position, axis=1, out=first_position)
    ranks = np.empty(draws * units, dtype=np.int64)
    ranks[flat] = first_position + 1
    return ranks if s.ndim == 1 else ranks.reshape(draws, units)


def rank_quantiles(ranks: IntArray, quantiles: tuple[float, ...]) -> IntArray:
    """Per-unit quantiles of a draws × units rank array by the inverted empirical CDF.

    The q-quantile is the smallest rank r with P̂(rank ≤ r) ≥ q, i.e. the ⌈q·d⌉-th smallest
    of the d draws (numpy's ``method="inverted_cdf"``), so it is always a rank that occurred.
    Returns len(quantiles) × units.
    """
    draws = ranks.shape[0]
    # The guard absorbs binary rounding of q·d (0.95 × 1000 = 949.999…95 before rounding).
    positions = [max(math.ceil(q * draws - 1e-9), 1) - 1 for q in quantiles]
    return np.sort(ranks.T, axis=1)[:, positions].T
