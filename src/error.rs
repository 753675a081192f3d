//! [`Error`]: one error type for code that uses the whole framework, so that `?` works across
//! the data, training and evaluation crates.

use fairfit_data::DataError;
use fairfit_eval::EvalError;
use fairfit_train::pipeline::PipelineError;
use fairfit_train::postprocess::PostprocessError;
use fairfit_train::TrainError;

/// Any error of fairfit's crates, or of the I/O, CSV and JSON work around them. Each crate's own
/// typed error is kept whole (match on the variant to reach it), and its message is shown
/// unchanged.
///
/// ```
/// use fairfit::prelude::*;
/// fn no_rows() -> fairfit::Result<FairDataset> {
///     // A fairfit-data error converts with `?` like any other.
///     Ok(FairDataset::new(ndarray::Array2::zeros((0, 1)), ndarray::Array1::zeros(0), vec![])?)
/// }
/// let err = no_rows().unwrap_err();
/// assert!(matches!(err, fairfit::Error::Data(fairfit::data::DataError::Empty(_))));
/// assert_eq!(err.to_string(), "empty data: the feature matrix has no rows");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Loading, validating or transforming data failed (`fairfit::data`).
    #[error(transparent)]
    Data(#[from] DataError),
    /// Fitting a model failed (`fairfit::train`).
    #[error(transparent)]
    Train(#[from] TrainError),
    /// Fitting or applying group-specific thresholds failed (`fairfit::train::postprocess`).
    #[error(transparent)]
    Postprocess(#[from] PostprocessError),
    /// Building, saving or applying a scoring pipeline failed (`fairfit::train::pipeline`).
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// Measuring, comparing, reporting or plotting failed (`fairfit::eval`).
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// A metric read as a number has no value on these rows (e.g. a rate over a group with no
    /// positives): see [`fairfit_eval::metrics::Undefined`].
    #[error("undefined metric: {0}")]
    Undefined(#[from] fairfit_eval::metrics::Undefined),
    /// An error of linfa's own (e.g. from one of linfa's algorithms used alongside fairfit).
    #[error("linfa: {0}")]
    Linfa(#[from] linfa::Error),
    /// Reading or writing a file failed.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// Reading or writing CSV failed.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// Serialising or deserialising JSON failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// A high-confidence fit's error converts through [`EvalError::Guarantee`], so `?` works on it.
impl From<fairfit_eval::guarantee::GuaranteeError> for Error {
    fn from(e: fairfit_eval::guarantee::GuaranteeError) -> Self {
        Error::Eval(EvalError::Guarantee(e))
    }
}

/// The result of fairfit's facade: `Result<T, fairfit::Error>` unless another error is named.
pub type Result<T, E = Error> = std::result::Result<T, E>;
