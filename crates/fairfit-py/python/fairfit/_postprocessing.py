"""Group-specific thresholds on any estimator's scores (fairfit's post-processing, Hardt et
al. 2016), with Fairlearn's ``ThresholdOptimizer`` call shape."""

import inspect
import json

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from . import _native
from ._validation import sample_weights, sensitive_columns, to_numpy_frame


def _accepts(method, name):
    try:
        return name in inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False


class ThresholdOptimizer(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Group-specific thresholds on the scores of ``estimator`` chosen to maximise
    ``objective`` subject to ``constraints`` within ``tolerance`` on the fitting rows.

    Parameters
    ----------
    estimator : a scikit-learn classifier (fitted when ``prefit=True``).
    constraints : ``"demographic_parity"``, ``"equal_opportunity"`` or ``"equalized_odds"``.
    objective : ``"accuracy"``, ``"balanced_accuracy"`` or ``"cost"`` (with
        ``false_positive_cost`` and ``false_negative_cost``).
    tolerance : allowed gap of the equalised rates.
    randomize : whether a group's rule may mix two thresholds (the exact optimum); with
        ``False`` every group gets one threshold.
    predict_method : ``"auto"`` (``predict_proba``, else ``decision_function``),
        ``"predict_proba"`` or ``"decision_function"``.
    prefit : use ``estimator`` as fitted.
    random_state : seed of the randomised decisions of ``predict``.
    """

    def __init__(
        self,
        estimator=None,
        constraints="demographic_parity",
        objective="accuracy",
        tolerance=0.0,
        randomize=True,
        false_positive_cost=1.0,
        false_negative_cost=1.0,
        predict_method="auto",
        prefit=False,
        random_state=None,
    ):
        self.estimator = estimator
        self.constraints = constraints
        self.objective = objective
        self.tolerance = tolerance
        self.randomize = randomize
        self.false_positive_cost = false_positive_cost
        self.false_negative_cost = false_negative_cost
        self.predict_method = predict_method
        self.prefit = prefit
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _score(self, X, sensitive_features=None):
        est = self.estimator_
        method = self.predict_method
        if method == "auto":
            method = "predict_proba" if hasattr(est, "predict_proba") else "decision_function"
        if method not in ("predict_proba", "decision_function"):
            raise ValueError(
                f"predict_method must be auto, predict_proba or decision_function, got {method!r}"
            )
        f = getattr(est, method)
        kwargs = {}
        if _accepts(f, "sensitive_features"):
            kwargs["sensitive_features"] = sensitive_features
        s = np.asarray(f(X, **kwargs), dtype=np.float64)
        if s.ndim == 2:
            s = s[:, 1]
        return np.ascontiguousarray(s)

    def fit(self, X, y, *, sensitive_features=None, sample_weight=None):
        if self.estimator is None:
            raise ValueError("ThresholdOptimizer needs an estimator whose scores it thresholds")
        X, y = validate_data(self, to_numpy_frame(X), to_numpy_frame(y), dtype=np.float64)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(
                f"Only binary classification is supported; y has {len(self.classes_)} classes"
            )
        sens = sensitive_columns(sensitive_features, X.shape[0])
        w = sample_weights(sample_weight, X.shape[0])
        if self.prefit:
            check_is_fitted(self.estimator)
            self.estimator_ = self.estimator
        else:
            self.estimator_ = clone(self.estimator)
            kwargs = {}
            if _accepts(self.estimator_.fit, "sensitive_features"):
                kwargs["sensitive_features"] = sensitive_features
            if w is not None:
                kwargs["sample_weight"] = w
            self.estimator_.fit(X, y, **kwargs)
        y01 = (y == self.classes_[1]).astype(np.float64)
        settings = {
            "constraints": self.constraints,
            "objective": self.objective,
            "false_positive_cost": float(self.false_positive_cost),
            "false_negative_cost": float(self.false_negative_cost),
            "tolerance": float(self.tolerance),
            "randomize": bool(self.randomize),
        }
        out = _native.fit_thresholds(settings, self._score(X, sensitive_features), y01, sens, w)
        self.rules_json_ = out["rules_json"]
        self.rules_ = json.loads(self.rules_json_)
        self.training_gap_ = out["training_gap"]
        self.training_objective_ = out["training_objective"]
        self.deterministic_ = out["deterministic"]
        return self

    def decision_probability(self, X, *, sensitive_features):
        """The exact probability that each row is decided ``classes_[1]``."""
        check_is_fitted(self, "rules_json_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        sens = sensitive_columns(sensitive_features, X.shape[0])
        return _native.threshold_probability(
            self.rules_json_, self._score(X, sensitive_features), sens
        )

    def predict_proba(self, X, *, sensitive_features):
        """``[1 − p, p]`` with ``p`` the decision probability (Fairlearn's ``_pmf_predict``)."""
        p = self.decision_probability(X, sensitive_features=sensitive_features)
        return np.column_stack([1.0 - p, p])

    def predict(self, X, *, sensitive_features, random_state=None):
        """Decisions; rows whose rule mixes two thresholds draw from ``random_state`` (else
        the estimator's ``random_state``), seeded so the same seed gives the same decisions."""
        check_is_fitted(self, "rules_json_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        sens = sensitive_columns(sensitive_features, X.shape[0])
        rng = check_random_state(self.random_state if random_state is None else random_state)
        seed = int(rng.randint(0, 2**63 - 1, dtype=np.int64))
        d = _native.threshold_predict(
            self.rules_json_, self._score(X, sensitive_features), sens, seed
        )
        return self.classes_[d.astype(int)]
