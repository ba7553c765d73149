"""Evaluation engine benchmark: 178 units × 40 indicators.

Run: ``python benchmarks/bench_evaluation.py [--draws 1000] [--repeat 5]``. Prints a Markdown
table: every method's single run, then Monte Carlo rank uncertainty over 1,000 weight draws —
ours (all draws at once) against pymcdm called once per draw on the same draws, with the ratio,
and a check that both give the same ranks.

BLAS threads default to 1 (set OPENBLAS_NUM_THREADS to override): the products here are small
(1,000 × 40 by 40 × 178), and on a shared 2-core machine thread hand-offs cost more than they
save.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

# Before numpy is imported: OpenBLAS reads its thread count once, at load time.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from pymcdm import methods as pm
from pymcdm import normalizations as pn

from shouwei.evaluation import DecisionMatrix, evaluate, what_it_takes
from shouwei.evaluation.uncertainty import dirichlet_weights, monte_carlo

UNITS, INDICATORS = 178, 40


def timings(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """(best wall, median wall, best CPU) seconds over ``repeat`` calls.

    CPU time (this process only) shows the work done when other jobs share the two cores.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), statistics.median(walls), min(cpus)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def problem() -> tuple[np.ndarray, np.ndarray, DecisionMatrix]:
    rng = np.random.default_rng(2022)
    x = rng.lognormal(mean=3.0, sigma=1.0, size=(UNITS, INDICATORS))
    directions = np.where(rng.random(INDICATORS) < 0.3, -1, 1)
    data = DecisionMatrix.from_arrays(
        [f"zone-{i:03d}" for i in range(UNITS)], [f"ind-{j:02d}" for j in range(INDICATORS)], x
    )
    return x, directions, data


def pymcdm_per_draw(method, x, weight_draws, directions) -> np.ndarray:
    ranks = np.empty((weight_draws.shape[0], x.shape[0]))
    for d, w in enumerate(weight_draws):
        ranks[d] = method.rank(method(x, w, directions, validation=False))
    return ranks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    x, directions, data = problem()
    named = dict(zip(data.indicators, directions.tolist(), strict=True))
    lines = [
        f"numpy {np.__version__}, Python {platform.python_version()}, "
        f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
        f"{os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.1f}",
        "",
        f"Single run, {UNITS} units × {INDICATORS} indicators (best / median of {args.repeat}):",
        "",
        "| method | scale | weights | best | median | CPU |",
        "|---|---|---|---|---|---|",
    ]
    for method in ["weighted_sum", "geometric", "topsis", "vikor", "efficacy"]:
        for weights in ["equal", "entropy", "critic"]:
            best, median, cpu = timings(
                lambda m=method, w=weights: evaluate(data, method=m, weights=w, directions=named),
                args.repeat,
            )
            scale = evaluate(data, method=method).normalisation
            lines.append(
                f"| {method} | {scale} | {weights} | {ms(best)} | {ms(median)} | {ms(cpu)} |"
            )

    result = evaluate(data, method="weighted_sum", directions=named)
    middle = result.units[int(np.argsort(result.ranks)[UNITS // 2])]
    best, median, cpu = timings(lambda: what_it_takes(result, middle), args.repeat)
    lines.append(
        f"| what it takes, weighted_sum (analytic) | minmax | equal | {ms(best)} | {ms(median)} "
        f"| {ms(cpu)} |"
    )
    topsis_result = evaluate(data, method="topsis", directions=named)
    best, median, cpu = timings(
        lambda: what_it_takes(topsis_result, middle), max(args.repeat // 2, 1)
    )
    lines.append(
        f"| what it takes, topsis (bisection) | vector | equal | {ms(best)} | {ms(median)} "
        f"| {ms(cpu)} |"
    )

    w = np.full(INDICATORS, 1.0 / INDICATORS)
    kappa = 10.0 * INDICATORS
    draws = dirichlet_weights(np.random.default_rng(42), w, kappa, args.draws)
    lines += [
        "",
        f"Monte Carlo, {args.draws:,} Dirichlet weight draws (κ = {kappa:g}), ranks of all "
        f"{UNITS} units per draw, then median, 5–95 % interval, P(1st), P(≤ 2):",
        "",
        "| method (scale) | ours best | ours median | ours CPU | pymcdm once per draw "
        "| pymcdm CPU | ratio (median) | ratio (CPU) | same ranks |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    cases = [
        ("weighted_sum", "minmax", pm.WSM(pn.minmax_normalization)),
        ("topsis", "vector", pm.TOPSIS(pn.vector_normalization)),
        ("topsis", "minmax", pm.TOPSIS(pn.minmax_normalization)),
        ("vikor", "minmax", pm.VIKOR()),
    ]
    for method, scale, reference in cases:

        def ours(method=method, scale=scale):
            return monte_carlo(
                x,
                directions,
                w,
                draws=args.draws,
                seed=42,
                concentration=kappa,
                normalisations=(scale,),
                methods=(method,),
            )

        best, median, cpu = timings(ours, args.repeat)
        wall, cpu_start = time.perf_counter(), time.process_time()
        theirs = pymcdm_per_draw(reference, x, draws, directions)
        their_cpu = time.process_time() - cpu_start
        their_wall = time.perf_counter() - wall
        same = bool(np.array_equal(ours().ranks, theirs.astype(np.int64)))
        lines.append(
            f"| {method} ({scale}) | {ms(best)} | {ms(median)} | {ms(cpu)} | {ms(their_wall)} "
            f"| {ms(their_cpu)} | {their_wall / median:,.0f}× | {their_cpu / cpu:,.0f}× "
            f"| {'yes' if same else 'NO'} |"
        )

    def mixed():
        return monte_carlo(
            x,
            directions,
            w,
            draws=args.draws,
            seed=42,
            concentration=kappa,
            normalisations=("minmax", "zscore", "vector", "rank"),
            methods=("weighted_sum", "topsis", "vikor"),
        )

    best, median, cpu = timings(mixed, args.repeat)
    lines.append(
        f"| 4 scales × 3 methods, mixed | {ms(best)} | {ms(median)} | {ms(cpu)} "
        "| — | — | — | — | — |"
    )
    lines.append(f"\nLoad average at end {os.getloadavg()[0]:.1f}.")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
