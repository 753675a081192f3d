//! [`SweepError`]: what can stop a sweep or one of its points, and where.

use crate::curve::Split;

/// Everything that can go wrong while running a sweep.
///
/// Errors of the set-up (invalid grids, splits that do not match, a baseline that cannot be
/// fitted) stop the run; errors of one method at one parameter are recorded as a
/// [`Failure`](super::Failure) and the run goes on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// A parameter of a method or of the runner outside its domain.
    #[error("invalid parameter `{name}` of {method}: {reason}")]
    InvalidParameter {
        /// The method (or `sweep` for the runner's own settings).
        method: String,
        /// The parameter's name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// The train, validation and test splits do not describe the same columns or groups.
    #[error("the {split} split does not match the training split: {reason}")]
    MismatchedSplits {
        /// The split that differs.
        split: Split,
        /// What differs.
        reason: String,
    },
    /// The data crate rejected the data (labels that are not binary, an empty cell, ...).
    #[error(transparent)]
    Data(#[from] fairfit_data::DataError),
    /// Fitting a model failed (no convergence, invalid parameters, ...).
    #[error(transparent)]
    Train(#[from] fairfit_train::TrainError),
    /// Fitting or applying group-specific thresholds failed.
    #[error(transparent)]
    Postprocess(#[from] fairfit_train::postprocess::PostprocessError),
    /// A metric could not be computed (undefined for a group, bad scores, ...).
    #[error(transparent)]
    Eval(#[from] crate::EvalError),
    /// A point could not enter the curve, or a table could not be built.
    #[error(transparent)]
    Curve(#[from] crate::curve::CurveError),
}

/// Result alias of the sweep runner.
pub type Result<T, E = SweepError> = std::result::Result<T, E>;
