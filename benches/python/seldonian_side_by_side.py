r"""Seldonian toolkit (seldonian-engine 0.8.11) side by side with fairfit's high-confidence mode
(``fairfit.HighConfidenceClassifier``) on COMPAS, the same matrices and the same splits. Outside CI.

    python3.10 -m venv venv && venv/bin/pip install -r benches/python/requirements-seldonian.txt
    cd crates/fairfit-py && VIRTUAL_ENV=$PWD/../../venv ../../venv/bin/maturin develop --release && cd -
    venv/bin/python benches/python/seldonian_side_by_side.py                  # R = 20, eps 0.05 0.1
    venv/bin/python benches/python/seldonian_side_by_side.py --runs 3 --eps 0.1   # a quick look

Versions measured: Python 3.10, seldonian-engine 0.8.11 (autograd 1.9.1), numpy 2.2.6,
scikit-learn 1.7.2, fairfit from this repository (``maturin develop --release``). Python 3.10
because seldonian-engine 0.8.11 pins matplotlib 3.5.1; crates/fairfit-py/install.sh pins numpy 2.4
(Python >= 3.11), so here maturin is run directly. Fitting one side alone and merging:
``--fairfit-candidates`` (none: seldonian alone), ``--skip-seldonian``, then ``--from a.jsonl b.jsonl``
prints the table from the per-run rows (the splits depend only on ``--seed``).

Data: COMPAS encoded by the protocol in datasets/README.md (ProPublica's filter, African-American
and Caucasian defendants, 5,278 rows, 11 features: age, priors_count, juv_fel_count,
juv_misd_count, juv_other_count standardised on the protocol's train rows (id % 10 < 7), one-hot
c_charge_degree and age_cat, sex=Female; label two_year_recid; sensitive attribute race). The
protocol's train and test rows are pooled; each of R seeded re-splits, stratified by race x label,
holds out 30 % and gives the rest to both methods as their training rows (each method makes its own
candidate / safety split inside, safety fraction 0.6 on both sides).

Notion: demographic parity difference by race, |P(d=1 | AA) - P(d=1 | C)| <= eps with probability
1 - delta, Student-t bounds on both sides (seldonian's default ``ttest``; fairfit ``student_t``).
Seldonian's constraint is ``abs((PR | [AA]) - (PR | [C])) - eps`` with
``BinaryLogisticRegressionModel`` and ``binary_logistic_loss``, gradient descent (adam) from
scikit-learn's logistic fit with the hyper-parameters of seldonian's own
``createSupervisedSpec`` (lambda_init 0.5, step 0.01, 1000 iterations). Note that seldonian's PR
is the mean predicted *probability* (a soft rate), while fairfit certifies the rate of hard
decisions; both are judged here on hard decisions at 0.5, the figure a deployed rule produces.

Every returned model is read by one function (``evaluate``) on the held-out rows: accuracy, the
hard-decision DP gap, and whether its decisions are constant (a constant rule is counted and
named, never a success). Reported per method and eps: runs, no-solution rate, violation rate
(share of *returned* models whose held-out gap exceeds eps), mean held-out accuracy of returned
models, constant rules, mean fit wall-clock seconds (time.perf_counter around the fit alone), and
the seldonian / fairfit time ratio. Per-run rows go to ``--out`` as JSON lines; seldonian's rows
also carry ``soft_gap``, the held-out gap of its mean predicted probabilities (what it bounds).
fairfit runs with its default grid for each candidate kind (``penalty``, ``target``, and with
``--fairfit-candidates penalty target thresholds`` also ``thresholds``, whose rule reads the group at
decision time, unlike the other two and seldonian's model).

The run reported for issue 12 (seldonian alone, then fairfit alone, then the merged table):

    python benches/python/seldonian_side_by_side.py --runs 20 --fairfit-candidates \
        --out results/seldonian_side_by_side/runs-seldonian.jsonl
    python benches/python/seldonian_side_by_side.py --runs 20 --skip-seldonian \
        --fairfit-candidates penalty target thresholds \
        --out results/seldonian_side_by_side/runs-fairfit.jsonl
    python benches/python/seldonian_side_by_side.py --from \
        results/seldonian_side_by_side/runs-fairfit.jsonl results/seldonian_side_by_side/runs-seldonian.jsonl
    python benches/python/seldonian_side_by_side.py --runs 20 --eps 0.2 \
        --fairfit-candidates penalty target thresholds \
        --out results/seldonian_side_by_side/runs-eps0.2.jsonl     # a looser eps, both in one run

Fit times are wall-clock on whatever machine runs this; the figures reported for issue 12 were taken
on a 2-core machine under a load average of about 7-8 from other work, so read the ratios, not the
seconds.
"""

