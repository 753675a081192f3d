"""Fair logistic and linear regression as scikit-learn estimators, and decoupled classifiers
(one fair logistic regression per group)."""

import json

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _native
from ._validation import sample_weights, sensitive_columns, to_numpy_frame


def _pairs(spec, weight, what):
    """A penalty or target specification as (name, number) pairs: None, a name (with the
    shared `weight`), or a list of (name, number) pairs."""
    if spec is None:
        return []
    if isinstance(spec, str):
        return [(spec, float(weight))]
    try:
        return [(str(name), float(value)) for name, value in spec]
    except (TypeError, ValueError):
        raise ValueError(
            f"{what} must be None, a notion name, or a list of (name, value) pairs; got {spec!r}"
        ) from None


def learner_settings(kind="logistic", penalty=None, penalty_weight=1.0, target=None, eps=0.05,
                     l2=1e-4, l1=0.0, max_iter=1000, tol=1e-6):
    """The settings of one fair fit as the native module reads them (every estimator that fits
    a fairfit model builds them here)."""
    return {
        "kind": str(kind),
        "l2": float(l2),
        "l1": float(l1),
        "penalties": _pairs(penalty, penalty_weight, "penalty"),
        "targets": _pairs(target, eps, "target"),
        "max_iter": int(max_iter),
        "tol": float(tol),
    }


class _FairLinearBase(BaseEstimator):
    """What the two model kinds share: hyper-parameters, input checks, the native fit."""

    _kind = None

    def __init__(
        self,
        penalty=None,
        penalty_weight=1.0,
        target=None,
        eps=0.05,
        l2=1e-4,
        l1=0.0,
        max_iter=1000,
        tol=1e-6,
    ):
        self.penalty = penalty
        self.penalty_weight = penalty_weight
        self.target = target
        self.eps = eps
        self.l2 = l2
        self.l1 = l1
        self.max_iter = max_iter
        self.tol = tol

    def _settings(self):
        return learner_settings(self._kind, self.penalty, self.penalty_weight, self.target,
                                self.eps, self.l2, self.l1, self.max_iter, self.tol)

    def _has_fairness_terms(self):
        return self.penalty is not None or self.target is not None

    def _fit(self, X, y, sensitive_features, sample_weight):
        settings = self._settings()
        sens = sensitive_columns(
            sensitive_features, X.shape[0], required=self._has_fairness_terms()
        )
        w = sample_weights(sample_weight, X.shape[0])
        out = _native.fit_linear(settings, X, y, sens, w)
        self.model_json_ = out["model_json"]
        self.n_iter_ = out.get("n_iter")
        self.converged_ = out.get("converged")
        outcomes = out["target_outcomes"]
        self.target_outcomes_ = json.loads(outcomes) if outcomes is not None else None
        self.degenerate_ = out["degenerate"]
        return out["coef"], out["intercept"]

    def _scores(self, X):
        check_is_fitted(self, "model_json_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        coef = np.ascontiguousarray(np.asarray(self.coef_, dtype=np.float64).ravel())
        intercept = float(np.ravel(self.intercept_)[0])
        return _native.decision_function(coef, intercept, X)


class FairLogisticRegression(ClassifierMixin, _FairLinearBase):
    """Logistic regression fitted by fairfit with fairness penalties or targets.

    Parameters
    ----------
    penalty : None, str or list of (str, float)
        A fairness notion to penalise (``"demographic_parity"``, ``"equalized_odds"``,
        ``"equal_opportunity"``, ``"false_positive_parity"``, ``"error_rate_parity"``,
        ``"dp_ratio"``..., or ``"disparate_impact_covariance"``, ``"prejudice_remover"``) with
        weight ``penalty_weight``, or a list of ``(name, weight)`` pairs.
    target : None, str or list of (str, float)
        A notion whose gap on the training *decisions* must be at most ``eps`` (fairfit's
        ``TargetedFit``), or a list of ``(name, eps)`` pairs.
    l2, l1 : float
        Regularisation on the mean log-loss, ``(l2/2)‖w‖² + l1‖w‖₁`` (intercept free).
    max_iter, tol : solver iteration cap and gradient tolerance.

    ``fit`` takes ``sensitive_features=`` (required with a penalty or target) and
    ``sample_weight=``. Decisions are ``decision_function(X) >= 0``.
    """

    _kind = "logistic"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(self, X, y, *, sensitive_features=None, sample_weight=None):
        X, y = validate_data(self, to_numpy_frame(X), to_numpy_frame(y), dtype=np.float64)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) > 2:
            raise ValueError(
                "Only binary classification is supported. The type of the target is "
                f"multiclass ({len(self.classes_)} classes)."
            )
        if len(self.classes_) < 2:
            raise ValueError(
                f"y has one class only ({self.classes_[0]!r}); a classifier needs two"
            )
        y01 = (y == self.classes_[1]).astype(np.float64)
        coef, intercept = self._fit(X, y01, sensitive_features, sample_weight)
        self.coef_ = coef.reshape(1, -1)
        self.intercept_ = np.array([intercept])
        return self

    def decision_function(self, X):
        """The log-odds ``x·w + b`` of each row."""
        return self._scores(X)

    def predict_proba(self, X):
        """``[P(y = classes_[0]), P(y = classes_[1])]`` per row."""
        check_is_fitted(self, "model_json_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        p = _native.predict_proba(
            np.ascontiguousarray(self.coef_.ravel()), float(self.intercept_[0]), X
        )
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        """``classes_[1]`` where the log-odds are at least 0 (fairfit's decision rule)."""
        decisions = (self.decision_function(X) >= 0).astype(int)
        return self.classes_[decisions]


