"""Each estimator of the Python package gives the coefficients and decisions fairfit's Rust API
gives on the same data (to 1e-10). The Rust numbers come from ``tests/cross_check.rs`` (its
own calls of fairfit-train / fairfit-eval), not from the Python package's native path."""

import pickle

import numpy as np
import pandas as pd
import polars as pl
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone

import fairfit

TOL = dict(rtol=0, atol=1e-10)


def check_logistic(model, expected, x):
    assert_allclose(model.coef_.ravel(), expected["coef"], **TOL)
    assert_allclose(model.intercept_[0], expected["intercept"], **TOL)
    assert_allclose(model.decision_function(x), expected["decision"], **TOL)
    assert_allclose(model.predict_proba(x)[:, 1], expected["proba"], **TOL)
    decisions = (np.asarray(expected["decision"]) >= 0).astype(float)
    assert_allclose(model.predict(x), decisions, **TOL)


def test_unpenalised_logistic(rust):
    model = fairfit.FairLogisticRegression().fit(rust["x"], rust["y"])
    check_logistic(model, rust["logistic"], rust["x"])


def test_dp_penalty(rust):
    model = fairfit.FairLogisticRegression(penalty="demographic_parity", penalty_weight=1.0)
    model.fit(rust["x"], rust["y"], sensitive_features=rust["group"])
    check_logistic(model, rust["logistic_dp"], rust["x"])


def test_eo_penalty_as_pairs_and_pandas(rust):
    x = pd.DataFrame(rust["x"], columns=["f0", "f1", "f2"])
    sf = pd.Series(rust["group"], name="group")
    model = fairfit.FairLogisticRegression(penalty=[("equalized_odds", 2.0)], l2=1e-3)
    model.fit(x, pd.Series(rust["y"]), sensitive_features=sf)
    check_logistic(model, rust["logistic_eo"], x)
    assert list(model.feature_names_in_) == ["f0", "f1", "f2"]


def test_sample_weight_and_polars(rust):
    x = pl.DataFrame(rust["x"], schema=["f0", "f1", "f2"], orient="row")
    model = fairfit.FairLogisticRegression(penalty="demographic_parity", penalty_weight=0.5)
    model.fit(
        x,
        pl.Series(rust["y"]),
        sensitive_features=pl.Series("group", rust["group"]),
        sample_weight=rust["weights"],
    )
    check_logistic(model, rust["logistic_weighted"], rust["x"])


def test_decision_level_target(rust):
    model = fairfit.FairLogisticRegression(target="demographic_parity", eps=0.05)
    model.fit(rust["x"], rust["y"], sensitive_features=rust["group"])
    check_logistic(model, rust["logistic_target_dp"]["model"], rust["x"])
    outcome = model.target_outcomes_[0]
    assert_allclose(outcome["achieved_hard"], rust["logistic_target_dp"]["achieved_hard"], **TOL)
    assert outcome["achieved_hard"] <= 0.05 + 1e-12


def test_linear_regression(rust):
    model = fairfit.FairLinearRegression().fit(rust["x"], rust["y_real"])
    assert_allclose(model.coef_, rust["linear"]["coef"], **TOL)
    assert_allclose(model.intercept_, rust["linear"]["intercept"], **TOL)
    assert_allclose(model.predict(rust["x"]), rust["linear"]["predict"], **TOL)


def test_linear_mean_prediction_parity(rust):
    model = fairfit.FairLinearRegression(penalty="mean_prediction_parity", penalty_weight=1.0)
    model.fit(rust["x"], rust["y_real"], sensitive_features=rust["group"])
    assert_allclose(model.coef_, rust["linear_mp"]["coef"], **TOL)
    assert_allclose(model.predict(rust["x"]), rust["linear_mp"]["predict"], **TOL)


@pytest.mark.parametrize(
    "key,kwargs",
    [
        ("thresholds_dp", dict(constraints="demographic_parity")),
        ("thresholds_eo", dict(constraints="equalized_odds", tolerance=0.02, randomize=False)),
    ],
)
def test_threshold_optimizer(rust, key, kwargs):
    post = fairfit.ThresholdOptimizer(fairfit.FairLogisticRegression(), **kwargs)
    post.fit(rust["x"], rust["y"], sensitive_features=rust["group"])
    p = post.decision_probability(rust["x"], sensitive_features=rust["group"])
    assert_allclose(p, rust[key], **TOL)
    decisions = post.predict(rust["x"], sensitive_features=rust["group"], random_state=3)
    # Rows decided with probability 0 or 1 are decided so whatever the draw.
    sure = (p == 0.0) | (p == 1.0)
    assert_allclose(decisions[sure], p[sure], **TOL)


