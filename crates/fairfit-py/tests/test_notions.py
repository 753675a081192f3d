"""Fairness notions of a MetricFrame (``notions=[...]``, ``frame.notion(name)``): values checked
against a hand computation (and Fairlearn's functions when Fairlearn is installed), skipped
groups reported, bootstrap intervals, lookup by any name, and the errors."""

import math

import numpy as np
import pandas as pd
import pytest

import fairfit

# Three groups, written out: a and b have both labels, c has positives only (no false-positive
# rate), so equalized odds compares the true-positive rates of a, b and c but the
# false-positive rates of a and b alone.
#   a: y 1 1 1 0 0 0, ŷ 1 1 0 1 0 0 -> selection 3/6, TPR 2/3, FPR 1/3, PPV 2/3
#   b: y 1 1 0 0 0 0, ŷ 1 1 0 0 0 0 -> selection 2/6, TPR 1,   FPR 0,   PPV 1
#   c: y 1 1 1,       ŷ 1 0 0       -> selection 1/3, TPR 1/3, FPR -,   PPV 1
Y = np.array([1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1], dtype=float)
P = np.array([1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0], dtype=float)
G = np.array(["a"] * 6 + ["b"] * 6 + ["c"] * 3)
NO_NEGATIVES = "no rows with y = 0 (or all have weight 0)"


def test_notions_by_hand():
    frame = fairfit.MetricFrame(
        ["selection_rate"], Y, P, sensitive_features=G,
        notions=["demographic_parity", "eo", "predictive_parity", "dp_ratio"],
    )
    assert list(frame.notions.index) == ["dp_difference", "eo_difference", "ppv_difference",
                                         "dp_ratio"]
    dp = frame.notion("demographic_parity")
    assert dp.aggregate == "difference" and dp.name == "demographic_parity"
    assert math.isclose(dp.value, 3 / 6 - 1 / 3, abs_tol=1e-15)
    assert dp.compared == {"selection_rate": ("a", "b", "c")} and dp.skipped == ()
    # Equalized odds: the larger of the TPR gap over a, b, c (1 − 1/3) and the FPR gap over a
    # and b (1/3 − 0); c is skipped for its FPR only, with the engine's reason.
    eo = frame.notion("equalized_odds")
    assert math.isclose(eo.value, 2 / 3, abs_tol=1e-15)
    assert eo.compared == {"true_positive_rate": ("a", "b", "c"),
                           "false_positive_rate": ("a", "b")}
    assert eo.skipped == (("c", NO_NEGATIVES),)
    assert eo.undefined is None
    pp = frame.notion("predictive_parity")
    assert math.isclose(pp.value, 1 - 2 / 3, abs_tol=1e-15)
    ratio = frame.notion("dp_ratio")
    assert ratio.aggregate == "ratio"
    assert math.isclose(ratio.value, (1 / 3) / (3 / 6), abs_tol=1e-15)
    # Not bootstrapped: no interval.
    assert math.isnan(dp.lower) and math.isnan(dp.upper) and dp.replicates is None
    # The notions' summary frame and the long table say the same.
    assert frame.notions.loc["eo_difference", "compared"] == ("a", "b")
    assert frame.notions.loc["eo_difference", "skipped"] == ("c",)
    assert math.isclose(frame.notions.loc["ppv_difference", "value"], 1 / 3, abs_tol=1e-15)
    skipped = frame.table[frame.table.entry == "skipped"]
    assert list(zip(skipped.metric, skipped.group, skipped.undefined)) == [
        ("eo_difference", "c", NO_NEGATIVES)
    ]
    notion_rows = frame.table[frame.table.entry == "notion"].set_index("metric")["value"]
    assert math.isclose(notion_rows["eo_difference"], 2 / 3, abs_tol=1e-15)


def test_a_group_without_positive_decisions_is_skipped_by_predictive_parity():
    # d decides no one favourably: no positive predictive value, left out and named.
    y = np.r_[Y[:12], [1, 0, 0]]
    p = np.r_[P[:12], [0, 0, 0]]
    g = np.r_[G[:12], ["d"] * 3]
    frame = fairfit.MetricFrame([], y, p, sensitive_features=g, notions="ppv")
    pp = frame.notion("ppv")
    assert math.isclose(pp.value, 1 - 2 / 3, abs_tol=1e-15)
    assert pp.compared == {"positive_predictive_value": ("a", "b")}
    assert pp.skipped == (("d", "no rows with prediction 1"),)
    assert frame.by_group.empty


