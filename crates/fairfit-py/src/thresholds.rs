//! Group-specific thresholds on any scores (fairfit-train's `postprocess`, Hardt et al. 2016):
//! fitted on scores, labels and sensitive columns, saved as JSON, applied exactly (decision
//! probabilities) or with seeded randomised decisions.

use fairfit_train::postprocess::{
    FittedThresholds, Randomization, ThresholdOptimizer, ThresholdOptimizerParams,
};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::data::{groups, labels, Sensitive};
use crate::error::Error;
use crate::names;

/// What the thresholds are asked for.
#[derive(FromPyObject)]
pub struct ThresholdSettings {
    /// The notion enforced (`demographic_parity`, `equal_opportunity`, `equalized_odds`).
    #[pyo3(item)]
    pub constraints: String,
    /// `accuracy`, `balanced_accuracy` or `cost`.
    #[pyo3(item)]
    pub objective: String,
    /// Cost of a false positive (objective `cost`).
    #[pyo3(item)]
    pub false_positive_cost: f64,
    /// Cost of a false negative (objective `cost`).
    #[pyo3(item)]
    pub false_negative_cost: f64,
    /// Allowed gap of the enforced rates.
    #[pyo3(item)]
    pub tolerance: f64,
    /// Whether rules may randomise between two thresholds.
    #[pyo3(item)]
    pub randomize: bool,
}

impl ThresholdSettings {
    /// The post-processor's parameters.
    pub fn params(&self) -> Result<ThresholdOptimizerParams, Error> {
        let randomization = if self.randomize {
            Randomization::Allowed
        } else {
            Randomization::Forbidden
        };
        Ok(ThresholdOptimizer::params()
            .constraint(names::constraint(&self.constraints)?)
            .objective(names::objective(
                &self.objective,
                self.false_positive_cost,
                self.false_negative_cost,
            )?)
            .tolerance(self.tolerance)
            .randomization(randomization))
    }
}

/// Fits the thresholds; returns `rules_json`, `training_gap`, `training_objective` and
/// `deterministic`.
#[pyfunction]
#[pyo3(signature = (settings, scores, y, sensitive, sample_weight=None))]
pub fn fit_thresholds<'py>(
    py: Python<'py>,
    settings: ThresholdSettings,
    scores: PyReadonlyArray1<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
    sample_weight: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let groups = groups(&sensitive)?;
    let labels = labels(y.as_array());
    let fitted = settings
        .params()?
        .fit(
            scores.as_array(),
            &labels,
            &groups,
            sample_weight.as_ref().map(|w| w.as_array()),
        )
        .map_err(Error::from)?;
    let out = PyDict::new(py);
    out.set_item(
        "rules_json",
        serde_json::to_string(&fitted).map_err(Error::from)?,
    )?;
    out.set_item("training_gap", fitted.training_gap())?;
    out.set_item("training_objective", fitted.training_objective())?;
    out.set_item("deterministic", fitted.is_deterministic())?;
    Ok(out)
}

fn load(rules_json: &str) -> Result<FittedThresholds, Error> {
    Ok(serde_json::from_str(rules_json)?)
}

/// The exact probability that each row is decided favourably.
#[pyfunction]
pub fn threshold_probability<'py>(
    py: Python<'py>,
    rules_json: &str,
    scores: PyReadonlyArray1<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let fitted = load(rules_json)?;
    let p = fitted
        .decision_probability(scores.as_array(), &groups(&sensitive)?)
        .map_err(Error::from)?;
    Ok(p.into_pyarray(py))
}

/// Seeded decisions (randomised only where a rule mixes two thresholds).
#[pyfunction]
pub fn threshold_predict<'py>(
    py: Python<'py>,
    rules_json: &str,
    scores: PyReadonlyArray1<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
    seed: u64,
) -> PyResult<Bound<'py, PyArray1<bool>>> {
    let fitted = load(rules_json)?;
    let decisions = fitted
        .predict(
            scores.as_array(),
            &groups(&sensitive)?,
            &mut StdRng::seed_from_u64(seed),
        )
        .map_err(Error::from)?;
    Ok(decisions.into_pyarray(py))
}
