"""Saved pipelines (fairfit-train's ``FittedPipeline``): encoder + fair logistic or linear
regression + decision rule as one JSON document that scores raw records. A document saved by
Rust (``FittedPipeline::save``) loads here, and one saved here loads in Rust, as the model kind
it records."""

from pathlib import Path

import numpy as np
import pandas as pd

from . import _native
from ._linear import learner_settings
from ._validation import _is_polars


def _csv(records):
    """Raw records (a pandas or Polars DataFrame, or CSV text) as CSV text with a header."""
    if isinstance(records, str):
        return records
    if _is_polars(records):
        return records.write_csv()
    if isinstance(records, pd.DataFrame):
        return records.to_csv(index=False)
    raise ValueError("records must be a pandas or Polars DataFrame, or CSV text with a header")


class FairPipeline:
    """A fitted pipeline. Build one with :meth:`fit` (on a raw data frame) or
    :meth:`from_json` / :meth:`load`; score raw frames with :meth:`score`,
    :meth:`decision_probability` and :meth:`predict`; save with :meth:`to_json` / :meth:`save`.
    ``model_kind`` is ``"logistic"`` or ``"linear"``, as the document records it."""

    def __init__(self, document):
        self.json, self.feature_names, self.model_kind = _native.pipeline_load(document)

    @classmethod
    def fit(cls, records, *, label, favourable, sensitive, numeric=(), categorical=(),
            model="logistic", penalty=None, penalty_weight=1.0, target=None, eps=0.05,
            l2=1e-4, thresholds=None, tolerance=0.0, randomize=True):
        """Fits the encoder on ``records`` (raw strings per column: numeric columns
        standardised, categorical ones one-hot), a fair ``model`` (``"logistic"``, or
        ``"linear"``: least squares on the 0/1 label) on the encoded rows, and — with
        ``thresholds`` naming a notion — group-specific thresholds on the sensitive columns.
        Without thresholds a row is decided favourably when its score is at least 0.5."""
        sensitive = [sensitive] if isinstance(sensitive, str) else list(sensitive)
        schema = {
            "label": str(label),
            "favourable": str(favourable),
            "sensitive": sensitive,
            "numeric": list(numeric),
            "categorical": list(categorical),
        }
        settings = learner_settings(model, penalty, penalty_weight, target, eps, l2)
        rule = None
        if thresholds is not None:
            rule = {
                "constraints": thresholds,
                "objective": "accuracy",
                "false_positive_cost": 1.0,
                "false_negative_cost": 1.0,
                "tolerance": float(tolerance),
                "randomize": bool(randomize),
            }
        return cls(_native.pipeline_fit(_csv(records), schema, settings, rule))

    @classmethod
    def from_json(cls, document):
        """Loads a saved document, checked as Rust checks it."""
        return cls(document)

    @classmethod
    def load(cls, path):
        return cls(Path(path).read_text())

    def to_json(self):
        return self.json

    def save(self, path):
        Path(path).write_text(self.json)

    def score(self, records):
        """The model's score of each raw record: P(favourable) for a logistic model, the
        prediction for a linear one."""
        return _native.pipeline_score(self.json, _csv(records))

    def decision_probability(self, records):
        """The exact probability that each raw record is decided favourably."""
        return _native.pipeline_decision_probability(self.json, _csv(records))

    def predict(self, records, random_state=0):
        """Decisions (0/1); rows whose rule mixes two thresholds draw from ``random_state``."""
        p = self.decision_probability(records)
        u = np.random.default_rng(random_state).random(len(p))
        return ((p >= 1.0) | ((p > 0.0) & (u < p))).astype(int)