def test_threshold_optimizer_prefit(rust):
    base = fairfit.FairLogisticRegression().fit(rust["x"], rust["y"])
    post = fairfit.ThresholdOptimizer(base, constraints="demographic_parity", prefit=True)
    post.fit(rust["x"], rust["y"], sensitive_features=rust["group"])
    p = post.decision_probability(rust["x"], sensitive_features=rust["group"])
    assert_allclose(p, rust["thresholds_dp"], **TOL)


def test_decoupled(rust):
    model = fairfit.DecoupledClassifier().fit(rust["x"], rust["y"], sensitive_features=rust["group"])
    p = model.predict_proba(rust["x"], sensitive_features=rust["group"])[:, 1]
    assert_allclose(p, rust["decoupled"], **TOL)
    assert sorted(model.groups_) == ["a", "b"]


def test_exponentiated_gradient(rust):
    model = fairfit.ExponentiatedGradient(constraints="demographic_parity", eps=0.02)
    model.fit(rust["x"], rust["y"], sensitive_features=rust["group"])
    assert_allclose(model.predict_proba(rust["x"])[:, 1], rust["exponentiated_gradient"], **TOL)
    d1 = model.predict(rust["x"], random_state=1)
    assert np.array_equal(d1, model.predict(rust["x"], random_state=1))


def test_grid_search(rust):
    model = fairfit.GridSearch(constraints="demographic_parity", grid_size=7)
    model.fit(rust["x"], rust["y"], sensitive_features=rust["group"])
    expected = rust["grid_search"]
    assert model.best_idx_ == expected["best_index"]
    assert_allclose(model.coef_.ravel(), expected["coef"], **TOL)
    assert_allclose(model.intercept_[0], expected["intercept"], **TOL)


def test_reweighing(rust):
    out = fairfit.Reweighing().fit_resample(rust["x"], rust["y"], sensitive_features=rust["group"])
    assert_allclose(out.sample_weight, rust["reweighing"], **TOL)
    assert_allclose(out.X, rust["x"], **TOL)
    assert list(out.sensitive_features) == list(rust["group"])


def test_metric_frame_with_bootstrap(rust):
    model = fairfit.FairLogisticRegression().fit(rust["x"], rust["y"])
    frame = fairfit.MetricFrame(
        ["accuracy", "selection_rate", "true_positive_rate"],
        rust["y"],
        model.predict(rust["x"]),
        sensitive_features=rust["group"],
        n_boot=200,
        random_state=5,
    )
    expected = {
        (r["metric"], r["entry"], r["group"]): r for r in rust["metric_frame"]
    }
    assert len(expected) == len(frame.table)
    for row in frame.table.itertuples():
        group = row.group if isinstance(row.group, str) else None
        r = expected[(row.metric, row.entry, group)]
        for col in ("value", "lower", "upper"):
            if r[col] is None:
                assert pd.isna(getattr(row, col))
            else:
                assert_allclose(getattr(row, col), r[col], **TOL)
    by_group = frame.by_group
    assert list(by_group.index) == ["a", "b"]
    assert (frame.by_group_lower <= by_group + 1e-12).all().all()
    assert_allclose(
        frame.difference()["selection_rate"],
        by_group["selection_rate"].max() - by_group["selection_rate"].min(),
        atol=1e-12,
    )


def test_metric_frame_notions_with_bootstrap(rust):
    """Notions asked of a bootstrapped frame: every row of the long table (the metrics, each
    notion's value and interval) as the Rust API's `frame_with_notions` computed it."""
    model = fairfit.FairLogisticRegression().fit(rust["x"], rust["y"])
    frame = fairfit.MetricFrame(
        ["accuracy", "selection_rate", "true_positive_rate"],
        rust["y"],
        model.predict(rust["x"]),
        sensitive_features=rust["group"],
        notions=["equalized_odds", "predictive_parity", "dp_ratio"],
        n_boot=200,
        random_state=5,
    )
    expected = {
        (r["metric"], r["entry"], r["group"]): r for r in rust["metric_frame_notions"]
    }
    assert len(expected) == len(frame.table)
    assert sum(r["entry"] == "notion" for r in expected.values()) == 3
    for row in frame.table.itertuples():
        group = row.group if isinstance(row.group, str) else None
        r = expected[(row.metric, row.entry, group)]
        for col in ("value", "lower", "upper"):
            if r[col] is None:
                assert pd.isna(getattr(row, col))
            else:
                assert_allclose(getattr(row, col), r[col], **TOL)
    for column in ("eo_difference", "ppv_difference", "dp_ratio"):
        r = expected[(column, "notion", None)]
        estimate = frame.notion(column)
        assert_allclose([estimate.value, estimate.lower, estimate.upper],
                        [r["value"], r["lower"], r["upper"]], **TOL)
        assert estimate.skipped == () and estimate.replicates == (200, 0)


