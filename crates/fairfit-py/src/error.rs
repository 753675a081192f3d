//! fairfit's typed errors as Python exceptions: bad input is a `ValueError` carrying fairfit's
//! own message; a fit that ran but could not deliver (no convergence, an infeasible target, a
//! constant rule) is a `FitError`, a `RuntimeError` subclass.

use fairfit_eval::guarantee::GuaranteeError;
use fairfit_eval::EvalError;
use fairfit_train::pipeline::PipelineError;
use fairfit_train::postprocess::PostprocessError;
use fairfit_train::TrainError;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::{create_exception, PyErr};

create_exception!(
    _native,
    FitError,
    PyRuntimeError,
    "A fit ran on valid input but could not return a model (not converged, target infeasible, constant rule)."
);

/// An error of any fairfit crate on its way to Python: its message and which exception it is.
#[derive(Debug)]
pub struct Error {
    message: String,
    fit_failure: bool,
}

impl Error {
    /// Bad input from the Python side, in the bindings' own words.
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            fit_failure: false,
        }
    }
}

/// Whether a training error says the fit failed on valid input (rather than the input was bad).
fn is_fit_failure(error: &TrainError) -> bool {
    match error {
        TrainError::NotConverged { .. }
        | TrainError::Infeasible { .. }
        | TrainError::ConstantRule { .. }
        | TrainError::Separable { .. }
        | TrainError::QuasiSeparable { .. }
        | TrainError::NoFeasibleHypothesis { .. }
        | TrainError::Solver(_) => true,
        TrainError::InGroup { source, .. } => is_fit_failure(source),
        _ => false,
    }
}

impl From<TrainError> for Error {
    fn from(error: TrainError) -> Self {
        Self {
            fit_failure: is_fit_failure(&error),
            message: error.to_string(),
        }
    }
}

impl From<EvalError> for Error {
    fn from(error: EvalError) -> Self {
        let fit_failure = match &error {
            EvalError::Train(e) => is_fit_failure(e),
            EvalError::BaseModel(e) => is_fit_failure(e),
            _ => false,
        };
        Self {
            fit_failure,
            message: error.to_string(),
        }
    }
}

/// Errors whose every variant is about the input.
macro_rules! input_errors {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(error: $t) -> Self {
                Self::input(error.to_string())
            }
        }
    )*};
}
input_errors!(
    fairfit_data::DataError,
    PostprocessError,
    PipelineError,
    serde_json::Error
);

impl From<GuaranteeError> for Error {
    fn from(error: GuaranteeError) -> Self {
        Self {
            fit_failure: matches!(error, GuaranteeError::NoSolutionFound { .. }),
            message: error.to_string(),
        }
    }
}

impl From<Error> for PyErr {
    fn from(error: Error) -> Self {
        if error.fit_failure {
            FitError::new_err(error.message)
        } else {
            PyValueError::new_err(error.message)
        }
    }
}

/// The bindings' result type.
pub type Result<T> = std::result::Result<T, Error>;
