"""The new user's task, timed with fairfit's Python package and with Fairlearn 0.15 +
scikit-learn on Adult, on the same split and the same encoded matrices (outside CI).

    bash crates/fairfit-py/install.sh
    .venv/bin/pip install -r benches/python/requirements-new-user.txt
    .venv/bin/python benches/python/new_user_task.py            # from the repository root
    .venv/bin/python benches/python/new_user_task.py --fast     # 2 curve points, 200 resamples

The task, step for step the same in both toolkits:
1. audit: group sizes and base rates by sex on the training rows;
2. the unmitigated logistic regression (fairfit's objective: mean log-loss + l2/2 |w|^2 with
   l2 = 1e-4, i.e. scikit-learn's C = 1 / (n l2));
3. a demographic-parity-mitigated and 4. an equalized-odds-mitigated model: exponentiated
   gradient at eps = 0.02 (Agarwal et al.; the same algorithm in both, with each toolkit's
   logistic regression as the learner);
5. thresholds: demographic-parity and equalized-odds post-processing of the unmitigated model;
6. metrics by group (accuracy, selection rate, TPR, FPR) of the six models on test, each with
   a 95 % bootstrap interval from 1,000 resamples;
7. a trade-off curve: exponentiated gradient for demographic parity at 5 bounds, test accuracy
   and DP difference per point.

Data: the protocol of datasets/README.md (rows with '?' dropped; numeric columns standardised
on train, categorical one-hot with train categories; sex and race not features), encoded once
with pandas and handed to both toolkits as the same float64 matrices. Reports each step's wall
time per toolkit, the baseline figures side by side, and the total ratio.
"""

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

COLUMNS = [
    "age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
    "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
    "hours-per-week", "native-country", "income",
]
NUMERIC = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
CATEGORICAL = ["workclass", "marital-status", "occupation", "relationship", "native-country"]
L2 = 1e-4
EPS = 0.02
METRICS = ["accuracy", "selection_rate", "true_positive_rate", "false_positive_rate"]


def read(path, skip):
    frame = pd.read_csv(path, header=None, names=COLUMNS, skipinitialspace=True,
                        skiprows=skip, dtype=str, skip_blank_lines=True)
    frame = frame.dropna(how="all")
    frame = frame[~(frame == "?").any(axis=1)]
    frame["income"] = frame["income"].str.rstrip(".")
    return frame.reset_index(drop=True)


def encode(train, test):
    num_train = train[NUMERIC].astype(float)
    mean, std = num_train.mean(), num_train.std(ddof=0)
    parts_train, parts_test = [(num_train - mean) / std], [(test[NUMERIC].astype(float) - mean) / std]
    for col in CATEGORICAL:
        cats = sorted(train[col].unique())
        parts_train.append(pd.get_dummies(pd.Categorical(train[col], categories=cats), prefix=col))
        parts_test.append(pd.get_dummies(pd.Categorical(test[col], categories=cats), prefix=col))
    x_train = pd.concat(parts_train, axis=1).to_numpy(dtype=np.float64)
    x_test = pd.concat(parts_test, axis=1).to_numpy(dtype=np.float64)
    y_train = (train["income"] == ">50K").to_numpy(dtype=np.float64)
    y_test = (test["income"] == ">50K").to_numpy(dtype=np.float64)
    return x_train, y_train, train["sex"].to_numpy(), x_test, y_test, test["sex"].to_numpy()


class Clock:
    def __init__(self, name):
        self.name, self.steps = name, {}

    def step(self, label, f):
        t = time.perf_counter()
        out = f()
        self.steps[label] = time.perf_counter() - t
        print(f"  {self.name:9s} {label:34s} {self.steps[label]:9.2f} s", flush=True)
        return out

    def total(self):
        return sum(self.steps.values())


def dp_difference(d, g):
    rates = [d[g == k].mean() for k in np.unique(g)]
    return max(rates) - min(rates)