import argparse
import csv
import json
import os
import sys
import time
import warnings

import numpy as np
from sklearn.model_selection import train_test_split

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NUMERIC = ["age", "priors_count", "juv_fel_count", "juv_misd_count", "juv_other_count"]
CATEGORICAL = ["c_charge_degree", "age_cat"]
RACES = ["African-American", "Caucasian"]


def load_compas(path):
    """COMPAS by the protocol of datasets/README.md: (X, y, race) over the 5,278 rows, pooled."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        col = {}
        for i, name in enumerate(header):
            col.setdefault(name, i)  # the file repeats some names; the first one counts
        rows = []
        for r in reader:
            days = r[col["days_b_screening_arrest"]]
            if days == "" or abs(float(days)) > 30:
                continue
            if r[col["is_recid"]] == "-1" or r[col["c_charge_degree"]] == "O":
                continue
            if r[col["score_text"]] == "N/A" or r[col["race"]] not in RACES:
                continue
            rows.append(r)
    train = np.array([int(r[col["id"]]) % 10 < 7 for r in rows])
    num = np.array([[float(r[col[c]]) for c in NUMERIC] for r in rows])
    mean, std = num[train].mean(axis=0), num[train].std(axis=0)
    parts = [(num - mean) / std]
    names = list(NUMERIC)
    for c in CATEGORICAL:
        values = np.array([r[col[c]] for r in rows])
        for level in sorted(set(values[train])):
            parts.append((values == level).astype(float)[:, None])
            names.append(f"{c}={level}")
    parts.append(np.array([[float(r[col["sex"]] == "Female")] for r in rows]))
    names.append("sex=Female")
    x = np.hstack(parts)
    y = np.array([int(r[col["two_year_recid"]]) for r in rows])
    race = np.array([RACES.index(r[col["race"]]) for r in rows])
    assert x.shape == (5278, 11) and train.sum() == 3687, (x.shape, train.sum())
    return x, y, race, names


def evaluate(decisions, y, race):
    """Held-out reading shared by every method: accuracy, hard-decision DP gap, constant rule."""
    d = np.asarray(decisions).astype(int)
    rates = [d[race == k].mean() for k in (0, 1)]
    return {
        "accuracy": float((d == y).mean()),
        "gap": float(abs(rates[0] - rates[1])),
        "constant": bool(d.min() == d.max()),
    }


def fit_fairfit(x, y, race, eps, delta, candidates, seed):
    """fairfit's HighConfidenceClassifier; returns a decision function or None (no solution)."""
    import fairfit

    model = fairfit.HighConfidenceClassifier(
        constraints="demographic_parity", eps=eps, delta=delta, candidates=candidates,
        safety_fraction=0.6, bound="student_t", random_state=seed,
    )
    try:
        model.fit(x, y, sensitive_features=race)
    except fairfit.FitError:
        return None
    return lambda xt, rt: model.predict(xt, sensitive_features=rt)


