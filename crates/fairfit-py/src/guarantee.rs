//! High-confidence fairness (fairfit-eval's `guarantee`, the Seldonian approach): candidates
//! fitted on part of the rows, one safety test on the rest, and either a rule whose gap is
//! within ε with probability `1 − δ` or no solution (a `FitError`, never an uncertified model).

use std::sync::Arc;

use fairfit_eval::guarantee::{
    BoundMethod, CandidateGenerator, Certified, DecisionRule, DecoupledCandidates, HighConfidence,
    PenaltyCandidates, TargetCandidates, ThresholdCandidates,
};
use fairfit_train::Logistic;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

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

/// A certified decision rule: it lives in Rust (any of fairfit's candidate kinds), so the
/// Python estimator holding it does not pickle.
#[pyclass(module = "fairfit._native", frozen)]
pub struct CertifiedRule {
    rule: Arc<dyn DecisionRule>,
    /// The chosen candidate, e.g. `penalty(lambda=10)`.
    #[pyo3(get)]
    label: String,
    /// The safety test's (1 − δ) bound on the gap.
    #[pyo3(get)]
    safety_bound: f64,
    /// The gap's point estimate on the safety rows.
    #[pyo3(get)]
    safety_estimate: f64,
    /// Accuracy on the safety rows.
    #[pyo3(get)]
    safety_accuracy: f64,
    /// The majority-class rule's accuracy on the safety rows.
    #[pyo3(get)]
    majority_accuracy: f64,
    /// Whether the rule decides everyone alike.
    #[pyo3(get)]
    constant_rule: bool,
}

impl From<Certified> for CertifiedRule {
    fn from(c: Certified) -> Self {
        Self {
            label: c.label(),
            safety_bound: c.safety.bound,
            safety_estimate: c.safety.estimate,
            safety_accuracy: c.safety_accuracy,
            majority_accuracy: c.majority_accuracy,
            constant_rule: c.is_constant_rule(),
            rule: c.rule,
        }
    }
}

#[pymethods]
impl CertifiedRule {
    /// The rule's decisions (0/1) for rows and their sensitive columns.
    fn decide<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'py, f64>,
        sensitive: Vec<Sensitive<'py>>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let n = x.as_array().nrows();
        let placeholder = ndarray::Array1::<f64>::zeros(n);
        let data = dataset(x.as_array(), placeholder.view(), &sensitive, None)?;
        let decisions = self.rule.decide(&data).map_err(Error::from)?;
        let out: Vec<f64> = decisions
            .into_iter()
            .map(|d| f64::from(u8::from(d)))
            .collect();
        Ok(ndarray::Array1::from(out).into_pyarray(py))
    }
}

/// Runs the high-confidence fit; returns the certified rule or raises `FitError` (no
/// solution found, with the bound the safety test reached).
#[pyfunction]
#[pyo3(signature = (settings, learner, x, y, sensitive))]
pub fn fit_high_confidence<'py>(
    py: Python<'py>,
    settings: HighConfidenceSettings,
    learner: Settings,
    x: numpy::PyReadonlyArray2<'py, f64>,
    y: numpy::PyReadonlyArray1<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
) -> PyResult<CertifiedRule> {
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
    Ok(certified.into())
}