def run_fairfit(data, epsilons, n_boot, curve_only=False):
    import fairfit

    x, y, g, xt, yt, gt = data
    c = Clock("fairfit")
    if curve_only:
        return c, None, None, c.step(f"trade-off curve, {len(epsilons)} points", lambda: fairfit_curve(fairfit, data, epsilons))
    audit = c.step("audit", lambda: fairfit.MetricFrame(["count", "selection_rate"], y_pred=y, sensitive_features=g))
    base = c.step("unmitigated", lambda: fairfit.FairLogisticRegression(l2=L2).fit(x, y))
    dp = c.step("exponentiated gradient, DP", lambda: fairfit.ExponentiatedGradient("demographic_parity", eps=EPS, l2=L2).fit(x, y, sensitive_features=g))
    eo = c.step("exponentiated gradient, EO", lambda: fairfit.ExponentiatedGradient("equalized_odds", eps=EPS, l2=L2).fit(x, y, sensitive_features=g))
    th_dp = c.step("thresholds, DP", lambda: fairfit.ThresholdOptimizer(base, constraints="demographic_parity", prefit=True).fit(x, y, sensitive_features=g))
    th_eo = c.step("thresholds, EO", lambda: fairfit.ThresholdOptimizer(base, constraints="equalized_odds", prefit=True).fit(x, y, sensitive_features=g))

    def frames():
        preds = {
            "unmitigated": base.predict(xt),
            "eg-dp": dp.predict(xt, random_state=0),
            "eg-eo": eo.predict(xt, random_state=0),
            "thresholds-dp": th_dp.predict(xt, sensitive_features=gt, random_state=0),
            "thresholds-eo": th_eo.predict(xt, sensitive_features=gt, random_state=0),
        }
        return {k: fairfit.MetricFrame(METRICS, yt, p, sensitive_features=gt, n_boot=n_boot, random_state=0) for k, p in preds.items()}

    out = c.step(f"metrics by group, {n_boot} resamples", frames)

    curve = c.step(f"trade-off curve, {len(epsilons)} points", lambda: fairfit_curve(fairfit, data, epsilons))
    return c, audit, out, curve


def fairfit_curve(fairfit, data, epsilons):
    x, y, g, xt, yt, gt = data
    rows = []
    for eps in epsilons:
        m = fairfit.ExponentiatedGradient("demographic_parity", eps=eps, l2=L2).fit(x, y, sensitive_features=g)
        p = m.predict_proba(xt)[:, 1]
        rows.append((eps, float(np.mean(yt * p + (1 - yt) * (1 - p))), dp_difference(p, gt)))
    return pd.DataFrame(rows, columns=["eps", "test_accuracy", "test_dp_difference"])


