//! Evaluation on Python arrays: the metric frame by group with bootstrap intervals
//! (fairfit-eval's `frame` and `bootstrap`), sweeps of mitigation methods as a trade-off curve
//! (CSV text for pandas, and the SVG), and the fairness report of one model.

use fairfit_data::audit::DataAudit;
use fairfit_data::split;
use fairfit_data::split::TrainValTest;
use fairfit_eval::bootstrap::{Bootstrap, BootstrapParams};
use fairfit_eval::curve::Split;
use fairfit_eval::frame::MetricFrame;
use fairfit_eval::metrics::{Metric, Outcomes};
use fairfit_eval::plot::{ReferenceLine, TradeoffPlot};
use fairfit_eval::report::{FairnessReport, Method};
use fairfit_eval::sweep::{every_strategy, Grids, Sweep};
use numpy::{PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::data::{dataset, groups, labels, Rows, Sensitive};
use crate::error::{Error, Result};
use crate::{frame_notions, names};

/// What was observed of each row: labels, decisions, scores (any may be absent), weights.
#[derive(FromPyObject)]
pub struct Observed<'py> {
    /// True labels (0/1) or values (`regression`).
    #[pyo3(item)]
    pub y_true: Option<PyReadonlyArray1<'py, f64>>,
    /// Decisions (0/1) or predicted values (`regression`).
    #[pyo3(item)]
    pub y_pred: Option<PyReadonlyArray1<'py, f64>>,
    /// Scores or probabilities.
    #[pyo3(item)]
    pub scores: Option<PyReadonlyArray1<'py, f64>>,
    /// Sample weights.
    #[pyo3(item)]
    pub sample_weight: Option<PyReadonlyArray1<'py, f64>>,
    /// Whether `y_true` and `y_pred` are real values.
    #[pyo3(item)]
    pub regression: bool,
}

impl Observed<'_> {
    /// The observations as fairfit's validated [`Outcomes`].
    fn outcomes(&self) -> Result<Outcomes> {
        let slice = |a: &PyReadonlyArray1<'_, f64>| a.as_array().to_vec();
        let mut out = match (&self.y_true, &self.y_pred, &self.scores) {
            (Some(t), Some(p), _) if self.regression => Outcomes::regression(&slice(t), &slice(p))?,
            (Some(t), Some(p), _) => {
                Outcomes::classification(&labels(t.as_array()), &labels(p.as_array()))?
            }
            (Some(t), None, Some(s)) => Outcomes::scored(&labels(t.as_array()), &slice(s))?,
            (Some(t), None, None) => Outcomes::labels_only(&labels(t.as_array()))?,
            (None, Some(p), _) => Outcomes::predictions_only(&labels(p.as_array()))?,
            (None, None, _) => return Err(Error::input("give y_true, y_pred or both")),
        };
        if let (Some(s), true) = (&self.scores, self.y_pred.is_some() && !self.regression) {
            out = out.with_scores(&slice(s))?;
        }
        if let Some(w) = &self.sample_weight {
            out = out.with_weights(&slice(w))?;
        }
        Ok(out)
    }
}

/// One row of a frame's long table: metric, entry, group, value, why undefined, interval.
type Record = (
    String,
    String,
    Option<String>,
    Option<f64>,
    Option<String>,
    Option<f64>,
    Option<f64>,
);

fn frame_records(frame: &MetricFrame) -> Vec<Record> {
    frame
        .records()
        .into_iter()
        .map(|r| {
            (
                r.metric,
                r.entry,
                r.group,
                r.value,
                r.undefined,
                r.lower,
                r.upper,
            )
        })
        .collect()
}

fn bootstrap(resamples: usize, level: f64, seed: u64) -> Result<Bootstrap> {
    Ok(BootstrapParams::default()
        .resamples(resamples)
        .level(level)
        .seed(seed)
        .check()?)
}

/// The metric frame of `metrics` and fairness `notions` (names, short names or columns) by the
/// groups of `sensitive`; with `resamples > 0` every entry and notion carries a group-stratified
/// percentile bootstrap interval. Returns `records` (the long table) and `notions` (one dict per
/// notion: see `frame_notions`).
#[pyfunction]
#[pyo3(signature = (metrics, observed, sensitive, resamples=0, level=0.95, seed=0, notions=Vec::new()))]
#[allow(clippy::too_many_arguments)]
pub fn metric_frame<'py>(
    py: Python<'py>,
    metrics: Vec<String>,
    observed: Observed<'py>,
    sensitive: Vec<Sensitive<'py>>,
    resamples: usize,
    level: f64,
    seed: u64,
    notions: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let notions = notions
        .iter()
        .map(|n| names::notion(n))
        .collect::<Result<Vec<_>>>()?;
    let outcomes = observed.outcomes()?;
    let groups = groups(&sensitive)?;
    let measures = metrics
        .iter()
        .map(|m| names::measure(m))
        .collect::<Result<Vec<_>>>()?;
    let refs: Vec<&dyn Metric> = measures.iter().map(|m| m as &dyn Metric).collect();
    let frame = if resamples == 0 {
        MetricFrame::with_notions(&outcomes, &groups, &refs, &notions).map_err(Error::from)?
    } else {
        let boot = bootstrap(resamples, level, seed)?;
        py.allow_threads(|| {
            boot.frame_with_notions(&outcomes, &groups, &refs, &notions)
                .map_err(Error::from)
        })?
    };
    let out = PyDict::new(py);
    out.set_item("records", frame_records(&frame))?;
    out.set_item("notions", frame_notions::notion_dicts(py, &frame)?)?;
    Ok(out)
}

