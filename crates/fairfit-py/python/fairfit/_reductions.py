"""Agarwal et al.'s reductions with fairfit's logistic regression as the best response:
exponentiated gradient (a randomised classifier) and grid search (the best of a grid of
multipliers), with Fairlearn's parameter names."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from . import _native
from ._linear import learner_settings
from ._validation import sample_weights, sensitive_columns, to_numpy_frame


class _ReductionBase(ClassifierMixin, BaseEstimator):
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _learner(self):
        return learner_settings(l2=self.l2)

    def _inputs(self, X, y, sensitive_features, sample_weight):
        X, y = validate_data(self, to_numpy_frame(X), to_numpy_frame(y), dtype=np.float64)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(
                f"Only binary classification is supported; y has {len(self.classes_)} classes"
            )
        sens = sensitive_columns(sensitive_features, X.shape[0])
        y01 = (y == self.classes_[1]).astype(np.float64)
        return X, y01, sens, sample_weights(sample_weight, X.shape[0])


class ExponentiatedGradient(_ReductionBase):
    """Exponentiated gradient (Agarwal et al. 2018) for ``constraints`` at ``eps``: a
    distribution over fairfit logistic regressions. ``predict`` draws seeded randomised
    decisions; ``predict_proba`` gives the expected decision (Fairlearn's ``_pmf_predict``).

    Parameters: ``constraints`` (a notion name: ``"demographic_parity"``,
    ``"equalized_odds"``, ``"dp_ratio"``...), ``eps``, ``max_iter`` (rounds, 50), ``nu``
    (duality-gap tolerance, ``None``: from the data), ``eta0`` (2.0), ``l2`` (the learner's
    L2 weight), ``random_state``.
    """

    def __init__(self, constraints="demographic_parity", eps=0.01, max_iter=50, nu=None,
                 eta0=2.0, l2=1e-4, random_state=None):
        self.constraints = constraints
        self.eps = eps
        self.max_iter = max_iter
        self.nu = nu
        self.eta0 = eta0
        self.l2 = l2
        self.random_state = random_state

    def fit(self, X, y, *, sensitive_features=None, sample_weight=None):
        X, y01, sens, w = self._inputs(X, y, sensitive_features, sample_weight)
        settings = {
            "constraints": self.constraints,
            "eps": float(self.eps),
            "max_iter": int(self.max_iter),
            "nu": None if self.nu is None else float(self.nu),
            "eta0": float(self.eta0),
        }
        out = _native.fit_exponentiated_gradient(settings, self._learner(), X, y01, sens, w)
        self.model_json_ = out["model_json"]
        self.weights_ = np.asarray(out["weights"])
        self.coefs_ = out["coefs"]
        self.intercepts_ = np.asarray(out["intercepts"])
        self.training_gamma_ = np.asarray(out["training_gamma"])
        self.nu_ = out["nu"]
        self.converged_ = out["converged"]
        self.best_gap_ = out["best_gap"]
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "model_json_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        p = _native.randomized_probability(self.model_json_, X)
        return np.column_stack([1.0 - p, p])

    def predict(self, X, random_state=None):
        check_is_fitted(self, "model_json_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        rng = check_random_state(self.random_state if random_state is None else random_state)
        seed = int(rng.randint(0, 2**63 - 1, dtype=np.int64))
        d = _native.randomized_predict(self.model_json_, X, seed)
        return self.classes_[d.astype(int)]


class GridSearch(_ReductionBase):
    """Grid search over Lagrange multipliers (Agarwal et al. 2018) for ``constraints``: one
    fairfit logistic regression per grid point, the best by ``error + constraint_weight ·
    violation`` kept (``coef_``, ``intercept_``); every point in ``coefs_``, ``lambdas_``.

    Parameters: ``constraints``, ``grid_size`` (10), ``grid_limit`` (2.0), ``eps`` (0.0, the
    constraints' relaxation), ``constraint_weight`` (0.5), ``l2``.
    """

    def __init__(self, constraints="demographic_parity", grid_size=10, grid_limit=2.0,
                 eps=0.0, constraint_weight=0.5, l2=1e-4):
        self.constraints = constraints
        self.grid_size = grid_size
        self.grid_limit = grid_limit
        self.eps = eps
        self.constraint_weight = constraint_weight
        self.l2 = l2

    def fit(self, X, y, *, sensitive_features=None, sample_weight=None):
        X, y01, sens, w = self._inputs(X, y, sensitive_features, sample_weight)
        settings = {
            "constraints": self.constraints,
            "grid_size": int(self.grid_size),
            "grid_limit": float(self.grid_limit),
            "eps": float(self.eps),
            "constraint_weight": float(self.constraint_weight),
        }
        out = _native.fit_grid_search(settings, self._learner(), X, y01, sens, w)
        self.coef_ = out["coef"].reshape(1, -1)
        self.intercept_ = np.array([out["intercept"]])
        self.best_idx_ = out["best_index"]
        self.coefs_ = np.asarray(out["coefs"])
        self.intercepts_ = np.asarray(out["intercepts"])
        self.lambdas_ = [np.asarray(lam) for lam in out["lambdas"]]
        self.lagrangians_ = np.asarray(out["lagrangians"])
        return self

    def decision_function(self, X):
        check_is_fitted(self, "coef_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        return _native.decision_function(
            np.ascontiguousarray(self.coef_.ravel()), float(self.intercept_[0]), X
        )

    def predict_proba(self, X):
        check_is_fitted(self, "coef_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        p = _native.predict_proba(
            np.ascontiguousarray(self.coef_.ravel()), float(self.intercept_[0]), X
        )
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        decisions = (self.decision_function(X) >= 0).astype(int)
        return self.classes_[decisions]