def test_weighted_notion_by_hand():
    w = np.arange(1, len(Y) + 1, dtype=float)
    frame = fairfit.MetricFrame([], Y, P, sensitive_features=G, sample_weight=w, notions=["dp"])
    rates = [np.average(P[G == k], weights=w[G == k]) for k in ("a", "b", "c")]
    assert math.isclose(frame.notion("dp").value, max(rates) - min(rates), abs_tol=1e-14)


def test_bootstrap_interval_of_a_notion():
    rng = np.random.default_rng(3)
    n = 600
    g = rng.choice(["a", "b", "c"], size=n)
    y = rng.random(n) < 0.4
    p = rng.random(n) < np.where(g == "a", 0.5, 0.3)
    frame = fairfit.MetricFrame(["true_positive_rate", "false_positive_rate"], y, p,
                                sensitive_features=g, notions=["eo"], n_boot=300, ci=0.9,
                                random_state=4)
    eo = frame.notion("eo_difference")
    gaps = frame.difference()
    assert eo.value == max(gaps["true_positive_rate"], gaps["false_positive_rate"])
    assert eo.lower <= eo.value <= eo.upper and eo.lower < eo.upper
    assert eo.level == 0.9
    assert eo.replicates == (300, 0)
    # The same seed gives the same interval.
    again = fairfit.MetricFrame([], y, p, sensitive_features=g, notions=["eo"], n_boot=300,
                                ci=0.9, random_state=4).notion("eo")
    assert (again.value, again.lower, again.upper) == (eo.value, eo.lower, eo.upper)


def test_notion_lookup_and_errors():
    frame = fairfit.MetricFrame([], Y, P, sensitive_features=G, notions=["dp"])
    assert frame.notion("dp") == frame.notion("demographic_parity") == frame.notion("dp_difference")
    with pytest.raises(ValueError, match="notion `eo_difference` was not asked of this frame.*asked: dp_difference"):
        frame.notion("equalized_odds")
    with pytest.raises(ValueError, match="unknown fairness notion `parity`; known: demographic_parity"):
        frame.notion("parity")
    with pytest.raises(ValueError, match="unknown fairness notion `parity`"):
        fairfit.MetricFrame([], Y, P, sensitive_features=G, notions=["parity"])
    with pytest.raises(ValueError, match="given twice"):
        fairfit.MetricFrame([], Y, P, sensitive_features=G, notions=["dp", "demographic_parity"])
    # Bounded group loss needs the model's loss, not its decisions.
    with pytest.raises(ValueError, match="loss"):
        fairfit.MetricFrame([], Y, P, sensitive_features=G, notions=["bounded_group_loss"])
    # A notion of labels needs the labels.
    with pytest.raises(ValueError, match="label"):
        fairfit.MetricFrame([], None, P, sensitive_features=G, notions=["eo"])


def test_matches_fairlearn():
    metrics = pytest.importorskip("fairlearn.metrics")
    rng = np.random.default_rng(8)
    n = 500
    g = pd.Series(rng.choice(["x", "y", "z"], size=n), name="group")
    y = (rng.random(n) < 0.45).astype(int)
    p = (rng.random(n) < np.where(g == "x", 0.6, 0.35)).astype(int)
    w = rng.uniform(0.5, 2.0, size=n)
    frame = fairfit.MetricFrame([], y, p, sensitive_features=g, sample_weight=w,
                                notions=["dp", "eo", "dp_ratio", "eo_ratio"])
    expected = {
        "dp": metrics.demographic_parity_difference,
        "eo": metrics.equalized_odds_difference,
        "dp_ratio": metrics.demographic_parity_ratio,
        "eo_ratio": metrics.equalized_odds_ratio,
    }
    for name, fairlearn in expected.items():
        want = fairlearn(y, p, sensitive_features=g, sample_weight=w)
        assert math.isclose(frame.notion(name).value, want, abs_tol=1e-12), name
