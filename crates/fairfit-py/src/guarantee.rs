//! High-confidence fairness (fairfit-eval's `guarantee`, the Seldonian approach): candidates
//! fitted on part of the rows, one safety test on the rest, and either a rule whose gap is
//! within ε with probability `1 − δ` or no solution (a `FitError`, never an uncertified model).
//! The certified rule travels as fairfit-eval's `SavedRule` JSON, so the Python estimator
//! holding it pickles and clones like the others.

use std::sync::Arc;

use fairfit_eval::guarantee::{
    BoundMethod, CandidateGenerator, Certified, DecisionRule, DecoupledCandidates, HighConfidence,
    PenaltyCandidates, SavedRule, TargetCandidates, ThresholdCandidates,
};
use fairfit_train::Logistic;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::data::{dataset, Rows, Sensitive};
use crate::error::{Error, Result};
use crate::linear::Settings;
use crate::names;

/// What the high-confidence fit is asked for.
#[derive(FromPyObject)]
pub struct HighConfidenceSettings {
    /// The notion bounded.
    #[pyo3(item)]
    pub constraints: String,
    /// Its bound ε.
    #[pyo3(item)]
    pub eps: f64,
    /// The allowed failure probability δ.
    #[pyo3(item)]
    pub delta: f64,
    /// `penalty`, `target`, `thresholds` or `decoupled`.
    #[pyo3(item)]
    pub candidates: String,
    /// The generator's grid (λ, ε or tolerances).
    #[pyo3(item)]
    pub grid: Vec<f64>,
    /// Share of the rows kept for the safety test.
    #[pyo3(item)]
    pub safety_fraction: f64,
    /// `student_t` or `hoeffding`.
    #[pyo3(item)]
    pub bound: String,
    /// Seed of the split.
    #[pyo3(item)]
    pub seed: u64,
}

impl HighConfidenceSettings {
    fn generator(&self, learner: &Settings) -> Result<Arc<dyn CandidateGenerator>> {
        let params = learner.params::<Logistic>()?;
        let grid = self.grid.clone();
        Ok(match self.candidates.as_str() {
            "penalty" => Arc::new(PenaltyCandidates::new(params, grid)?),
            "target" => Arc::new(TargetCandidates::new(params, grid)?),
            "thresholds" => Arc::new(ThresholdCandidates::new(params, grid)?),
            "decoupled" => Arc::new(DecoupledCandidates::new(params, grid)?),
            other => {
                return Err(Error::input(format!(
                    "unknown candidates `{other}`; known: penalty, target, thresholds, decoupled"
                )))
            }
        })
    }

    fn bound_method(&self) -> Result<BoundMethod> {
        match self.bound.as_str() {
            "student_t" => Ok(BoundMethod::StudentT),
            "hoeffding" => Ok(BoundMethod::Hoeffding),
            other => Err(Error::input(format!(
                "unknown bound `{other}`; known: student_t, hoeffding"
            ))),
        }
    }
}

/// The decisions (0/1) of a saved certified rule (`rule_json`, fairfit-eval's `SavedRule`) for
/// rows and their sensitive columns.
#[pyfunction]
pub fn certified_decide<'py>(
    py: Python<'py>,
    rule_json: &str,
    x: PyReadonlyArray2<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let rule: SavedRule = serde_json::from_str(rule_json).map_err(Error::from)?;
    let n = x.as_array().nrows();
    let placeholder = ndarray::Array1::<f64>::zeros(n);
    let data = dataset(x.as_array(), placeholder.view(), &sensitive, None)?;
    let decisions = rule.decide(&data).map_err(Error::from)?;
    let out: Vec<f64> = decisions
        .into_iter()
        .map(|d| f64::from(u8::from(d)))
        .collect();
    Ok(ndarray::Array1::from(out).into_pyarray(py))
}

/// The certified rule as the Python estimator stores it: the saved rule (JSON) and its figures.
fn certified_dict(py: Python<'_>, c: Certified) -> PyResult<Bound<'_, PyDict>> {
    let saved = c.rule.saved().ok_or_else(|| {
        Error::input(format!(
            "the certified rule `{}` is not one of fairfit's own and cannot be saved",
            c.label()
        ))
    })?;
    let out = PyDict::new(py);
    out.set_item(
        "rule_json",
        serde_json::to_string(&saved).map_err(Error::from)?,
    )?;
    out.set_item("label", c.label())?;
    out.set_item("safety_bound", c.safety.bound)?;
    out.set_item("safety_estimate", c.safety.estimate)?;
    out.set_item("safety_accuracy", c.safety_accuracy)?;
    out.set_item("majority_accuracy", c.majority_accuracy)?;
    out.set_item("constant_rule", c.is_constant_rule())?;
    Ok(out)
}

/// Runs the high-confidence fit; returns the certified rule (`rule_json`, `label` and the
/// safety figures) or raises `FitError` (no solution found, with the bound the safety test
/// reached).
#[pyfunction]
#[pyo3(signature = (settings, learner, x, y, sensitive))]
pub fn fit_high_confidence<'py>(
    py: Python<'py>,
    settings: HighConfidenceSettings,
    learner: Settings,
    x: numpy::PyReadonlyArray2<'py, f64>,
    y: numpy::PyReadonlyArray1<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
) -> PyResult<Bound<'py, PyDict>> {
    let data = Rows {
        x,
        y,
        sensitive,
        weights: None,
    }
    .dataset()?;
    let params = HighConfidence::params(
        names::notion(&settings.constraints)?,
        settings.eps,
        settings.delta,
    )
    .candidates_shared(settings.generator(&learner)?)
    .safety_fraction(settings.safety_fraction)
    .bound(settings.bound_method()?)
    .seed(settings.seed);
    let outcome = py.allow_threads(|| params.fit(&data).map_err(Error::from))?;
    let certified = outcome.into_result().map_err(Error::from)?;
    certified_dict(py, certified)
}
