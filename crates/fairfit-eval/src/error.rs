//! [`EvalError`]: the typed errors of the evaluation crate; each says what went wrong and where
//! (which input, row, metric or group).

use std::path::PathBuf;

/// Everything that can go wrong while evaluating models: bad inputs, metrics that are undefined
/// on the data, invalid parameters, and failures while writing outputs.
///
/// A metric whose denominator is zero on *one group* is not an error: by-group results report it
/// as undefined ([`crate::metrics::Undefined`]). It becomes [`EvalError::Undefined`] only where a
/// single number was asked for and none exists.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// Two inputs that must have one entry per row do not.
    #[error("length mismatch: {what} has {found} entries, expected {expected}")]
    LengthMismatch {
        /// What has the wrong length (`y_pred`, `scores`, `weights`, `groups`, ...).
        what: String,
        /// The number of rows.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// No rows where some are needed.
    #[error("empty input: {0}")]
    Empty(String),
    /// A NaN or infinite number where a finite one is required.
    #[error("non-finite value {value} in {what} at row {row}")]
    NonFinite {
        /// Which input (`scores`, `weights`, `y_true`, features, ...).
        what: &'static str,
        /// 0-based row index.
        row: usize,
        /// The offending value.
        value: f64,
    },
    /// A value outside the domain its input requires (a label that is not 0/1, a probability
    /// outside \[0, 1\], a negative weight).
    #[error("{what} at row {row} is {value}, outside {domain}")]
    OutOfDomain {
        /// Which input.
        what: &'static str,
        /// 0-based row index.
        row: usize,
        /// The offending value.
        value: f64,
        /// The allowed domain, e.g. `{0, 1}` or `[0, 1]`.
        domain: &'static str,
    },
    /// A group of the partition has no rows.
    #[error("group `{group}` has no members")]
    EmptyGroup {
        /// The group's name.
        group: String,
    },
    /// A group name that the partition does not contain.
    #[error("unknown group `{name}`; groups are {known:?}")]
    UnknownGroup {
        /// The name asked for.
        name: String,
        /// The names that exist.
        known: Vec<String>,
    },
    /// A metric needs an input (labels, predictions, scores, regression targets) that was not given.
    #[error("metric `{metric}` needs {what}, which were not given")]
    MissingInput {
        /// The metric's name.
        metric: String,
        /// The missing input.
        what: &'static str,
    },
    /// A single number was asked for, but the metric or disparity is undefined on these data
    /// (a zero denominator: no positives, no predicted positives, one class only, ...).
    #[error("`{metric}` is undefined{}: {reason}", group_suffix(.group))]
    Undefined {
        /// The metric or disparity.
        metric: String,
        /// The group it is undefined in, if it is a group's value.
        group: Option<String>,
        /// Why (which denominator is zero).
        reason: String,
    },
    /// A parameter outside its domain (interval level, bootstrap count, bins, k, ...).
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// An error from the data crate (e.g. labels of a data set that are not binary).
    #[error(transparent)]
    Data(#[from] fairfit_data::DataError),
    /// A file could not be created, read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Writing or reading CSV failed.
    #[error("CSV {path}: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The underlying CSV error.
        #[source]
        source: csv::Error,
    },
    /// Serialising or deserialising JSON failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

fn group_suffix(group: &Option<String>) -> String {
    group
        .as_ref()
        .map(|g| format!(" for group `{g}`"))
        .unwrap_or_default()
}

/// Result alias of the evaluation crate.
pub type Result<T, E = EvalError> = std::result::Result<T, E>;