def fit_seldonian(x, y, race, eps, delta, num_iters, seed):
    """seldonian-engine's SeldonianAlgorithm; returns a decision function or None (NSF)."""
    from seldonian.dataset import SupervisedDataSet, SupervisedMetaData
    from seldonian.models import objectives
    from seldonian.models.models import BinaryLogisticRegressionModel
    from seldonian.parse_tree.parse_tree import make_parse_trees_from_constraints
    from seldonian.seldonian_algorithm import SeldonianAlgorithm
    from seldonian.spec import SupervisedSpec
    from seldonian.utils.stats_utils import default_supervised_initial_solution_fn

    # Seldonian puts the first (1 - frac) rows in candidate selection: shuffle with the run's seed.
    order = np.random.default_rng(seed).permutation(len(y))
    x, y, race = x[order], y[order], race[order]
    sens = np.column_stack([(race == 0), (race == 1)]).astype(int)
    features = [f"x{i}" for i in range(x.shape[1])]
    meta = SupervisedMetaData(
        "classification", all_col_names=features + ["AA", "C", "label"],
        feature_col_names=features, label_col_names=["label"], sensitive_col_names=["AA", "C"],
    )
    data = SupervisedDataSet(features=x, labels=y, sensitive_attrs=sens,
                             num_datapoints=len(y), meta=meta)
    trees = make_parse_trees_from_constraints(
        [f"abs((PR | [AA]) - (PR | [C])) - {eps}"], [delta], regime="supervised_learning",
        sub_regime="classification", columns=["AA", "C"], delta_weight_method="equal",
    )
    model = BinaryLogisticRegressionModel()
    spec = SupervisedSpec(
        dataset=data, model=model, parse_trees=trees, sub_regime="classification",
        frac_data_in_safety=0.6, primary_objective=objectives.binary_logistic_loss,
        initial_solution_fn=default_supervised_initial_solution_fn,
        optimization_technique="gradient_descent", optimizer="adam",
        optimization_hyperparams={
            "lambda_init": np.array([0.5]), "alpha_theta": 0.01, "alpha_lamb": 0.01,
            "beta_velocity": 0.9, "beta_rmsprop": 0.95, "use_batches": False,
            "num_iters": num_iters, "gradient_library": "autograd", "hyper_search": None,
            "verbose": False,
        },
        verbose=False,
    )
    passed, theta = SeldonianAlgorithm(spec).run()
    if not passed or isinstance(theta, str):
        return None
    decide = lambda xt, rt: (model.predict(theta, xt) >= 0.5).astype(int)
    # The gap seldonian bounds: between the groups' mean predicted probabilities (soft).
    decide.soft_gap = lambda xt, rt: float(abs(np.mean(model.predict(theta, xt[rt == 0]))
                                               - np.mean(model.predict(theta, xt[rt == 1]))))
    return decide


