"""High-confidence fairness (fairfit-eval's ``guarantee``; Thomas et al. 2019): a classifier
whose hard-decision gap on the population is within ``eps`` with probability ``1 − delta``,
or no model at all."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _native
from ._linear import learner_settings
from ._validation import sensitive_columns, to_numpy_frame

_DEFAULT_GRIDS = {
    "penalty": [0.0, 0.1, 1.0, 10.0, 100.0],
    "target": [0.1, 0.05, 0.02, 0.01],
    "thresholds": [0.0, 0.01, 0.02, 0.05],
    "decoupled": [0.0, 0.01, 0.02, 0.05],
}


class HighConfidenceClassifier(ClassifierMixin, BaseEstimator):
    """Candidates (``candidates``: ``"penalty"``, ``"target"``, ``"thresholds"`` or
    ``"decoupled"`` over ``grid``) are fitted on ``1 − safety_fraction`` of the rows; the most
    accurate one predicted to pass is tested once on the rest (``bound``: ``"student_t"`` or
    ``"hoeffding"``). ``fit`` raises :class:`fairfit.FitError` when no candidate passes (no
    solution found) — it never returns an uncertified model. The certified rule is kept as
    fairfit's saved-rule JSON (``rule_json_``), so a fitted instance pickles and copies.

    Fitted attributes: ``candidate_`` (the chosen candidate's name), ``safety_bound_`` (the
    1 − δ bound on the gap), ``safety_estimate_``, ``safety_accuracy_``,
    ``majority_accuracy_`` and ``constant_rule_`` (a constant rule is named, not a success).
    ``predict`` needs ``sensitive_features=`` (thresholds and decoupled rules read the group).
    """

    def __init__(self, constraints="demographic_parity", eps=0.05, delta=0.05,
                 candidates="penalty", grid=None, safety_fraction=0.6, bound="student_t",
                 l2=1e-4, random_state=0):
        self.constraints = constraints
        self.eps = eps
        self.delta = delta
        self.candidates = candidates
        self.grid = grid
        self.safety_fraction = safety_fraction
        self.bound = bound
        self.l2 = l2
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(self, X, y, *, sensitive_features=None):
        X, y = validate_data(self, to_numpy_frame(X), to_numpy_frame(y), dtype=np.float64)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(
                f"Only binary classification is supported; y has {len(self.classes_)} classes"
            )
        grid = self.grid if self.grid is not None else _DEFAULT_GRIDS.get(self.candidates, [])
        settings = {
            "constraints": self.constraints,
            "eps": float(self.eps),
            "delta": float(self.delta),
            "candidates": self.candidates,
            "grid": [float(v) for v in grid],
            "safety_fraction": float(self.safety_fraction),
            "bound": self.bound,
            "seed": int(self.random_state),
        }
        learner = learner_settings(l2=self.l2)
        sens = sensitive_columns(sensitive_features, X.shape[0])
        y01 = (y == self.classes_[1]).astype(np.float64)
        rule = _native.fit_high_confidence(settings, learner, X, y01, sens)
        self.rule_json_ = rule["rule_json"]
        self.candidate_ = rule["label"]
        self.safety_bound_ = rule["safety_bound"]
        self.safety_estimate_ = rule["safety_estimate"]
        self.safety_accuracy_ = rule["safety_accuracy"]
        self.majority_accuracy_ = rule["majority_accuracy"]
        self.constant_rule_ = rule["constant_rule"]
        return self

    def predict(self, X, *, sensitive_features):
        check_is_fitted(self, "rule_json_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        sens = sensitive_columns(sensitive_features, X.shape[0])
        d = _native.certified_decide(self.rule_json_, X, sens)
        return self.classes_[d.astype(int)]
