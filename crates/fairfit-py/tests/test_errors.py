"""Bad input raises ValueError with fairfit's message (never a crash of the interpreter), and
a fit that cannot deliver raises fairfit.FitError."""

import numpy as np
import pytest

import fairfit


@pytest.fixture()
def xy(rust):
    return rust["x"], rust["y"], rust["group"]


def test_unknown_notion(xy):
    x, y, g = xy
    with pytest.raises(ValueError, match="unknown fairness notion `parity`"):
        fairfit.FairLogisticRegression(penalty="parity").fit(x, y, sensitive_features=g)


def test_notion_without_smooth_penalty(xy):
    x, y, g = xy
    # fairfit-train refuses predictive parity as a penalty, in its own words.
    with pytest.raises(ValueError, match="not smooth in the model's scores"):
        fairfit.FairLogisticRegression(penalty="predictive_parity").fit(x, y, sensitive_features=g)


def test_fairness_term_needs_sensitive_features(xy):
    x, y, _ = xy
    with pytest.raises(ValueError, match="sensitive_features is required"):
        fairfit.FairLogisticRegression(target="demographic_parity").fit(x, y)


def test_sensitive_features_of_wrong_length(xy):
    x, y, g = xy
    with pytest.raises(ValueError, match="has 299 rows, expected 300"):
        fairfit.FairLogisticRegression(penalty="demographic_parity").fit(x, y, sensitive_features=g[:-1])


def test_negative_l2_is_fairfits_message(xy):
    x, y, _ = xy
    with pytest.raises(ValueError, match="l2"):
        fairfit.FairLogisticRegression(l2=-1.0).fit(x, y)


def test_negative_weight(xy):
    x, y, _ = xy
    w = np.ones(len(y))
    w[3] = -1.0
    with pytest.raises(ValueError, match="sample_weight"):
        fairfit.FairLogisticRegression().fit(x, y, sample_weight=w)


def test_non_finite_features(xy):
    x, y, _ = xy
    x = x.copy()
    x[0, 0] = np.inf
    with pytest.raises(ValueError):
        fairfit.FairLogisticRegression().fit(x, y)


def test_wrong_width_at_predict(xy):
    x, y, _ = xy
    model = fairfit.FairLogisticRegression().fit(x, y)
    with pytest.raises(ValueError, match="3 features"):
        model.predict(x[:, :2])


def test_threshold_constraint_that_thresholds_cannot_enforce(xy):
    x, y, g = xy
    post = fairfit.ThresholdOptimizer(fairfit.FairLogisticRegression(), constraints="predictive_parity")
    with pytest.raises(ValueError, match="cannot enforce `predictive_parity`"):
        post.fit(x, y, sensitive_features=g)


def test_threshold_group_unseen_at_fit(xy):
    x, y, g = xy
    post = fairfit.ThresholdOptimizer(fairfit.FairLogisticRegression()).fit(x, y, sensitive_features=g)
    other = np.where(g == "a", "a", "c")
    with pytest.raises(ValueError, match="`c`"):
        post.decision_probability(x, sensitive_features=other)


def test_unknown_metric(xy):
    _, y, g = xy
    with pytest.raises(ValueError, match="unknown metric `accuracy_score`"):
        fairfit.MetricFrame(["accuracy_score"], y, y, sensitive_features=g)


def test_bootstrap_level_out_of_range(xy):
    _, y, g = xy
    with pytest.raises(ValueError, match="level"):
        fairfit.MetricFrame(["accuracy"], y, y, sensitive_features=g, n_boot=10, ci=1.5)


def test_unknown_preprocessor_option(xy):
    x, y, g = xy
    with pytest.raises(ValueError):
        fairfit.DisparateImpactRemover(repair_level=2.0).fit_resample(x, y, sensitive_features=g)


def test_infeasible_fit_is_a_fit_error():
    # The only feature is the group and the labels equal it: a non-constant rule cannot have
    # a positive-rate gap of 0.001.
    g = np.array(["a"] * 20 + ["b"] * 20)
    x = np.r_[np.zeros(20), np.ones(20)].reshape(-1, 1)
    y = (g == "b").astype(float)
    model = fairfit.FairLogisticRegression(target="demographic_parity", eps=0.001, max_iter=3)
    with pytest.raises(fairfit.FitError, match="target infeasible: `positive rate`"):
        model.fit(x, y, sensitive_features=g)
    assert issubclass(fairfit.FitError, RuntimeError)


def test_iteration_cap_is_a_fit_error(xy):
    x, y, _ = xy
    with pytest.raises(fairfit.FitError, match="not converged"):
        fairfit.FairLogisticRegression(max_iter=1).fit(x, y)
