//! The pre-processing methods of fairfit-data's `mitigation` on Python arrays: each returns the
//! fairer training set (rows, labels, sensitive columns and sample weights; reweighing changes
//! only the weights).

use fairfit_data::mitigation::{
    CorrelationRemover, Counterfactual, DisparateImpactRemover, FairOversampling, Massaging,
    PreferentialSampling, Preprocessor, Reweighing, UniformSampling,
};
use fairfit_train::FairLogisticRegression;
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::data::{Rows, Sensitive};
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
