"""Composite evaluation engine: normalise, weight, aggregate, rank, and say how sure the rank
is and what it would take to move up. Pure numpy — nothing in this package imports Django,
so ``shouwei evaluate`` runs without settings or a database.

Entry points: :func:`evaluate` (a whole run), :func:`read_decision_matrix` (CSV input),
:func:`what_it_takes`, and the building blocks in :mod:`~shouwei.evaluation.normalise`,
:mod:`~shouwei.evaluation.weights`, :mod:`~shouwei.evaluation.aggregate`,
:mod:`~shouwei.evaluation.missing` and :mod:`~shouwei.evaluation.uncertainty`.
"""

from shouwei.evaluation.data import (
    DecisionMatrix,
    PairwiseMatrix,
    read_decision_matrix,
    read_pairwise,
)
from shouwei.evaluation.errors import EvaluationError, EvaluationWarning
from shouwei.evaluation.pipeline import Evaluation, evaluate
from shouwei.evaluation.uncertainty import RankUncertainty, monte_carlo
from shouwei.evaluation.whatittakes import IndicatorChange, WhatItTakes, what_it_takes

__all__ = [
    "DecisionMatrix",
    "Evaluation",
    "EvaluationError",
    "EvaluationWarning",
    "IndicatorChange",
    "PairwiseMatrix",
    "RankUncertainty",
    "WhatItTakes",
    "evaluate",
    "monte_carlo",
    "read_decision_matrix",
    "read_pairwise",
    "what_it_takes",
]
