"""Evaluation as pandas data frames: metrics by group and fairness notions with bootstrap
intervals (:class:`MetricFrame`, :class:`NotionEstimate`), sweeps of fairfit's mitigation methods (:func:`sweep`, a trade-off
curve and its SVG) and the fairness report of one model (:func:`fairness_report`)."""

import io
import json
from collections import namedtuple

import numpy as np
import pandas as pd

from . import _native
from ._validation import float_vector, sample_weights, sensitive_columns, to_numpy_frame

_RECORD = ["metric", "entry", "group", "value", "undefined", "lower", "upper"]


def _observed(y_true, y_pred, scores, sample_weight, regression, n):
    return {
        "y_true": float_vector(y_true, "y_true", n),
        "y_pred": float_vector(y_pred, "y_pred", n),
        "scores": float_vector(scores, "scores", n),
        "sample_weight": sample_weights(sample_weight, n),
        "regression": bool(regression),
    }


def _rows(*arrays):
    for a in arrays:
        if a is not None:
            return len(np.asarray(to_numpy_frame(a)).ravel())
    raise ValueError("give y_true, y_pred or both")


NotionEstimate = namedtuple(
    "NotionEstimate",
    ["column", "name", "aggregate", "value", "undefined", "compared", "skipped", "lower",
     "upper", "level", "replicates"],
)
NotionEstimate.__doc__ = """A fairness notion measured on a frame's decisions, as fairfit's engine
computes it (the same value as fairfit-eval's ``MetricFrame::notion``).

``column`` names it as every fairfit table does (``"dp_difference"``, ``"eo_difference"``,
``"dp_ratio"``); ``name`` is its long name (``"equalized_odds"``); ``aggregate`` says how groups
are compared (``"difference"``: largest minus smallest group value, ``"ratio"``: smallest over
largest, ``"group_max"``...; with several statistics, such as equalized odds' true- and
false-positive rates, the value is the worst of their aggregates). ``value`` is a float, NaN when
undefined, with the reason in ``undefined`` (else None). ``compared`` maps each statistic
(``"true_positive_rate"``...) to the tuple of groups it compared; ``skipped`` is a tuple of
``(group, reason)`` for every group a statistic left out (a group without positives has no
true-positive rate), never dropped in silence. ``lower``, ``upper``, ``level``: the bootstrap
percentile interval (NaN without bootstrap); ``replicates``: ``(defined, undefined)`` counts of
the bootstrap replicates (a replicate in which a compared group loses its statistic is counted
as undefined and left out), None without bootstrap."""


def _nan(x):
    return float("nan") if x is None else float(x)


def _notion_estimate(d):
    return NotionEstimate(
        column=d["column"],
        name=d["name"],
        aggregate=d["aggregate"],
        value=_nan(d["value"]),
        undefined=d["undefined"],
        compared={statistic: tuple(groups) for statistic, groups in d["compared"]},
        skipped=tuple((g, why) for g, why in d["skipped"]),
        lower=_nan(d["lower"]),
        upper=_nan(d["upper"]),
        level=_nan(d["level"]),
        replicates=None if d["replicates"] is None else tuple(d["replicates"]),
    )