def run_fairlearn(data, epsilons, n_boot, curve_only=False):
    from fairlearn.metrics import (MetricFrame, count, false_positive_rate, selection_rate,
                                   true_positive_rate)
    from fairlearn.postprocessing import ThresholdOptimizer
    from fairlearn.reductions import DemographicParity, EqualizedOdds, ExponentiatedGradient
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score

    x, y, g, xt, yt, gt = data
    lr = lambda: LogisticRegression(C=1.0 / (len(y) * L2), max_iter=1000)
    c = Clock("fairlearn")

    def curve():
        rows = []
        for eps in epsilons:
            m = ExponentiatedGradient(lr(), DemographicParity(difference_bound=eps)).fit(x, y, sensitive_features=g)
            p = m._pmf_predict(xt)[:, 1]
            rows.append((eps, float(np.mean(yt * p + (1 - yt) * (1 - p))), dp_difference(p, gt)))
        return pd.DataFrame(rows, columns=["eps", "test_accuracy", "test_dp_difference"])

    if curve_only:
        return c, None, None, c.step(f"trade-off curve, {len(epsilons)} points", curve)
    audit = c.step("audit", lambda: MetricFrame(metrics={"count": count, "selection_rate": selection_rate}, y_true=y, y_pred=y, sensitive_features=g))
    base = c.step("unmitigated", lambda: lr().fit(x, y))
    dp = c.step("exponentiated gradient, DP", lambda: ExponentiatedGradient(lr(), DemographicParity(difference_bound=EPS)).fit(x, y, sensitive_features=g))
    eo = c.step("exponentiated gradient, EO", lambda: ExponentiatedGradient(lr(), EqualizedOdds(difference_bound=EPS)).fit(x, y, sensitive_features=g))
    th_dp = c.step("thresholds, DP", lambda: ThresholdOptimizer(estimator=base, constraints="demographic_parity", prefit=True, predict_method="predict_proba").fit(x, y, sensitive_features=g))
    th_eo = c.step("thresholds, EO", lambda: ThresholdOptimizer(estimator=base, constraints="equalized_odds", prefit=True, predict_method="predict_proba").fit(x, y, sensitive_features=g))
    metrics = {"accuracy": accuracy_score, "selection_rate": selection_rate,
               "true_positive_rate": true_positive_rate, "false_positive_rate": false_positive_rate}

    def frames():
        preds = {
            "unmitigated": base.predict(xt),
            "eg-dp": dp.predict(xt, random_state=0),
            "eg-eo": eo.predict(xt, random_state=0),
            "thresholds-dp": th_dp.predict(xt, sensitive_features=gt, random_state=0),
            "thresholds-eo": th_eo.predict(xt, sensitive_features=gt, random_state=0),
        }
        return {k: MetricFrame(metrics=metrics, y_true=yt, y_pred=p, sensitive_features=gt, n_boot=n_boot, ci_quantiles=[0.025, 0.975], random_state=0) for k, p in preds.items()}

    out = c.step(f"metrics by group, {n_boot} resamples", frames)
    curve = c.step(f"trade-off curve, {len(epsilons)} points", curve)
    return c, audit, out, curve


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fast", action="store_true", help="2 curve points, 200 resamples")
    parser.add_argument("--only", choices=["fairfit", "fairlearn"], help="run one toolkit")
    parser.add_argument("--curve-only", action="store_true",
                        help="time only step 7, the trade-off curve (to measure it apart)")
    parser.add_argument("--datasets", default=os.environ.get("FAIRFIT_DATASETS", "datasets"))
    args = parser.parse_args()
    epsilons = [0.05, 0.01] if args.fast else [0.1, 0.05, 0.02, 0.01, 0.005]
    n_boot = 200 if args.fast else 1000

    t = time.perf_counter()
    train = read(os.path.join(args.datasets, "adult.data"), 0)
    test = read(os.path.join(args.datasets, "adult.test"), 1)
    data = encode(train, test)
    print(f"Adult: {len(train)} train, {len(test)} test rows, {data[0].shape[1]} features "
          f"(loaded and encoded with pandas in {time.perf_counter() - t:.2f} s, shared)")
    assert (len(train), len(test)) == (30162, 15060), "protocol row counts"

    results = {}
    for name, run in (("fairfit", run_fairfit), ("fairlearn", run_fairlearn)):
        if args.only in (None, name):
            print(f"\n{name}:", flush=True)
            results[name] = run(data, epsilons, n_boot, args.curve_only)

    print()
    for name, (clock, audit, frames, curve) in results.items():
        if frames is None:
            print(f"{name}: total {clock.total():.2f} s")
            print(curve.to_string(index=False))
            continue
        base = frames["unmitigated"]
        by = base.by_group
        acc = base.overall["accuracy"]
        sr = by["selection_rate"]
        print(f"{name}: unmitigated test accuracy {float(acc):.4f}, DP difference "
              f"{float(sr.max() - sr.min()):.4f}; total {clock.total():.2f} s")
        print(curve.to_string(index=False))
    if len(results) == 2:
        f, l = results["fairfit"][0], results["fairlearn"][0]
        print(f"\n{'step':40s} {'fairfit':>10s} {'fairlearn':>10s} {'ratio':>8s}")
        for step in f.steps:
            print(f"{step:40s} {f.steps[step]:10.2f} {l.steps[step]:10.2f} {l.steps[step] / f.steps[step]:8.1f}")
        print(f"{'total':40s} {f.total():10.2f} {l.total():10.2f} {l.total() / f.total():8.1f}")


if __name__ == "__main__":
    sys.exit(main())
