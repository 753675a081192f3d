//! The typed errors of the data crate: each says what went wrong and where.

use std::path::PathBuf;

/// Where in a file a problem was found: path, 1-based line and, when known, the column name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The file that was being read.
    pub path: PathBuf,
    /// 1-based line number in that file.
    pub line: u64,
    /// Name of the column, when the problem belongs to one field.
    pub column: Option<String>,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, line {}", self.path.display(), self.line)?;
        if let Some(column) = &self.column {
            write!(f, ", column `{column}`")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong while loading, validating or transforming fairness data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The CSV reader failed (ragged rows, bad UTF-8, ...).
    #[error("{path}: {source}")]
    Csv {
        /// The file that failed.
        path: PathBuf,
        /// The underlying CSV error, which carries the line.
        #[source]
        source: csv::Error,
    },
    /// A field could not be interpreted.
    #[error("{position}: {message}")]
    Parse {
        /// Where the field is.
        position: Position,
        /// What is wrong with it.
        message: String,
    },
    /// A column named in a schema or a call does not exist.
    #[error("unknown column `{name}`{}", context_suffix(.context))]
    UnknownColumn {
        /// The name that was asked for.
        name: String,
        /// The file or data set searched.
        context: String,
    },
    /// Two things that must have one entry per row do not.
    #[error("length mismatch: {what} has {found} entries, expected {expected}")]
    LengthMismatch {
        /// What has the wrong length.
        what: String,
        /// The number of rows.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// A NaN or infinite number where a finite one is required.
    #[error("non-finite value {value} in {what} at row {row}{}", column_suffix(.column))]
    NonFinite {
        /// Which array (features, targets, weights).
        what: &'static str,
        /// 0-based row index.
        row: usize,
        /// Column name, for features.
        column: Option<String>,
        /// The offending value.
        value: f64,
    },
    /// No rows (or no columns) where some are needed.
    #[error("empty data: {0}")]
    Empty(String),
    /// A group (or a group x label cell) that a computation needs has no rows.
    #[error("group `{group}` has no {what}")]
    EmptyGroup {
        /// The group's readable name.
        group: String,
        /// What it lacks: "members", "positive labels", ...
        what: String,
    },
    /// Labels that should be binary 0/1 are not.
    #[error("labels must be 0 or 1, found {value} at row {row}")]
    NotBinary {
        /// 0-based row.
        row: usize,
        /// The value found.
        value: f64,
    },
    /// Only one class present where two are required.
    #[error("only one class ({class}) present in {what}")]
    SingleClass {
        /// Which data.
        what: String,
        /// The class that is present.
        class: f64,
    },
    /// A parameter outside its domain.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// A row has a different number of fields than the header.
    #[error("{position}: expected {expected} fields, found {found}")]
    Ragged {
        /// The line of the short or long row.
        position: Position,
        /// Number of columns in the header (or the first row).
        expected: usize,
        /// Number of fields on this line.
        found: usize,
    },
    /// A finite field whose encoded value is not finite (e.g. `7e307` standardised by a training
    /// standard deviation below 1 overflows): scoring it would be a silent wrong number.
    #[error(
        "{position}: {value} is out of range for this column once encoded (it becomes {encoded})"
    )]
    Overflow {
        /// Where the field is.
        position: Position,
        /// The value read.
        value: f64,
        /// What encoding made of it.
        encoded: f64,
    },
    /// A missing value where the schema's policy does not allow one.
    #[error("{position}: missing value (`{marker}`)")]
    Missing {
        /// Where the missing value is.
        position: Position,
        /// The marker that was found.
        marker: String,
    },
    /// A label column that does not have exactly two values, or a value outside the two.
    #[error("label column `{column}` in {path}: {reason}")]
    LabelValues {
        /// The label column.
        column: String,
        /// The file.
        path: PathBuf,
        /// What is wrong: the values found.
        reason: String,
    },
    /// A value of a categorical or sensitive column that the fitted encoder does not know.
    #[error("{position}: unknown level `{value}` (known: {known:?})")]
    UnknownLevel {
        /// Where the value is.
        position: Position,
        /// The value.
        value: String,
        /// The levels fitted on training data.
        known: Vec<String>,
    },
    /// A group named in a call, or met in data, that the fitted transformer does not know.
    #[error("unknown group `{name}`; known groups: {known:?}")]
    UnknownGroup {
        /// The group name that was not found.
        name: String,
        /// The groups that are known.
        known: Vec<String>,
    },
    /// A model used inside a data method (e.g. the ranker of preferential sampling) failed.
    #[error("ranker `{ranker}` failed: {message}")]
    Ranker {
        /// The ranker's name.
        ranker: String,
        /// What went wrong.
        message: String,
    },
    /// Serialising or deserialising JSON failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// An error of linfa's own (its `Fit` trait requires that the error type can carry one).
    #[error("linfa: {0}")]
    Linfa(#[from] linfa::Error),
    /// A file whose bytes are not valid in the format its name or first bytes announce: a `.gz`
    /// that is not gzip, a truncated gzip stream, a corrupt Parquet file, a Parquet column of a
    /// type that has no text form here. The message starts with the row and column, when known.
    #[error("{path}: not a readable {format} file: {message}")]
    Format {
        /// The file that failed.
        path: PathBuf,
        /// The format it was read as (`gzip CSV`, `Parquet`, ...).
        format: &'static str,
        /// Where (`row 12, column `x`: `) and what is wrong.
        message: String,
    },
}

impl DataError {
    /// A [`DataError::Format`] at a 1-based line or row and a column, when known.
    pub(crate) fn format(
        path: &std::path::Path,
        format: &'static str,
        row: Option<u64>,
        column: Option<&str>,
        message: impl std::fmt::Display,
    ) -> Self {
        let row = row.map(|r| format!("row {r}, ")).unwrap_or_default();
        let column = column
            .map(|c| format!("column `{c}`, "))
            .unwrap_or_default();
        let place = format!("{row}{column}");
        let place = place
            .strip_suffix(", ")
            .map(|p| format!("{p}: "))
            .unwrap_or_default();
        Self::Format {
            path: path.to_path_buf(),
            format,
            message: format!("{place}{message}"),
        }
    }
}

fn context_suffix(context: &str) -> String {
    if context.is_empty() {
        String::new()
    } else {
        format!(" in {context}")
    }
}

fn column_suffix(column: &Option<String>) -> String {
    column
        .as_ref()
        .map(|c| format!(", column `{c}`"))
        .unwrap_or_default()
}

/// Result alias of the data crate.
pub type Result<T, E = DataError> = std::result::Result<T, E>;