class MetricFrame:
    """Metrics overall and by group, fairfit's ``MetricFrame``: ``metrics`` are names of
    fairfit's catalogue (``"accuracy"``, ``"selection_rate"``, ``"true_positive_rate"``,
    ``"false_positive_rate"``, ``"roc_auc"``, ``"mean_squared_error"``...). ``notions`` are
    fairness notions of the decisions by name, short name or column
    (``"demographic_parity"``, ``"eo"``, ``"predictive_parity"``, ``"dp_ratio"``...; ``metrics``
    may then be empty). With ``n_boot > 0`` every entry and notion carries a seeded,
    group-stratified percentile bootstrap interval at level ``ci``.

    Attributes: ``overall`` (Series), ``by_group`` (DataFrame: groups × metrics),
    ``by_group_lower`` / ``by_group_upper`` and ``overall_lower`` / ``overall_upper`` (the
    interval ends, NaN without bootstrap), ``notions`` (DataFrame indexed by the notions'
    columns: name, aggregate, value, lower, upper, the groups every statistic compared and the
    groups skipped), ``table`` (the long table of every entry with its interval and, where
    undefined, why; a notion's rows are ``notion`` and ``skipped``). Methods ``difference()``,
    ``ratio()``, ``group_min()``, ``group_max()`` (each ``with_ci=True`` for a frame with the
    interval) and ``notion(name)`` (a :class:`NotionEstimate`).
    """

    def __init__(self, metrics, y_true=None, y_pred=None, *, sensitive_features, notions=None,
                 scores=None, sample_weight=None, regression=False, n_boot=0, ci=0.95,
                 random_state=0):
        if isinstance(metrics, str):
            metrics = [metrics]
        if notions is None:
            notions = []
        elif isinstance(notions, str):
            notions = [notions]
        n = _rows(y_true, y_pred, scores)
        out = _native.metric_frame(
            list(metrics),
            _observed(y_true, y_pred, scores, sample_weight, regression, n),
            sensitive_columns(sensitive_features, n),
            int(n_boot),
            float(ci),
            int(random_state),
            [str(name) for name in notions],
        )
        self.table = pd.DataFrame(out["records"], columns=_RECORD)
        self.metrics = list(metrics)
        self.n_boot = int(n_boot)
        self.ci = float(ci)
        groups = self.table[self.table.entry == "group"]
        self.by_group = self._pivot(groups, "value")
        self.by_group_lower = self._pivot(groups, "lower")
        self.by_group_upper = self._pivot(groups, "upper")
        overall = self.table[self.table.entry == "overall"].set_index("metric")
        self.overall = overall["value"].astype(float).reindex(self.metrics)
        self.overall_lower = overall["lower"].astype(float).reindex(self.metrics)
        self.overall_upper = overall["upper"].astype(float).reindex(self.metrics)
        self._asked = out["notions"]
        self._notions = [_notion_estimate(d) for d in out["notions"]]
        self.notions = pd.DataFrame(
            {
                "name": [e.name for e in self._notions],
                "aggregate": [e.aggregate for e in self._notions],
                "value": [e.value for e in self._notions],
                "lower": [e.lower for e in self._notions],
                "upper": [e.upper for e in self._notions],
                "compared": [
                    tuple(g for g in next(iter(e.compared.values()), ())
                          if all(g in groups for groups in e.compared.values()))
                    for e in self._notions
                ],
                "skipped": [tuple(dict.fromkeys(g for g, _ in e.skipped)) for e in self._notions],
            },
            index=pd.Index([e.column for e in self._notions], name="notion"),
        )

    def notion(self, name):
        """The :class:`NotionEstimate` of a notion the frame was asked for, by any of its
        names: ``"demographic_parity"``, ``"dp"`` or ``"dp_difference"``. A notion fairfit does
        not know, or one the frame was not asked for, raises ``ValueError`` naming the known
        ones or the asked ones."""
        for asked, estimate in zip(self._asked, self._notions):
            if name in (asked["column"], asked["name"], asked["short"]):
                return estimate
        column = _native.notion_column(str(name))
        for estimate in self._notions:
            if estimate.column == column:
                return estimate
        asked = ", ".join(e.column for e in self._notions) or "none"
        raise ValueError(
            f"notion `{column}` was not asked of this frame (notions=...); asked: {asked}"
        )

    def _pivot(self, rows, column):
        frame = rows.pivot(index="group", columns="metric", values=column).astype(float)
        frame.index.name = "group"
        frame.columns.name = None
        return frame[self.metrics]

    def _summary(self, entry, with_ci):
        rows = self.table[self.table.entry == entry].set_index("metric").reindex(self.metrics)
        if not with_ci:
            return rows["value"].astype(float)
        return rows[["value", "lower", "upper"]].astype(float)

    def difference(self, with_ci=False):
        """Largest minus smallest group value per metric."""
        return self._summary("difference", with_ci)

    def ratio(self, with_ci=False):
        """Smallest over largest group value per metric."""
        return self._summary("ratio", with_ci)

    def group_min(self, with_ci=False):
        return self._summary("group_min", with_ci)

    def group_max(self, with_ci=False):
        return self._summary("group_max", with_ci)

    def __repr__(self):
        if self._notions:
            return f"MetricFrame(by_group=\n{self.by_group}\n, notions=\n{self.notions}\n)"
        return f"MetricFrame(by_group=\n{self.by_group}\n)"


