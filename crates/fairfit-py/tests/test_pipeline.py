"""Saved pipelines between Rust and Python: the document Rust saved (``tests/cross_check.rs``)
scores the raw rows here as it did in Rust; the document Python saves here is committed and
``cross_check.rs`` loads and scores it in Rust (``FAIRFIT_WRITE_FIXTURES=1`` rewrites it)."""

import json
import os

import numpy as np
import pandas as pd
import polars as pl
import pytest
from numpy.testing import assert_allclose

import fairfit
from conftest import FIXTURES

TOL = dict(rtol=0, atol=1e-10)


@pytest.fixture(scope="module")
def raw():
    return pd.read_csv(FIXTURES / "raw.csv", dtype=str)


def test_rust_document_scores_as_in_rust(raw):
    pipeline = fairfit.FairPipeline.load(FIXTURES / "pipeline_rust.json")
    expected = json.loads((FIXTURES / "pipeline_rust_scores.json").read_text())
    assert_allclose(pipeline.score(raw), expected["score"], **TOL)
    assert_allclose(pipeline.decision_probability(raw), expected["decision_probability"], **TOL)
    # Polars frames and CSV text are the same records.
    frame = pl.read_csv(FIXTURES / "raw.csv", infer_schema=False)
    assert_allclose(pipeline.score(frame), expected["score"], **TOL)
    csv = (FIXTURES / "raw.csv").read_text()
    assert_allclose(pipeline.score(csv), expected["score"], **TOL)


def test_rust_document_survives_python_save_and_load(raw, tmp_path):
    pipeline = fairfit.FairPipeline.load(FIXTURES / "pipeline_rust.json")
    pipeline.save(tmp_path / "again.json")
    again = fairfit.FairPipeline.load(tmp_path / "again.json")
    assert again.to_json() == pipeline.to_json()
    assert_allclose(again.score(raw), pipeline.score(raw), rtol=0, atol=0)


def fit_python_pipeline(raw):
    return fairfit.FairPipeline.fit(
        raw,
        label="y",
        favourable="1",
        sensitive="sex",
        numeric=["age", "hours"],
        categorical=["job"],
        penalty="equalized_odds",
        penalty_weight=0.5,
        thresholds="equalized_odds",
        tolerance=0.05,
        randomize=False,
    )


def test_python_document_for_rust(raw):
    """Fits in Python; the committed document (which Rust's test scores) is what Python saves
    today, and scores the rows as Python does."""
    pipeline = fit_python_pipeline(raw)
    scores = {
        "score": pipeline.score(raw).tolist(),
        "decision_probability": pipeline.decision_probability(raw).tolist(),
    }
    if os.environ.get("FAIRFIT_WRITE_FIXTURES") == "1":
        pipeline.save(FIXTURES / "pipeline_python.json")
        (FIXTURES / "pipeline_python_scores.json").write_text(json.dumps(scores))
    committed = fairfit.FairPipeline.load(FIXTURES / "pipeline_python.json")
    expected = json.loads((FIXTURES / "pipeline_python_scores.json").read_text())
    assert_allclose(scores["score"], expected["score"], **TOL)
    assert_allclose(committed.score(raw), expected["score"], **TOL)
    assert_allclose(
        committed.decision_probability(raw), expected["decision_probability"], **TOL
    )
    assert pipeline.feature_names == committed.feature_names


def test_python_pipeline_thresholds_hold_on_its_rows(raw):
    """Single equalized-odds thresholds at tolerance 0.05: on the fitting rows the decisions'
    TPR and FPR differ between the sexes by at most 0.05 (hard decisions)."""
    pipeline = fit_python_pipeline(raw)
    d = pipeline.decision_probability(raw)
    assert set(np.unique(d)) <= {0.0, 1.0}
    y = raw["y"].astype(int).to_numpy()
    sex = raw["sex"].to_numpy()
    frame = fairfit.MetricFrame(
        ["true_positive_rate", "false_positive_rate", "selection_rate"],
        y, d, sensitive_features=sex,
    )
    assert frame.difference()["true_positive_rate"] <= 0.05 + 1e-12
    assert frame.difference()["false_positive_rate"] <= 0.05 + 1e-12
    assert 0.0 < frame.overall["selection_rate"] < 1.0  # not a constant rule