/// What a sweep runs and how.
#[derive(FromPyObject)]
pub struct SweepSettings {
    /// Names of the strategies of fairfit's catalogue to run (`None`: all).
    #[pyo3(item)]
    pub methods: Option<Vec<String>>,
    /// `fast` or `full` grids.
    #[pyo3(item)]
    pub grid: String,
    /// Share of the training rows carved out for validation.
    #[pyo3(item)]
    pub validation_fraction: f64,
    /// Bootstrap resamples of validation and test metrics.
    #[pyo3(item)]
    pub resamples: usize,
    /// Seed of the carve, the random methods and the bootstrap.
    #[pyo3(item)]
    pub seed: u64,
    /// Where to write the trade-off SVG (`None`: nowhere).
    #[pyo3(item)]
    pub svg: Option<String>,
}

/// Runs fairfit's mitigation strategies on one split; returns `curve_csv` (the trade-off
/// curve as CSV text), `failures` (method, parameter, reason) and `seconds`.
#[pyfunction]
pub fn sweep<'py>(
    py: Python<'py>,
    settings: SweepSettings,
    train: (
        PyReadonlyArray2<'py, f64>,
        PyReadonlyArray1<'py, f64>,
        Vec<Sensitive<'py>>,
    ),
    test: (
        PyReadonlyArray2<'py, f64>,
        PyReadonlyArray1<'py, f64>,
        Vec<Sensitive<'py>>,
    ),
) -> PyResult<Bound<'py, PyDict>> {
    let (x, y, s) = train;
    let pooled = dataset(x.as_array(), y.as_array(), &s, None)?;
    let (x, y, s) = test;
    let test = dataset(x.as_array(), y.as_array(), &s, None)?;
    let carved = split::train_test(&pooled, settings.validation_fraction, settings.seed)
        .map_err(Error::from)?;
    let splits = TrainValTest {
        train: carved.train,
        validation: carved.test,
        test,
    };
    let grids = match settings.grid.as_str() {
        "fast" => Grids::fast(),
        "full" => Grids::full(),
        other => {
            return Err(Error::input(format!("unknown grid `{other}`; use fast or full")).into())
        }
    }
    .seed(settings.seed);
    let mut strategies = every_strategy(&grids);
    if let Some(methods) = &settings.methods {
        let known: Vec<String> = strategies.iter().map(|s| s.name().to_string()).collect();
        if let Some(unknown) = methods.iter().find(|m| !known.contains(m)) {
            return Err(Error::input(format!(
                "unknown sweep method `{unknown}`; known: {}",
                known.join(", ")
            ))
            .into());
        }
        strategies.retain(|s| methods.iter().any(|m| m == s.name()));
    }
    let sweep = Sweep::new(strategies)
        .resamples(settings.resamples)
        .seed(settings.seed);
    let outcome = py.allow_threads(|| sweep.run(&splits).map_err(Error::from))?;
    let mut csv = Vec::new();
    outcome.curve.write_csv_to(&mut csv).map_err(Error::from)?;
    if let Some(path) = &settings.svg {
        let positive = splits.test.targets().mean().unwrap_or(0.5);
        TradeoffPlot::default()
            .reference(ReferenceLine::constant_rule(positive).map_err(Error::from)?)
            .write_svg(&outcome.curve, path)
            .map_err(Error::from)?;
    }
    let out = PyDict::new(py);
    out.set_item("curve_csv", String::from_utf8_lossy(&csv).into_owned())?;
    let failures: Vec<(String, String, String)> = outcome
        .failures
        .iter()
        .map(|f| (f.method.clone(), f.params.clone(), f.error.to_string()))
        .collect();
    out.set_item("failures", failures)?;
    out.set_item("seconds", outcome.elapsed.as_secs_f64())?;
    Ok(out)
}

/// The fairness report of one model: the audit of its training rows, the standard metrics by
/// group with bootstrap intervals on the evaluated rows; returns `markdown` and `json`.
#[pyfunction]
#[pyo3(signature = (title, method, description, train, observed, sensitive, resamples=1000, seed=0))]
#[allow(clippy::too_many_arguments)]
pub fn fairness_report<'py>(
    py: Python<'py>,
    title: String,
    method: String,
    description: String,
    train: (
        PyReadonlyArray2<'py, f64>,
        PyReadonlyArray1<'py, f64>,
        Vec<Sensitive<'py>>,
    ),
    observed: Observed<'py>,
    sensitive: Vec<Sensitive<'py>>,
    resamples: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let (x, y, s) = train;
    let train = Rows {
        x,
        y,
        sensitive: s,
        weights: None,
    }
    .dataset()?;
    let outcomes = observed.outcomes()?;
    let groups = groups(&sensitive)?;
    let boot = bootstrap(resamples, 0.95, seed)?;
    let report: FairnessReport = py.allow_threads(|| -> Result<FairnessReport> {
        Ok(FairnessReport::builder()
            .title(title)
            .audit(DataAudit::of("training rows", &train)?)
            .method(Method::new(method).describe(description))
            .evaluate(Split::Test, &boot, &outcomes, &groups)
            .build()?)
    })?;
    let out = PyDict::new(py);
    out.set_item("markdown", report.to_markdown())?;
    out.set_item("json", report.to_json().map_err(Error::from)?)?;
    Ok(out)
}