SweepResult = namedtuple("SweepResult", ["curve", "failures", "seconds"])
SweepResult.__doc__ = (
    "A sweep's trade-off curve (one row per fitted model), the points that failed (method, "
    "parameter, reason) and the wall time in seconds."
)


def sweep(X, y, *, sensitive_features, X_test, y_test, sensitive_features_test, methods=None,
          grid="fast", validation_fraction=0.25, n_boot=200, random_state=0, svg=None):
    """Runs fairfit's mitigation methods (``methods``: names of its catalogue such as
    ``"unmitigated"``, ``"dp-penalty"``, ``"dp-target"``, ``"thresholds-dp"``; ``None``: all)
    on the training rows — ``validation_fraction`` of them carved out, seeded and stratified,
    for choices — and evaluates every model on train, validation and test. Returns a
    :class:`SweepResult` whose ``curve`` is a DataFrame (methods, parameters, metrics by split
    with bootstrap intervals); writes the trade-off plot to ``svg`` when given."""
    X = np.asarray(to_numpy_frame(X), dtype=np.float64)
    X_test = np.asarray(to_numpy_frame(X_test), dtype=np.float64)
    train = (X, float_vector(y, "y", X.shape[0]), sensitive_columns(sensitive_features, X.shape[0]))
    test = (
        X_test,
        float_vector(y_test, "y_test", X_test.shape[0]),
        sensitive_columns(sensitive_features_test, X_test.shape[0]),
    )
    settings = {
        "methods": None if methods is None else list(methods),
        "grid": grid,
        "validation_fraction": float(validation_fraction),
        "resamples": int(n_boot),
        "seed": int(random_state),
        "svg": None if svg is None else str(svg),
    }
    out = _native.sweep(settings, train, test)
    curve = pd.read_csv(io.StringIO(out["curve_csv"]))
    failures = pd.DataFrame(out["failures"], columns=["method", "params", "error"])
    return SweepResult(curve, failures, out["seconds"])


Report = namedtuple("Report", ["markdown", "json"])
Report.__doc__ = "A fairness report as Markdown text and as a JSON document (``json`` a dict)."


def fairness_report(X_train, y_train, sensitive_features_train, y_true, y_pred, *,
                    sensitive_features, scores=None, title="Fairness report", method="model",
                    description="", n_boot=1000, random_state=0):
    """fairfit's fairness report of one model: the audit of its training rows (group sizes,
    base rates, proxies), and on the evaluated rows the standard metrics by group with
    ``n_boot`` bootstrap intervals and the equalized-odds difference."""
    X_train = np.asarray(to_numpy_frame(X_train), dtype=np.float64)
    train = (
        X_train,
        float_vector(y_train, "y_train", X_train.shape[0]),
        sensitive_columns(sensitive_features_train, X_train.shape[0]),
    )
    n = _rows(y_true, y_pred)
    out = _native.fairness_report(
        str(title), str(method), str(description), train,
        _observed(y_true, y_pred, scores, None, False, n),
        sensitive_columns(sensitive_features, n), int(n_boot), int(random_state),
    )
    return Report(out["markdown"], json.loads(out["json"]))