def summarise(rows, eps):
    """One line per method for this eps."""
    lines = []
    for method in dict.fromkeys(r["method"] for r in rows):
        mine = [r for r in rows if r["method"] == method]
        got = [r for r in mine if r["returned"]]
        line = {
            "eps": eps, "method": method, "runs": len(mine),
            "no_solution_pct": 100.0 * (len(mine) - len(got)) / len(mine),
            "violation_pct": 100.0 * np.mean([r["gap"] > eps for r in got]) if got else None,
            "accuracy": float(np.mean([r["accuracy"] for r in got])) if got else None,
            "mean_gap": float(np.mean([r["gap"] for r in got])) if got else None,
            "constant_rules": sum(r["constant"] for r in got),
            "soft_gap": (float(np.mean([r["soft_gap"] for r in got]))
                         if got and all("soft_gap" in r for r in got) else None),
            "fit_seconds": float(np.mean([r["seconds"] for r in mine])),
        }
        lines.append(line)
    return lines


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=20, help="seeded stratified re-splits (R)")
    p.add_argument("--eps", type=float, nargs="+", default=[0.05, 0.1])
    p.add_argument("--delta", type=float, default=0.05)
    p.add_argument("--holdout", type=float, default=0.3)
    p.add_argument("--seed", type=int, default=0, help="re-split r uses seed + r")
    p.add_argument("--num-iters", type=int, default=1000, help="seldonian gradient-descent steps")
    p.add_argument("--fairfit-candidates", nargs="*", default=["penalty", "target"],
                   help="fairfit candidate generators, one method row each")
    p.add_argument("--skip-seldonian", action="store_true")
    p.add_argument("--data", default=os.path.join(ROOT, "datasets", "compas-scores-two-years.csv"))
    p.add_argument("--from", dest="inputs", nargs="+", metavar="JSONL",
                   help="fit nothing: summarise per-run rows written by earlier runs")
    p.add_argument("--out", default=os.path.join(ROOT, "results", "seldonian_side_by_side",
                                                 "runs.jsonl"))
    args = p.parse_args()
    warnings.filterwarnings("ignore")

    if args.inputs:
        rows = [json.loads(line) for f in args.inputs for line in open(f) if line.strip()]
        eps_seen = list(dict.fromkeys(r["eps"] for r in rows))
        report([s for e in eps_seen for s in summarise([r for r in rows if r["eps"] == e], e)],
               eps_seen)
        return 0
    x, y, race, _ = load_compas(args.data)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    methods = [(f"fairfit-{c}", lambda xt, yt, rt, e, s, c=c:
                fit_fairfit(xt, yt, rt, e, args.delta, c, s)) for c in args.fairfit_candidates]
    if not args.skip_seldonian:
        methods.append(("seldonian", lambda xt, yt, rt, e, s:
                        fit_seldonian(xt, yt, rt, e, args.delta, args.num_iters, s)))
    print(f"COMPAS {x.shape[0]} rows x {x.shape[1]} features; R={args.runs}, eps={args.eps}, "
          f"delta={args.delta}, holdout={args.holdout}", flush=True)
    summary = []
    with open(args.out, "w") as out:
        for eps in args.eps:
            rows = []
            for r in range(args.runs):
                seed = args.seed + r
                tr, te = train_test_split(np.arange(len(y)), test_size=args.holdout,
                                          random_state=seed, stratify=race * 2 + y)
                for name, fit in methods:
                    start = time.perf_counter()
                    decide = fit(x[tr], y[tr], race[tr], eps, seed)
                    seconds = time.perf_counter() - start
                    row = {"eps": eps, "run": r, "method": name, "seconds": seconds,
                           "returned": decide is not None}
                    row.update(evaluate(decide(x[te], race[te]), y[te], race[te]) if decide
                               else {"accuracy": None, "gap": None, "constant": False})
                    if decide is not None and hasattr(decide, "soft_gap"):
                        row["soft_gap"] = decide.soft_gap(x[te], race[te])
                    rows.append(row)
                    out.write(json.dumps(row) + "\n")
                    out.flush()
                    print(f"eps={eps} run={r} {name}: " + (
                        f"acc={row['accuracy']:.4f} gap={row['gap']:.4f}"
                        f"{' CONSTANT' if row['constant'] else ''}" if decide else "no solution")
                        + f" {seconds:.2f}s", flush=True)
            summary.extend(summarise(rows, eps))
    report(summary, args.eps)
    return 0


def report(summary, eps_values):
    """The markdown table and the seldonian / fairfit fit-time ratios."""
    print("\n| eps | method | runs | no solution % | violation % of returned | mean held-out "
          "accuracy | mean held-out gap | constant rules | mean fit s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for s in summary:
        print(f"| {s['eps']} | {s['method']} | {s['runs']} | {s['no_solution_pct']:.0f} | "
              f"{fmt(s['violation_pct'], '.0f')} | {fmt(s['accuracy'], '.4f')} | "
              f"{fmt(s['mean_gap'], '.4f')} | {s['constant_rules']} | {s['fit_seconds']:.3f} |")
    for s in summary:
        if s["soft_gap"] is not None:
            print(f"eps={s['eps']}: {s['method']} mean held-out gap of predicted probabilities "
                  f"(the soft rate it bounds) = {s['soft_gap']:.4f}")
    for eps in eps_values:
        sel = [s for s in summary if s["eps"] == eps and s["method"] == "seldonian"]
        for s in summary:
            if s["eps"] == eps and s["method"] != "seldonian" and sel:
                print(f"eps={eps}: seldonian / {s['method']} fit time = "
                      f"{sel[0]['fit_seconds'] / s['fit_seconds']:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
