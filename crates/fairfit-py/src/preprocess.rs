//! The pre-processing methods of fairfit-data's `mitigation` on Python arrays: each returns the
//! fairer training set (rows, labels, sensitive columns and sample weights; reweighing changes
//! only the weights). The two feature repairs also fit once and transform test rows later: the
//! fitted repair travels as its serde JSON.

use fairfit_data::mitigation::{
    CorrelationRemover, Counterfactual, DisparateImpactRemover, FairOversampling, Massaging,
    PreferentialSampling, Preprocessor, Reweighing, UniformSampling,
};
use fairfit_data::FairDataset;
use fairfit_train::FairLogisticRegression;
use linfa::traits::{Fit, Transformer};
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::data::{dataset, Rows, Sensitive};
use crate::error::{Error, Result};

/// The method named `name` with its parameters (`seed`, `k`, `level`, `alpha`).
fn method(
    name: &str,
    seed: u64,
    k: usize,
    level: f64,
    alpha: f64,
) -> Result<Box<dyn Preprocessor>> {
    Ok(match name {
        "reweighing" => Box::new(Reweighing::params()),
        "uniform_sampling" => Box::new(UniformSampling::params().seed(seed)),
        "preferential_sampling" => {
            Box::new(PreferentialSampling::params().ranker(FairLogisticRegression::params()))
        }
        "massaging" => Box::new(Massaging::params().ranker(FairLogisticRegression::params())),
        "fair_oversampling" => Box::new(FairOversampling::params().seed(seed).k(k)),
        "counterfactual" => Box::new(Counterfactual::params()),
        "disparate_impact_remover" => Box::new(DisparateImpactRemover::params().level(level)),
        "correlation_remover" => Box::new(CorrelationRemover::params().alpha(alpha)),
        other => {
            return Err(Error::input(format!(
                "unknown pre-processing method `{other}`; known: reweighing, uniform_sampling, \
                 preferential_sampling, massaging, fair_oversampling, counterfactual, \
                 disparate_impact_remover, correlation_remover"
            )))
        }
    })
}

/// Fits a pre-processing method on the rows and transforms them; returns `x`, `y`,
/// `sample_weight` (or `None`), `sensitive` (per column: name, levels, codes) and `name`.
#[pyfunction]
#[pyo3(signature = (name, x, y, sensitive, sample_weight=None, seed=0, k=5, level=1.0, alpha=1.0))]
#[allow(clippy::too_many_arguments)]
pub fn preprocess<'py>(
    py: Python<'py>,
    name: &str,
    x: PyReadonlyArray2<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
    sample_weight: Option<PyReadonlyArray1<'py, f64>>,
    seed: u64,
    k: usize,
    level: f64,
    alpha: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let data = Rows {
        x,
        y,
        sensitive,
        weights: sample_weight,
    }
    .dataset()?;
    let method = method(name, seed, k, level, alpha)?;
    let fairer = py.allow_threads(|| method.fit_transform(&data).map_err(Error::from))?;
    let out = PyDict::new(py);
    out.set_item("x", fairer.records().to_owned().into_pyarray(py))?;
    out.set_item("y", fairer.targets().to_owned().into_pyarray(py))?;
    out.set_item(
        "sample_weight",
        fairer.weights().map(|w| w.to_owned().into_pyarray(py)),
    )?;
    let columns: Vec<(String, Vec<String>, Vec<usize>)> = fairer
        .attributes()
        .iter()
        .map(|a| {
            (
                a.name().to_string(),
                a.levels().to_vec(),
                a.codes().to_vec(),
            )
        })
        .collect();
    out.set_item("sensitive", columns)?;
    out.set_item("name", method.name())?;
    Ok(out)
}

/// Rows without labels (the repairs read features and groups only).
fn unlabelled(x: &PyReadonlyArray2<'_, f64>, sensitive: &[Sensitive<'_>]) -> Result<FairDataset> {
    let x = x.as_array();
    let zeros = ndarray::Array1::<f64>::zeros(x.nrows());
    dataset(x, zeros.view(), sensitive, None)
}

fn unknown_repair(name: &str) -> Error {
    Error::input(format!(
        "`{name}` is not a feature repair; known: disparate_impact_remover, correlation_remover"
    ))
}

/// Fits the feature repair `name` (`disparate_impact_remover` at `level`, or
/// `correlation_remover` at `alpha`) on rows and their sensitive columns; returns it as JSON.
#[pyfunction]
#[pyo3(signature = (name, x, sensitive, level=1.0, alpha=1.0))]
pub fn repair_fit<'py>(
    py: Python<'py>,
    name: &str,
    x: PyReadonlyArray2<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
    level: f64,
    alpha: f64,
) -> PyResult<String> {
    let data = unlabelled(&x, &sensitive)?;
    let json = py.allow_threads(|| -> Result<String> {
        let linfa = data.as_linfa();
        Ok(match name {
            "disparate_impact_remover" => {
                serde_json::to_string(&DisparateImpactRemover::params().level(level).fit(&linfa)?)?
            }
            "correlation_remover" => {
                serde_json::to_string(&CorrelationRemover::params().alpha(alpha).fit(&linfa)?)?
            }
            other => return Err(unknown_repair(other)),
        })
    })?;
    Ok(json)
}

/// Applies a fitted feature repair (`repair_json` from [`repair_fit`]) to rows and their
/// sensitive columns; returns the repaired features.
#[pyfunction]
pub fn repair_transform<'py>(
    py: Python<'py>,
    name: &str,
    repair_json: &str,
    x: PyReadonlyArray2<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let data = unlabelled(&x, &sensitive)?;
    let repaired = match name {
        "disparate_impact_remover" => serde_json::from_str::<DisparateImpactRemover>(repair_json)
            .map_err(Error::from)?
            .transform(&data),
        "correlation_remover" => serde_json::from_str::<CorrelationRemover>(repair_json)
            .map_err(Error::from)?
            .transform(&data),
        other => return Err(unknown_repair(other).into()),
    }
    .map_err(Error::from)?;
    Ok(repaired.records().to_owned().into_pyarray(py))
}
