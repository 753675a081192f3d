//! [`PostprocessError`]: everything that can go wrong while fitting or applying group thresholds.

use fairfit_data::DataError;

/// Everything that can go wrong while fitting or applying group-specific thresholds; each
/// variant says what is wrong and where (row, group, parameter).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PostprocessError {
    /// A parameter outside its domain, or a combination the method cannot honour.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// Two inputs that must have one entry per row do not.
    #[error("length mismatch: {what} has {found} entries, expected {expected}")]
    LengthMismatch {
        /// What has the wrong length.
        what: &'static str,
        /// The number of scores.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// A NaN or infinite score or weight.
    #[error("non-finite value {value} in {what} at row {row}")]
    NonFinite {
        /// `scores` or `weights`.
        what: &'static str,
        /// 0-based row.
        row: usize,
        /// The offending value.
        value: f64,
    },
    /// A negative sample weight.
    #[error("negative weight {value} at row {row}")]
    NegativeWeight {
        /// 0-based row.
        row: usize,
        /// The offending weight.
        value: f64,
    },
    /// No rows at all.
    #[error("no rows to fit thresholds on")]
    Empty,
    /// A group lacks the rows the constraint or objective needs (members with positive weight,
    /// positive labels, negative labels).
    #[error("group `{group}` has no {what}")]
    EmptyGroup {
        /// The group's name.
        group: String,
        /// What it lacks.
        what: &'static str,
    },
    /// The objective needs both classes overall (balanced accuracy), but only one has weight.
    #[error(
        "balanced accuracy needs both classes, but no row with positive weight has label {missing}"
    )]
    SingleClass {
        /// The missing label.
        missing: bool,
    },
    /// The groups have a single group: group-specific thresholds have nothing to equalise.
    #[error("thresholds for {notion} need two groups or more: every row is in group `{group}`")]
    SingleGroup {
        /// The only group.
        group: String,
        /// The notion the thresholds were to enforce.
        notion: String,
    },
    /// A row at prediction time belongs to a group the thresholds were not fitted for.
    #[error("row {row} belongs to group `{group}`, for which no threshold was fitted (known: {known:?})")]
    UnknownGroup {
        /// 0-based row.
        row: usize,
        /// The group's name.
        group: String,
        /// The groups the thresholds know.
        known: Vec<String>,
    },
    /// An exact search failed numerically (a safeguard: it terminates in exact arithmetic).
    #[error("numerical failure: {what}")]
    Numerical {
        /// What failed.
        what: String,
    },
    /// Labels or groups could not be read from a data set.
    #[error(transparent)]
    Data(#[from] DataError),
}

/// Result alias of the post-processing module.
pub type Result<T, E = PostprocessError> = std::result::Result<T, E>;
