"""scikit-learn compatibility: ``check_estimator``'s checks through
``parametrize_with_checks``, and use in ``Pipeline``, ``GridSearchCV``, ``clone`` and pickle.

The checks call ``fit(X, y)`` without sensitive features, so they run on the estimators whose
default configuration needs none (fair logistic and linear regression with no fairness term,
which is then plain regularised regression through fairfit's solver). Checks that cannot
apply are declared as expected failures below, each with its reason."""

import copy
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import fairfit

_TOLERANCE = (
    "fairfit's solver stops at a gradient norm of tol = 1e-6, so a weighted fit and the fit on "
    "repeated rows agree to about 1e-6, above this check's rtol = 1e-7; at tol = 1e-8 they "
    "agree to 1e-7 (test_sample_weight_is_repetition below)"
)
EXPECTED_FAILURES = {
    "FairLogisticRegression": {"check_sample_weight_equivalence_on_dense_data": _TOLERANCE},
    "FairLinearRegression": {"check_sample_weight_equivalence_on_dense_data": _TOLERANCE},
}


def expected_failures(estimator):
    return EXPECTED_FAILURES.get(type(estimator).__name__, {})


@parametrize_with_checks(
    [fairfit.FairLogisticRegression(), fairfit.FairLinearRegression()],
    expected_failed_checks=expected_failures,
)
def test_sklearn_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def data(rust):
    return rust["x"], rust["y"], rust["group"]


def test_pipeline_and_grid_search(data):
    x, y, _ = data
    pipe = Pipeline([("scale", StandardScaler()), ("model", fairfit.FairLogisticRegression())])
    search = GridSearchCV(pipe, {"model__l2": [1e-4, 1e-2, 1.0]}, cv=3).fit(x, y)
    assert search.best_params_["model__l2"] in (1e-4, 1e-2, 1.0)
    assert search.score(x, y) > 0.6


@pytest.mark.parametrize("kind", [fairfit.FairLogisticRegression, fairfit.FairLinearRegression])
def test_sample_weight_is_repetition(kind, rust):
    x, y = rust["x"], (rust["y"] if kind is fairfit.FairLogisticRegression else rust["y_real"])
    w = np.r_[np.full(150, 2.0), np.ones(len(y) - 150)]
    weighted = kind(tol=1e-8).fit(x, y, sample_weight=w)
    repeated = kind(tol=1e-8).fit(np.r_[x[:150], x], np.r_[y[:150], y])
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=0, atol=1e-7)


def test_sensitive_features_route_through_pipeline(data):
    """A decision-level target inside a Pipeline gets the sensitive features through the
    step's fit parameter, and meets its bound on the training decisions."""
    x, y, g = data
    gap = lambda d: abs(d[g == "a"].mean() - d[g == "b"].mean())
    plain = Pipeline([("scale", StandardScaler()), ("model", fairfit.FairLogisticRegression())])
    assert gap(plain.fit(x, y).predict(x)) > 0.03
    target = fairfit.FairLogisticRegression(target="demographic_parity", eps=0.01)
    pipe = Pipeline([("scale", StandardScaler()), ("model", target)])
    pipe.fit(x, y, model__sensitive_features=g)
    assert gap(pipe.predict(x)) <= 0.01 + 1e-12


def test_grid_search_over_fairness_weight(data):
    x, y, g = data
    search = GridSearchCV(
        fairfit.FairLogisticRegression(penalty="demographic_parity"),
        {"penalty_weight": [0.1, 1.0, 10.0]},
        cv=3,
    ).fit(x, y, sensitive_features=g)
    assert search.best_estimator_.penalty_weight in (0.1, 1.0, 10.0)


@pytest.mark.parametrize(
    "estimator",
    [
        fairfit.FairLogisticRegression(target="demographic_parity", eps=0.1),
        fairfit.FairLinearRegression(penalty="mean_prediction_parity"),
        fairfit.ThresholdOptimizer(fairfit.FairLogisticRegression(), constraints="equalized_odds"),
        fairfit.DecoupledClassifier(),
        fairfit.ExponentiatedGradient(eps=0.05),
        fairfit.GridSearch(grid_size=5),
    ],
    ids=lambda e: type(e).__name__,
)
def test_clone_and_pickle(estimator, data):
    x, y, g = data
    twin = clone(estimator)
    params = estimator.get_params(deep=False)
    assert twin.get_params(deep=False).keys() == params.keys()
    for key, value in params.items():
        if not hasattr(value, "get_params"):
            assert twin.get_params(deep=False)[key] == value
    fitted = twin.fit(x, y, sensitive_features=g)
    loaded = pickle.loads(pickle.dumps(fitted))
    if isinstance(estimator, (fairfit.ThresholdOptimizer, fairfit.DecoupledClassifier)):
        a = fitted.predict_proba(x, sensitive_features=g)
        b = loaded.predict_proba(x, sensitive_features=g)
    elif hasattr(fitted, "predict_proba"):
        a, b = fitted.predict_proba(x), loaded.predict_proba(x)
    else:
        a, b = fitted.predict(x), loaded.predict(x)
    np.testing.assert_array_equal(a, b)
    estimator.set_params(**estimator.get_params())


@pytest.mark.parametrize(
    "candidates,grid",
    [
        ("penalty", [0.0, 1.0, 10.0]),
        ("target", [0.1, 0.05]),
        ("thresholds", [0.0, 0.02]),
        ("decoupled", [0.0, 0.02]),
    ],
)
def test_high_confidence_pickles_clones_and_decides_alike(candidates, grid, data):
    """Every kind of certified rule survives pickle and deepcopy (it is kept as fairfit's
    saved-rule JSON) and decides every row as before; clone gives an unfitted twin."""
    x, y, g = data
    est = fairfit.HighConfidenceClassifier(
        eps=0.4, delta=0.2, candidates=candidates, grid=grid, random_state=1
    )
    fitted = clone(est).fit(x, y, sensitive_features=g)
    assert fitted.candidate_.startswith(candidates)
    before = fitted.predict(x, sensitive_features=g)
    assert 0 < before.mean() < 1  # not a constant rule
    for again in (pickle.loads(pickle.dumps(fitted)), copy.deepcopy(fitted)):
        np.testing.assert_array_equal(again.predict(x, sensitive_features=g), before)
        assert again.candidate_ == fitted.candidate_
        assert again.safety_bound_ == fitted.safety_bound_
    twin = clone(fitted)
    assert not hasattr(twin, "rule_json_")
    assert twin.get_params() == est.get_params()


def test_high_confidence_refuses_an_altered_rule(data):
    x, y, g = data
    fitted = fairfit.HighConfidenceClassifier(
        eps=0.3, delta=0.2, grid=[0.0, 1.0, 10.0]
    ).fit(x, y, sensitive_features=g)
    fitted.rule_json_ = fitted.rule_json_.replace('"Logistic"', '"Nonsense"')
    with pytest.raises(ValueError, match="Nonsense"):
        fitted.predict(x, sensitive_features=g)