class FairLinearRegression(RegressorMixin, _FairLinearBase):
    """Linear regression (mean squared error) fitted by fairfit with fairness penalties or
    targets, e.g. ``penalty="mean_prediction_parity"`` or ``target="bounded_group_loss"``.
    Parameters as :class:`FairLogisticRegression`."""

    _kind = "linear"

    def fit(self, X, y, *, sensitive_features=None, sample_weight=None):
        X, y = validate_data(
            self, to_numpy_frame(X), to_numpy_frame(y), dtype=np.float64, y_numeric=True
        )
        coef, intercept = self._fit(X, y.astype(np.float64), sensitive_features, sample_weight)
        self.coef_ = coef
        self.intercept_ = float(intercept)
        return self

    def predict(self, X):
        """``x·w + b`` per row."""
        return self._scores(X)


class DecoupledClassifier(ClassifierMixin, BaseEstimator):
    """One fair logistic regression per group (fairfit-train's ``DecoupledModel``): each row is
    scored by its own group's model, so ``predict``, ``predict_proba`` and ``decision_function``
    need ``sensitive_features=``. Parameters as :class:`FairLogisticRegression` (penalties apply
    within each group's fit), plus ``threshold`` in [0, 1]: ``predict`` decides ``classes_[1]``
    where the own group's probability is at least it (0.5: fairfit's rule ``score ≥ 0``). For
    thresholds chosen per group under a fairness constraint, wrap the classifier in
    :class:`ThresholdOptimizer`."""

    def __init__(self, penalty=None, penalty_weight=1.0, l2=1e-4, l1=0.0, max_iter=1000, tol=1e-6,
                 threshold=0.5):
        self.threshold = threshold
        self.penalty = penalty
        self.penalty_weight = penalty_weight
        self.l2 = l2
        self.l1 = l1
        self.max_iter = max_iter
        self.tol = tol

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _threshold(self):
        t = self.threshold
        if isinstance(t, bool) or not isinstance(t, (int, float, np.number)) or not 0 <= t <= 1:
            raise ValueError(f"threshold must be a number in [0, 1], got {t!r}")
        return float(t)

    def fit(self, X, y, *, sensitive_features=None, sample_weight=None):
        X, y = validate_data(self, to_numpy_frame(X), to_numpy_frame(y), dtype=np.float64)
        check_classification_targets(y)
        self._threshold()
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(
                "Only binary classification is supported; y has "
                f"{len(self.classes_)} classes"
            )
        settings = learner_settings("logistic", self.penalty, self.penalty_weight, l2=self.l2,
                                    l1=self.l1, max_iter=self.max_iter, tol=self.tol)
        sens = sensitive_columns(sensitive_features, X.shape[0])
        y01 = (y == self.classes_[1]).astype(np.float64)
        self.model_json_ = _native.fit_decoupled(
            settings, X, y01, sens, sample_weights(sample_weight, X.shape[0])
        )
        doc = json.loads(self.model_json_)
        self.groups_ = doc["groups"]
        self.coef_ = {g: np.asarray(m["coefficients"]["data"]) for g, m in zip(doc["groups"], doc["models"])}
        self.intercept_ = {g: m["intercept"] for g, m in zip(doc["groups"], doc["models"])}
        return self

    def predict_proba(self, X, *, sensitive_features):
        check_is_fitted(self, "model_json_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        sens = sensitive_columns(sensitive_features, X.shape[0])
        p = _native.decoupled_proba(self.model_json_, X, sens)
        return np.column_stack([1.0 - p, p])

    def decision_function(self, X, *, sensitive_features):
        p = self.predict_proba(X, sensitive_features=sensitive_features)[:, 1]
        with np.errstate(divide="ignore"):
            return np.log(p) - np.log1p(-p)

    def predict(self, X, *, sensitive_features):
        """``classes_[1]`` where the own group's probability is at least ``threshold``."""
        p = self.predict_proba(X, sensitive_features=sensitive_features)[:, 1]
        return self.classes_[(p >= self._threshold()).astype(int)]
