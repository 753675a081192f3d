"""Fairlearn 0.15's ExponentiatedGradient and GridSearch on the matrices fairfit wrote, side by
side with fairfit's figures. Outside CI.

    cargo run --release --example reductions_adult          # writes results/reductions_adult/
    python3 benches/python/fairlearn_reductions.py          # from the repository root
    python3 benches/python/fairlearn_reductions.py --grid-only   # grid search alone

The learner is scikit-learn's LogisticRegression with C = 1 / (n * l2), the objective fairfit
minimises (the mean loss plus l2/2 |w|^2, intercept not penalised; Fairlearn normalises the
cost-sensitive weights to sum to n). The constraints are DemographicParity / EqualizedOdds with
difference_bound = eps (differences to the overall rate), as in the Rust example. Reported per
run: the training gap *between* the groups of the expected decisions (every component decides
hard; Fairlearn's `_pmf_predict`), the expected test accuracy and the wall and CPU time.
"""

import json
import os
import sys
import time

import numpy as np
from fairlearn.reductions import (
    DemographicParity,
    EqualizedOdds,
    ExponentiatedGradient,
    GridSearch,
)
from sklearn.linear_model import LogisticRegression

DIR = os.environ.get("FAIRFIT_RESULTS", "results/reductions_adult")


def load(name):
    x = np.loadtxt(os.path.join(DIR, f"x_{name}.csv"), delimiter=",")
    y = np.loadtxt(os.path.join(DIR, f"y_{name}.csv")).astype(int)
    g = np.loadtxt(os.path.join(DIR, f"group_{name}.csv")).astype(int)
    return x, y, g


def rates(p, y, g, cond):
    """Per-group mean of p over rows where cond holds."""
    return [p[(g == k) & cond].mean() for k in np.unique(g)]


def gap(notion, p, y, g):
    """Between-group difference of the expected decisions p (worst statistic for EO)."""
    if notion == "demographic_parity":
        stats = [np.ones_like(y, dtype=bool)]
    else:
        stats = [y == 1, y == 0]
    return max(max(r) - min(r) for r in (rates(p, y, g, c) for c in stats))


def accuracy(p, y):
    return float(np.mean(y * p + (1 - y) * (1 - p)))


def timed(f):
    wall, cpu = time.perf_counter(), time.process_time()
    out = f()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main():
    with open(os.path.join(DIR, "fairfit.json")) as f:
        ours = json.load(f)
    l2 = ours["l2"]
    xtr, ytr, gtr = load("train")
    xte, yte, gte = load("test")
    n = len(ytr)
    learner = LogisticRegression(C=1.0 / (n * l2), max_iter=1000)
    moments = {"demographic_parity": DemographicParity, "equalized_odds": EqualizedOdds}
    print(f"Adult: {n} x {xtr.shape[1]}; LogisticRegression(C={1.0 / (n * l2):.4f}, lbfgs)")
    header = (
        f"{'notion':<19}{'eps':>6} | {'gap fairfit':>11}{'gap FL':>9}{'diff':>8} | "
        f"{'acc fairfit':>11}{'acc FL':>9}{'diff':>8} | {'s fairfit':>9}{'s FL':>8}"
    )
    print(header)
    print("-" * len(header))
    totals = {}
    runs = [] if "--grid-only" in sys.argv else ours["exponentiated_gradient"]
    for row in runs:
        notion, eps = row["notion"], row["epsilon"]
        mitigator = ExponentiatedGradient(learner, moments[notion](difference_bound=eps))
        _, wall, cpu = timed(lambda: mitigator.fit(xtr, ytr, sensitive_features=gtr))
        p_tr = mitigator._pmf_predict(xtr)[:, 1]
        p_te = mitigator._pmf_predict(xte)[:, 1]
        g_fl, a_fl = gap(notion, p_tr, ytr, gtr), accuracy(p_te, yte)
        t = totals.setdefault(notion, [0.0, 0.0, 0.0, 0.0])
        t[0] += row["seconds"]
        t[1] += wall
        t[2] += cpu
        t[3] += row["cpu_seconds"]
        print(
            f"{notion:<19}{eps:>6} | {row['train_gap']:>11.4f}{g_fl:>9.4f}"
            f"{row['train_gap'] - g_fl:>+8.4f} | {row['test_accuracy']:>11.4f}{a_fl:>9.4f}"
            f"{row['test_accuracy'] - a_fl:>+8.4f} | {row['seconds']:>9.2f}{wall:>8.2f}",
            flush=True,
        )
    for notion, (ff, wall, cpu, ff_cpu) in totals.items():
        print(
            f"{notion}: fairfit {ff:.2f} s wall ({ff_cpu:.2f} s CPU), Fairlearn {wall:.2f} s "
            f"wall ({cpu:.2f} s CPU): {wall / ff:.1f}x wall, {cpu / ff_cpu:.1f}x CPU"
        )
    grid = ours["grid_search"]
    size = grid["grid_size"]
    search = GridSearch(learner, DemographicParity(), grid_size=size)
    _, wall, cpu = timed(lambda: search.fit(xtr, ytr, sensitive_features=gtr))
    d_tr = search.predict(xtr).astype(float)
    d_te = search.predict(xte).astype(float)
    g_fl, a_fl = gap("demographic_parity", d_tr, ytr, gtr), accuracy(d_te, yte)
    print(
        f"grid search ({size} points, DP): best index fairfit {grid['best_index']}, "
        f"Fairlearn {search.best_idx_}; train gap {grid['train_gap']:.4f} vs {g_fl:.4f}; "
        f"test accuracy {grid['test_accuracy']:.4f} vs {a_fl:.4f}; "
        f"{grid['seconds']:.2f} s ({grid['cpu_seconds']:.2f} s CPU) vs {wall:.2f} s wall "
        f"({cpu:.2f} s CPU): {wall / grid['seconds']:.1f}x wall, "
        f"{cpu / grid['cpu_seconds']:.1f}x CPU"
    )


if __name__ == "__main__":
    sys.exit(main())
