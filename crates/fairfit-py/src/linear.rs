//! Fair logistic and linear regression: fits with penalties (notion name, weight λ) or
//! decision-level targets (notion name, ε) through fairfit-train, one model per group
//! (decoupled), and the predictions of a fitted model on numpy memory.

use fairfit_data::FairDataset;
use fairfit_train::{
    DecoupledModel, FairParams, FittedModel, Linear, Logistic, ModelKind, ParamGuard, Target,
    TargetedFit, ValidFairParams,
};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::data::{groups, Rows, Sensitive};
use crate::error::{Error, Result};
use crate::names;

/// The hyper-parameters of one fit, as the Python estimator's `get_params` holds them.
#[derive(FromPyObject)]
pub struct Settings {
    /// `"logistic"` or `"linear"`.
    #[pyo3(item)]
    pub kind: String,
    /// L2 weight on the mean loss.
    #[pyo3(item)]
    pub l2: f64,
    /// L1 weight.
    #[pyo3(item)]
    pub l1: f64,
    /// `(name, λ)` penalties.
    #[pyo3(item)]
    pub penalties: Vec<(String, f64)>,
    /// `(notion, ε)` targets on the training decisions.
    #[pyo3(item)]
    pub targets: Vec<(String, f64)>,
    /// Solver iteration cap.
    #[pyo3(item)]
    pub max_iter: u64,
    /// Gradient tolerance.
    #[pyo3(item)]
    pub tol: f64,
}

impl Settings {
    /// The checked parameters of model kind `K`.
    pub fn params<K: ModelKind>(&self) -> Result<ValidFairParams<K>> {
        let mut params = FairParams::<K>::default()
            .l2(self.l2)
            .l1(self.l1)
            .max_iterations(self.max_iter)
            .gradient_tolerance(self.tol);
        for (name, lambda) in &self.penalties {
            params = params.penalty(names::penalty(name)?, *lambda);
        }
        Ok(params.check()?)
    }

    /// The targets of every `(notion, ε)`.
    fn targets(&self) -> Result<Vec<Target>> {
        let mut all = Vec::new();
        for (name, epsilon) in &self.targets {
            all.extend(Target::for_notion(&names::notion(name)?, *epsilon)?);
        }
        Ok(all)
    }
}

/// A fit's result as the Python estimator stores it.
pub(crate) struct Fitted<K: ModelKind> {
    /// The fitted model.
    pub model: FittedModel<K>,
    /// The targets' outcomes as JSON (`None` without targets).
    outcomes: Option<String>,
    /// What is degenerate about the training decisions, if anything.
    degenerate: Option<String>,
}

/// Fits a model of kind `K` with the settings' penalties, or its targets when it has any.
pub(crate) fn fit_kind<K: ModelKind>(settings: &Settings, data: &FairDataset) -> Result<Fitted<K>> {
    let params = settings.params::<K>()?;
    if settings.targets.is_empty() {
        return Ok(Fitted {
            model: params.fit(data)?,
            outcomes: None,
            degenerate: None,
        });
    }
    let fit = TargetedFit::new(params, settings.targets()?)?.fit(data)?;
    Ok(Fitted {
        outcomes: Some(serde_json::to_string(&fit.outcomes)?),
        degenerate: fit.degenerate().map(ToString::to_string),
        model: fit.model,
    })
}

fn into_dict<'py, K: ModelKind>(
    py: Python<'py>,
    fitted: Fitted<K>,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item(
        "coef",
        fitted.model.coefficients().to_owned().into_pyarray(py),
    )?;
    out.set_item("intercept", fitted.model.intercept())?;
    out.set_item(
        "model_json",
        serde_json::to_string(&fitted.model).map_err(Error::from)?,
    )?;
    if let Some(report) = fitted.model.report() {
        out.set_item("n_iter", report.iterations)?;
        out.set_item("converged", report.converged())?;
    }
    out.set_item("target_outcomes", fitted.outcomes)?;
    out.set_item("degenerate", fitted.degenerate)?;
    Ok(out)
}

/// Fits a fair logistic or linear regression; returns `coef`, `intercept`, `model_json`,
/// `n_iter`, `converged`, `target_outcomes` (JSON) and `degenerate`.
#[pyfunction]
#[pyo3(signature = (settings, x, y, sensitive, sample_weight=None))]
pub fn fit_linear<'py>(
    py: Python<'py>,
    settings: Settings,
    x: PyReadonlyArray2<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
    sample_weight: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let rows = Rows {
        x,
        y,
        sensitive,
        weights: sample_weight,
    };
    let data = rows.dataset()?;
    match settings.kind.as_str() {
        "logistic" => {
            let fitted = py.allow_threads(|| fit_kind::<Logistic>(&settings, &data))?;
            into_dict(py, fitted)
        }
        "linear" => {
            let fitted = py.allow_threads(|| fit_kind::<Linear>(&settings, &data))?;
            into_dict(py, fitted)
        }
        other => Err(Error::input(format!("unknown model kind `{other}`")).into()),
    }
}

/// The scores `x·w + b` of a model given by its coefficients (logistic: the log-odds; linear:
/// the predictions), read from numpy's memory.
#[pyfunction]
pub fn decision_function<'py>(
    py: Python<'py>,
    coef: PyReadonlyArray1<'py, f64>,
    intercept: f64,
    x: PyReadonlyArray2<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let model =
        FittedModel::<Linear>::new(coef.as_array().to_owned(), intercept).map_err(Error::from)?;
    let scores = model.decision_function(x.as_array()).map_err(Error::from)?;
    Ok(scores.into_pyarray(py))
}

/// The probabilities `P(y = 1 | x)` of a logistic model given by its coefficients.
#[pyfunction]
pub fn predict_proba<'py>(
    py: Python<'py>,
    coef: PyReadonlyArray1<'py, f64>,
    intercept: f64,
    x: PyReadonlyArray2<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let model =
        FittedModel::<Logistic>::new(coef.as_array().to_owned(), intercept).map_err(Error::from)?;
    let p = model.predict_proba(x.as_array()).map_err(Error::from)?;
    Ok(p.into_pyarray(py))
}

/// Fits one fair logistic regression per group; returns the decoupled model as JSON.
#[pyfunction]
#[pyo3(signature = (settings, x, y, sensitive, sample_weight=None))]
pub fn fit_decoupled<'py>(
    py: Python<'py>,
    settings: Settings,
    x: PyReadonlyArray2<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
    sample_weight: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<String> {
    let rows = Rows {
        x,
        y,
        sensitive,
        weights: sample_weight,
    };
    let data = rows.dataset()?;
    let params = settings.params::<Logistic>()?;
    let model = py.allow_threads(|| params.fit_decoupled(&data).map_err(Error::from))?;
    Ok(serde_json::to_string(&model).map_err(Error::from)?)
}

/// The probabilities of a decoupled model (JSON) for rows and their sensitive columns.
#[pyfunction]
pub fn decoupled_proba<'py>(
    py: Python<'py>,
    model_json: &str,
    x: PyReadonlyArray2<'py, f64>,
    sensitive: Vec<Sensitive<'py>>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let model: DecoupledModel<Logistic> = serde_json::from_str(model_json).map_err(Error::from)?;
    let groups = groups(&sensitive)?;
    let p = model
        .predict_proba(x.as_array(), &groups)
        .map_err(Error::from)?;
    Ok(p.into_pyarray(py))
}
