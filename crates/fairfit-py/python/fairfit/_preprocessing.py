"""fairfit-data's pre-processing methods: each ``fit_resample`` returns the fairer training
set — rows, labels, sensitive features and sample weights (reweighing changes only the
weights; the sampling methods add or drop rows; the repairs change the features)."""

from collections import namedtuple

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _native
from ._validation import sample_weights, sensitive_columns, sensitive_like, to_numpy_frame

Resampled = namedtuple("Resampled", ["X", "y", "sensitive_features", "sample_weight"])
Resampled.__doc__ = "A fairer training set: features, 0/1 labels, sensitive features, weights."


class _Preprocessor(BaseEstimator):
    _method = None

    def _options(self):
        return {}

    def fit_resample(self, X, y, *, sensitive_features, sample_weight=None):
        """Fits the method on the rows and returns the fairer set as :class:`Resampled`. The
        labels must be 0/1; sensitive features come back in the kind and dtype they were
        passed (an array, a pandas or Polars Series or DataFrame, or a dict)."""
        X, y = validate_data(self, to_numpy_frame(X), to_numpy_frame(y), dtype=np.float64)
        sens = sensitive_columns(sensitive_features, X.shape[0])
        w = sample_weights(sample_weight, X.shape[0])
        out = _native.preprocess(self._method, X, y.astype(np.float64), sens, w, **self._options())
        sf = sensitive_like(sensitive_features, out["sensitive"])
        self.method_name_ = out["name"]
        return Resampled(out["x"], out["y"], sf, out["sample_weight"])


class Reweighing(_Preprocessor):
    """Kamiran & Calders' reweighing: weights ``P(g)P(y)/P(g, y)`` that make label and group
    independent; ``fit_resample(...).sample_weight`` is what a fit takes as ``sample_weight=``."""

    _method = "reweighing"

    def __init__(self):
        pass


class UniformSampling(_Preprocessor):
    """Kamiran & Calders' uniform sampling to the independent group × label sizes."""

    _method = "uniform_sampling"

    def __init__(self, random_state=0):
        self.random_state = random_state

    def _options(self):
        return {"seed": int(self.random_state)}


class PreferentialSampling(_Preprocessor):
    """Preferential sampling: duplicates and drops rows near the boundary of a fairfit logistic
    ranker."""

    _method = "preferential_sampling"

    def __init__(self):
        pass


class Massaging(_Preprocessor):
    """Massaging: flips the labels of the rows a fairfit logistic ranker places nearest the
    boundary, until the groups' base rates agree."""

    _method = "massaging"

    def __init__(self):
        pass


class FairOversampling(_Preprocessor):
    """Fair oversampling (SMOTE-style synthetic rows per group × label, ``k`` neighbours)."""

    _method = "fair_oversampling"

    def __init__(self, k=5, random_state=0):
        self.k = k
        self.random_state = random_state

    def _options(self):
        return {"seed": int(self.random_state), "k": int(self.k)}


class Counterfactual(_Preprocessor):
    """Counterfactual augmentation: every row again with each other group's level."""

    _method = "counterfactual"

    def __init__(self):
        pass


class _Repair(_Preprocessor):
    """A feature repair as a transformer: ``fit`` learns it on training rows, ``transform``
    applies that fitted repair to any rows (test rows included) of the groups seen at fit; the
    fitted repair is kept as fairfit's JSON (``repair_json_``), so it pickles and clones."""

    def fit(self, X, y=None, *, sensitive_features):
        """Learns the repair from the rows and their sensitive features (labels are not read)."""
        X = validate_data(self, to_numpy_frame(X), dtype=np.float64)
        sens = sensitive_columns(sensitive_features, X.shape[0])
        self.repair_json_ = _native.repair_fit(self._method, X, sens, **self._options())
        return self

    def transform(self, X, *, sensitive_features):
        """The rows with the fitted repair applied (each row placed by its own group)."""
        check_is_fitted(self, "repair_json_")
        X = validate_data(self, to_numpy_frame(X), reset=False, dtype=np.float64)
        sens = sensitive_columns(sensitive_features, X.shape[0])
        return _native.repair_transform(self._method, self.repair_json_, X, sens)

    def fit_transform(self, X, y=None, *, sensitive_features):
        return self.fit(X, y, sensitive_features=sensitive_features).transform(
            X, sensitive_features=sensitive_features
        )


class DisparateImpactRemover(_Repair):
    """Feldman et al.'s disparate-impact remover: features moved towards the groups' median
    distribution by ``repair_level`` in [0, 1]."""

    _method = "disparate_impact_remover"

    def __init__(self, repair_level=1.0):
        self.repair_level = repair_level

    def _options(self):
        return {"level": float(self.repair_level)}


class CorrelationRemover(_Repair):
    """Removes the features' linear correlation with the groups, by ``alpha`` in [0, 1]."""

    _method = "correlation_remover"

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def _options(self):
        return {"alpha": float(self.alpha)}
