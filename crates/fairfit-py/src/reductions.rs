//! Agarwal et al.'s reductions (fairfit-train's `reductions`): exponentiated gradient, whose
//! randomised model is saved as JSON and decides with seeded draws, and grid search, which keeps
//! the best model of its grid.

use fairfit_train::reductions::{ExponentiatedGradient, GridSearch, RandomizedModel};
use fairfit_train::{Linear, Logistic};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::data::{Rows, Sensitive};
use crate::error::{Error, Result};
use crate::linear::Settings;
use crate::names;

/// Exponentiated gradient's own parameters.
#[derive(FromPyObject)]
pub struct EgSettings {
    /// The notion bounded.
    #[pyo3(item)]
    pub constraints: String,
    /// Its bound ε.
    #[pyo3(item)]
    pub eps: f64,
    /// Rounds.
    #[pyo3(item)]
    pub max_iter: usize,
    /// Duality-gap tolerance ν (`None`: from the data, as Fairlearn).
    #[pyo3(item)]
    pub nu: Option<f64>,
    /// Initial step.
    #[pyo3(item)]
    pub eta0: f64,
}

/// Runs exponentiated gradient with fairfit's logistic regression as the best response;
/// returns `model_json`, `weights`, `coefs` (one row per hypothesis), `intercepts`, `nu`,
/// `converged`, `best_gap` and `training_gamma`.
#[pyfunction]
#[pyo3(signature = (settings, learner, x, y, sensitive, sample_weight=None))]
pub fn fit_exponentiated_gradient<'py>(
    py: Python<'py>,
    settings: EgSettings,
    learner: Settings,
    x: PyReadonlyArray2<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
    sample_weight: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let data = Rows {
        x,
        y,
        sensitive,
        weights: sample_weight,
    }
    .dataset()?;
    let mut params = ExponentiatedGradient::params::<Logistic>(
        names::notion(&settings.constraints)?,
        settings.eps,
    )
    .max_iterations(settings.max_iter)
    .eta0(settings.eta0)
    .learner(learner.params::<Logistic>()?);
    if let Some(nu) = settings.nu {
        params = params.nu(nu);
    }
    let fit = py.allow_threads(|| params.fit(&data).map_err(Error::from))?;
    let model = fit.model();
    let out = PyDict::new(py);
    out.set_item(
        "model_json",
        serde_json::to_string(model).map_err(Error::from)?,
    )?;
    out.set_item("weights", model.weights().to_vec())?;
    let (coefs, intercepts) = hypotheses(py, model)?;
    out.set_item("coefs", coefs)?;
    out.set_item("intercepts", intercepts)?;
    out.set_item("training_gamma", model.training_gamma())?;
    out.set_item("nu", fit.report().nu)?;
    out.set_item("converged", fit.report().converged)?;
    out.set_item("best_gap", fit.report().best_gap)?;
    Ok(out)
}

/// The hypotheses' coefficients (rows) and intercepts.
fn hypotheses<'py>(
    py: Python<'py>,
    model: &RandomizedModel<Logistic>,
) -> Result<(Bound<'py, PyArray2<f64>>, Vec<f64>)> {
    let h = model.hypotheses();
    let width = h.first().map_or(0, |h| h.model.coefficients().len());
    let mut coefs = ndarray::Array2::zeros((h.len(), width));
    for (mut row, h) in coefs.rows_mut().into_iter().zip(h) {
        row.assign(&h.model.coefficients());
    }
    let intercepts = h.iter().map(|h| h.model.intercept()).collect();
    Ok((coefs.into_pyarray(py), intercepts))
}

fn load(model_json: &str) -> Result<RandomizedModel<Logistic>> {
    Ok(serde_json::from_str(model_json)?)
}

/// The expected decisions `Σ_h Q_h [s_h(x) ≥ 0]` of a saved randomised model.
#[pyfunction]
pub fn randomized_probability<'py>(
    py: Python<'py>,
    model_json: &str,
    x: PyReadonlyArray2<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let p = load(model_json)?
        .decision_probabilities(x.as_array())
        .map_err(Error::from)?;
    Ok(p.into_pyarray(py))
}

/// Seeded randomised decisions of a saved randomised model (0.0 / 1.0).
#[pyfunction]
pub fn randomized_predict<'py>(
    py: Python<'py>,
    model_json: &str,
    x: PyReadonlyArray2<'py, f64>,
    seed: u64,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let d = load(model_json)?
        .predict(x.as_array(), seed)
        .map_err(Error::from)?;
    Ok(d.into_pyarray(py))
}

/// Grid search's own parameters.
#[derive(FromPyObject)]
pub struct GridSettings {
    /// The notion whose constraints are weighed.
    #[pyo3(item)]
    pub constraints: String,
    /// Number of grid points.
    #[pyo3(item)]
    pub grid_size: usize,
    /// Largest multiplier.
    #[pyo3(item)]
    pub grid_limit: f64,
    /// The relaxation ε of the constraints.
    #[pyo3(item)]
    pub eps: f64,
    /// Weight of the constraint violation in the selection (Fairlearn's `constraint_weight`).
    #[pyo3(item)]
    pub constraint_weight: f64,
}

/// Runs grid search; returns `coef`/`intercept` of the selected model, `best_index`, and per
/// point `coefs`, `intercepts`, `lambdas` and `lagrangians`.
#[pyfunction]
#[pyo3(signature = (settings, learner, x, y, sensitive, sample_weight=None))]
pub fn fit_grid_search<'py>(
    py: Python<'py>,
    settings: GridSettings,
    learner: Settings,
    x: PyReadonlyArray2<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
    sample_weight: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let data = Rows {
        x,
        y,
        sensitive,
        weights: sample_weight,
    }
    .dataset()?;
    let notion = names::notion(&settings.constraints)?;
    let out = PyDict::new(py);
    macro_rules! run {
        ($kind:ty) => {{
            let params = GridSearch::params::<$kind>(notion)
                .grid_size(settings.grid_size)
                .grid_limit(settings.grid_limit)
                .epsilon(settings.eps)
                .constraint_weight(settings.constraint_weight)
                .learner(learner.params::<$kind>()?);
            let fit = py.allow_threads(|| params.fit(&data).map_err(Error::from))?;
            let best = fit.best();
            out.set_item("coef", best.coefficients().to_owned().into_pyarray(py))?;
            out.set_item("intercept", best.intercept())?;
            out.set_item("best_index", fit.best_index())?;
            let points = fit.points();
            out.set_item(
                "coefs",
                points
                    .iter()
                    .map(|p| p.hypothesis.model.coefficients().to_vec())
                    .collect::<Vec<_>>(),
            )?;
            out.set_item(
                "intercepts",
                points
                    .iter()
                    .map(|p| p.hypothesis.model.intercept())
                    .collect::<Vec<_>>(),
            )?;
            out.set_item(
                "lambdas",
                points.iter().map(|p| p.lambda.clone()).collect::<Vec<_>>(),
            )?;
            out.set_item(
                "lagrangians",
                points.iter().map(|p| p.lagrangian).collect::<Vec<_>>(),
            )?;
        }};
    }
    match learner.kind.as_str() {
        "logistic" => run!(Logistic),
        "linear" => run!(Linear),
        other => return Err(Error::input(format!("unknown model kind `{other}`")).into()),
    }
    Ok(out)
}