def test_bad_document_is_a_value_error():
    with pytest.raises(ValueError):
        fairfit.FairPipeline.from_json('{"format_version": 999}')
    doc = json.loads((FIXTURES / "pipeline_rust.json").read_text())
    doc["model"]["coefficients"]["data"] = doc["model"]["coefficients"]["data"][:-1]
    doc["model"]["coefficients"]["dim"] = [len(doc["model"]["coefficients"]["data"])]
    with pytest.raises(ValueError, match="feature"):
        fairfit.FairPipeline.from_json(json.dumps(doc))


def test_records_missing_a_column_is_a_value_error(raw):
    pipeline = fairfit.FairPipeline.load(FIXTURES / "pipeline_rust.json")
    with pytest.raises(ValueError, match="job"):
        pipeline.score(raw.drop(columns=["job"]))


def test_rust_linear_document_scores_as_in_rust(raw):
    """A linear-regression pipeline saved by Rust loads as linear and scores (predictions) and
    decides the rows as in Rust; it saves again unchanged."""
    pipeline = fairfit.FairPipeline.load(FIXTURES / "pipeline_rust_linear.json")
    assert pipeline.model_kind == "linear"
    assert fairfit.FairPipeline.load(FIXTURES / "pipeline_rust.json").model_kind == "logistic"
    expected = json.loads((FIXTURES / "pipeline_rust_linear_scores.json").read_text())
    assert_allclose(pipeline.score(raw), expected["score"], **TOL)
    assert_allclose(pipeline.decision_probability(raw), expected["decision_probability"], **TOL)
    assert fairfit.FairPipeline.from_json(pipeline.to_json()).to_json() == pipeline.to_json()


def fit_python_linear_pipeline(raw):
    return fairfit.FairPipeline.fit(
        raw,
        label="y",
        favourable="1",
        sensitive="sex",
        numeric=["age", "hours"],
        categorical=["job"],
        model="linear",
        penalty="mean_prediction_parity",
        penalty_weight=1.0,
    )


def test_python_linear_document_for_rust(raw):
    """Fits a linear pipeline in Python (least squares on the 0/1 label, decided at score ≥
    0.5); the committed document, which Rust's test loads as a linear pipeline and scores, is
    what Python saves today."""
    pipeline = fit_python_linear_pipeline(raw)
    assert pipeline.model_kind == "linear"
    score = pipeline.score(raw)
    assert score.min() < 0.5 < score.max()
    assert_allclose(pipeline.decision_probability(raw), (score >= 0.5).astype(float), **TOL)
    scores = {
        "score": score.tolist(),
        "decision_probability": pipeline.decision_probability(raw).tolist(),
    }
    if os.environ.get("FAIRFIT_WRITE_FIXTURES") == "1":
        pipeline.save(FIXTURES / "pipeline_python_linear.json")
        (FIXTURES / "pipeline_python_linear_scores.json").write_text(json.dumps(scores))
    committed = fairfit.FairPipeline.load(FIXTURES / "pipeline_python_linear.json")
    assert committed.model_kind == "linear"
    expected = json.loads((FIXTURES / "pipeline_python_linear_scores.json").read_text())
    assert_allclose(scores["score"], expected["score"], **TOL)
    assert_allclose(committed.score(raw), expected["score"], **TOL)
    assert_allclose(committed.decision_probability(raw), expected["decision_probability"], **TOL)
    # The linear fit is not the logistic one: its scores are predictions of the 0/1 label.
    logistic = fairfit.FairPipeline.fit(
        raw, label="y", favourable="1", sensitive="sex", numeric=["age", "hours"],
        categorical=["job"],
    )
    assert np.abs(logistic.score(raw) - score).max() > 1e-3


def test_unknown_pipeline_model_is_a_value_error(raw):
    with pytest.raises(ValueError, match="unknown model kind `tree`"):
        fairfit.FairPipeline.fit(raw, label="y", favourable="1", sensitive="sex",
                                 numeric=["age"], model="tree")
