"""Evaluation from Python: sweeps (curve DataFrame and SVG), the fairness report, and the
pre-processors' fairer training sets."""

import numpy as np
import pandas as pd
import polars as pl
import pytest

import fairfit


@pytest.fixture(scope="module")
def split(rust):
    x, y, g = rust["x"], rust["y"], rust["group"]
    return (x[:200], y[:200], g[:200]), (x[200:], y[200:], g[200:])


def test_sweep_curve_and_svg(split, tmp_path):
    (x, y, g), (xt, yt, gt) = split
    out = fairfit.sweep(
        x, y, sensitive_features=g, X_test=xt, y_test=yt, sensitive_features_test=gt,
        methods=["unmitigated", "dp-penalty", "thresholds-dp"], n_boot=50,
        svg=tmp_path / "curve.svg",
    )
    curve = out.curve
    assert isinstance(curve, pd.DataFrame)
    assert set(curve["method"]) == {"unmitigated", "dp-penalty", "thresholds-dp"}
    # fast grids: 1 unmitigated + 5 λ + 4 tolerances, minus the points that failed.
    assert len(curve) + len(out.failures) == 10
    assert any("dp_difference" in c and "test" in c for c in curve.columns)
    svg = (tmp_path / "curve.svg").read_text()
    assert svg.startswith("<svg") and "thresholds-dp" in svg


def test_sweep_unknown_method(split):
    (x, y, g), (xt, yt, gt) = split
    with pytest.raises(ValueError, match="unknown sweep method `magic`"):
        fairfit.sweep(x, y, sensitive_features=g, X_test=xt, y_test=yt,
                      sensitive_features_test=gt, methods=["magic"])


def test_fairness_report(split):
    (x, y, g), (xt, yt, gt) = split
    model = fairfit.FairLogisticRegression(penalty="demographic_parity").fit(x, y, sensitive_features=g)
    report = fairfit.fairness_report(
        x, y, g, yt, model.predict(xt), sensitive_features=gt,
        scores=model.predict_proba(xt)[:, 1], title="fixture", method="dp-penalty", n_boot=100,
    )
    assert report.markdown.startswith("# Fairness report: fixture")
    assert "dp-penalty" in report.markdown
    assert report.json["title"] == "fixture"


@pytest.mark.parametrize(
    "method",
    [
        fairfit.Reweighing(),
        fairfit.UniformSampling(random_state=1),
        fairfit.PreferentialSampling(),
        fairfit.Massaging(),
        fairfit.FairOversampling(k=3, random_state=1),
        fairfit.Counterfactual(),
        fairfit.DisparateImpactRemover(repair_level=1.0),
        fairfit.CorrelationRemover(alpha=1.0),
    ],
    ids=lambda m: type(m).__name__,
)
def test_preprocessors(method, rust):
    x, y, g = rust["x"], rust["y"], rust["group"]
    out = method.fit_resample(x, y, sensitive_features=g)
    n = len(out.y)
    assert out.X.shape == (n, x.shape[1]) and len(out.sensitive_features) == n
    w = np.ones(n) if out.sample_weight is None else out.sample_weight
    base = {k: np.average(out.y[out.sensitive_features == k], weights=w[out.sensitive_features == k]) for k in ("a", "b")}
    before = {k: y[g == k].mean() for k in ("a", "b")}
    if isinstance(method, (fairfit.Reweighing, fairfit.UniformSampling, fairfit.Massaging, fairfit.PreferentialSampling)):
        # These equalise the groups' (weighted) base rates.
        assert abs(base["a"] - base["b"]) < abs(before["a"] - before["b"])
    if isinstance(method, fairfit.CorrelationRemover):
        # The repaired features no longer correlate linearly with the group.
        ind = (out.sensitive_features == "b").astype(float)
        for j in range(x.shape[1]):
            assert abs(np.corrcoef(out.X[:, j], ind)[0, 1]) < 1e-8
    fairfit.FairLogisticRegression().fit(out.X, out.y, sample_weight=out.sample_weight)


@pytest.mark.parametrize(
    "method",
    [fairfit.UniformSampling(random_state=1), fairfit.Counterfactual(), fairfit.Reweighing()],
    ids=lambda m: type(m).__name__,
)
def test_preprocessors_return_sensitive_features_as_passed(method, rust):
    """Sensitive features come back in the kind and dtype they went in: ints stay ints, a
    pandas categorical keeps its categories, a string dtype stays one, a Polars frame stays
    Polars; every returned value is one of the input's values."""
    x, y, g = rust["x"], rust["y"], rust["group"]
    as_int = (g == "b").astype(np.int64) + 1
    out = method.fit_resample(x, y, sensitive_features=as_int)
    assert isinstance(out.sensitive_features, np.ndarray)
    assert out.sensitive_features.dtype == np.int64
    assert set(out.sensitive_features.tolist()) == {1, 2}
    cat = pd.Series(pd.Categorical(g, categories=["b", "a", "z"]), name="grp")
    out = method.fit_resample(x, y, sensitive_features=cat)
    assert isinstance(out.sensitive_features, pd.Series) and out.sensitive_features.name == "grp"
    assert list(out.sensitive_features.cat.categories) == ["b", "a", "z"]
    frame = pd.DataFrame({"grp": pd.Series(g, dtype="string"), "band": as_int % 2 == 0})
    out = method.fit_resample(x, y, sensitive_features=frame)
    assert list(out.sensitive_features.columns) == ["grp", "band"]
    assert out.sensitive_features["grp"].dtype == "string"
    assert out.sensitive_features["band"].dtype == bool
    # Both columns of a row name the same group, as in the input (counterfactual copies swap
    # whole intersections).
    assert len(out.sensitive_features) == len(out.y)
    assert ((out.sensitive_features["grp"] == "b") == out.sensitive_features["band"]).all()
    out = method.fit_resample(x, y, sensitive_features=pl.DataFrame({"grp": g, "n": as_int}))
    assert isinstance(out.sensitive_features, pl.DataFrame)
    assert out.sensitive_features["n"].dtype == pl.Int64
    if isinstance(method, fairfit.Reweighing):
        assert out.sensitive_features["n"].to_list() == as_int.tolist()