def test_high_confidence(rust):
    expected = rust["high_confidence"]
    model = fairfit.HighConfidenceClassifier(
        constraints="demographic_parity", eps=0.3, delta=0.2, candidates="penalty",
        grid=[0.0, 1.0, 10.0], random_state=0,
    ).fit(rust["x"], rust["y"], sensitive_features=rust["group"])
    assert model.candidate_ == expected["candidate"]
    assert_allclose(model.safety_bound_, expected["safety_bound"], **TOL)
    assert model.safety_bound_ <= 0.3 and not model.constant_rule_
    assert_allclose(model.predict(rust["x"], sensitive_features=rust["group"]), expected["decisions"], **TOL)


def test_high_confidence_no_solution_is_a_fit_error(rust):
    model = fairfit.HighConfidenceClassifier(eps=0.1, delta=0.1, grid=[0.0, 1.0, 10.0])
    with pytest.raises(fairfit.FitError, match="no solution found"):
        model.fit(rust["x"], rust["y"], sensitive_features=rust["group"])


@pytest.mark.parametrize(
    "method,key",
    [
        (fairfit.DisparateImpactRemover(repair_level=0.8), "disparate_impact_level_0.8"),
        (fairfit.CorrelationRemover(alpha=0.7), "correlation_alpha_0.7"),
    ],
    ids=["DisparateImpactRemover", "CorrelationRemover"],
)
def test_repair_fitted_on_training_rows_transforms_test_rows_as_rust(method, key, rust):
    """Fitted on rows 0-199, the repair moves rows 200-299 as Rust's fitted transformer does;
    it survives pickling, and test rows are placed by the training groups' distributions, not
    their own (refitting on the test rows gives other features)."""
    x, g = rust["x"], rust["group"]
    fitted = method.fit(x[:200], sensitive_features=g[:200])
    out = fitted.transform(x[200:], sensitive_features=g[200:])
    expected = np.asarray(rust["repair_test_rows"][key])
    assert_allclose(out, expected, **TOL)
    assert_allclose(pickle.loads(pickle.dumps(fitted)).transform(
        x[200:], sensitive_features=g[200:]), expected, **TOL)
    refit = clone(method).fit_transform(x[200:], sensitive_features=g[200:])
    assert np.abs(refit - out).max() > 1e-6
    # fit_resample on the training rows is fit + transform of those rows.
    resampled = clone(method).fit_resample(x[:200], rust["y"][:200], sensitive_features=g[:200])
    assert_allclose(resampled.X, fitted.transform(x[:200], sensitive_features=g[:200]), **TOL)


def test_repair_refuses_a_group_unseen_at_fit(rust):
    x, g = rust["x"], rust["group"]
    fitted = fairfit.CorrelationRemover().fit(x, sensitive_features=g)
    with pytest.raises(ValueError, match="c"):
        fitted.transform(x[:3], sensitive_features=["a", "b", "c"])


def test_decoupled_threshold(rust):
    """``threshold`` moves the decision point of every group's probability (Rust's decoupled
    probabilities), is a clone-able parameter, and must lie in [0, 1]."""
    x, y, g = rust["x"], rust["y"], rust["group"]
    p = np.asarray(rust["decoupled"])
    default = fairfit.DecoupledClassifier().fit(x, y, sensitive_features=g)
    assert_allclose(default.predict(x, sensitive_features=g), (p >= 0.5).astype(float), **TOL)
    low = clone(default).set_params(threshold=0.3).fit(x, y, sensitive_features=g)
    assert low.get_params()["threshold"] == 0.3
    decided = low.predict(x, sensitive_features=g)
    assert_allclose(decided, (p >= 0.3).astype(float), **TOL)
    assert decided.sum() > default.predict(x, sensitive_features=g).sum()
    for bad in (1.5, -0.1, "high", None):
        with pytest.raises(ValueError, match="threshold"):
            fairfit.DecoupledClassifier(threshold=bad).fit(x, y, sensitive_features=g)
