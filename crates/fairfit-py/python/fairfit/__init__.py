"""fairfit: train models under fairness constraints and measure what fairness costs.

scikit-learn-style estimators over fairfit's Rust engine (``fairfit._native``):

- :class:`FairLogisticRegression`, :class:`FairLinearRegression`: penalties and decision-level
  targets by notion name; :class:`DecoupledClassifier`: one model per group;
- :class:`ThresholdOptimizer`: group-specific thresholds on any estimator's scores;
- :class:`ExponentiatedGradient`, :class:`GridSearch`: the reductions;
- :class:`HighConfidenceClassifier`: a gap within ε with probability 1 − δ, or no model;
- pre-processing (``fit_resample``): :class:`Reweighing`, :class:`UniformSampling`,
  :class:`PreferentialSampling`, :class:`Massaging`, :class:`FairOversampling`,
  :class:`Counterfactual`, :class:`DisparateImpactRemover`, :class:`CorrelationRemover` (the
  two repairs also ``fit`` on training rows and ``transform`` test rows);
- evaluation: :class:`MetricFrame` (bootstrap intervals; fairness notions by name, each a
  :class:`NotionEstimate`), :func:`sweep`,
  :func:`fairness_report`; :class:`FairPipeline` (saved logistic or linear pipelines shared with Rust).

Bad input raises ``ValueError`` with fairfit's message; a fit that cannot deliver (no
convergence, an infeasible target) raises :class:`FitError`.
"""

from importlib.metadata import PackageNotFoundError, version

from ._native import FitError
from ._evaluation import MetricFrame, NotionEstimate, Report, SweepResult, fairness_report, sweep
from ._guarantee import HighConfidenceClassifier
from ._linear import DecoupledClassifier, FairLinearRegression, FairLogisticRegression
from ._pipeline import FairPipeline
from ._postprocessing import ThresholdOptimizer
from ._preprocessing import (
    CorrelationRemover,
    Counterfactual,
    DisparateImpactRemover,
    FairOversampling,
    Massaging,
    PreferentialSampling,
    Resampled,
    Reweighing,
    UniformSampling,
)
from ._reductions import ExponentiatedGradient, GridSearch

try:
    __version__ = version("fairfit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "CorrelationRemover",
    "Counterfactual",
    "DecoupledClassifier",
    "DisparateImpactRemover",
    "ExponentiatedGradient",
    "FairLinearRegression",
    "FairLogisticRegression",
    "FairOversampling",
    "FairPipeline",
    "FitError",
    "GridSearch",
    "HighConfidenceClassifier",
    "Massaging",
    "MetricFrame",
    "NotionEstimate",
    "PreferentialSampling",
    "Report",
    "Resampled",
    "Reweighing",
    "SweepResult",
    "ThresholdOptimizer",
    "UniformSampling",
    "fairness_report",
    "sweep",
]
