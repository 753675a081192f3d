//! [`CurveError`]: what can go wrong while building, reading, comparing or drawing trade-off
//! curves, and where.

use std::path::PathBuf;

use super::Split;

/// Everything that can go wrong with trade-off curves, Pareto fronts, plots and reports.
///
/// Each variant names what is wrong and where: the method and point index, the metric and split,
/// or the file and line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CurveError {
    /// A curve (or the part of it a computation needs) has no points.
    #[error("empty curve: {0}")]
    Empty(String),
    /// A point lacks a metric that an axis or a table asks for.
    #[error("point {point} (method `{method}`) has no {split} metric `{metric}`")]
    MissingMetric {
        /// The method of the point.
        method: String,
        /// 0-based index of the point in its curve.
        point: usize,
        /// The split that was asked for.
        split: Split,
        /// The metric that was asked for.
        metric: String,
    },
    /// A NaN or infinite number where a finite one is required.
    #[error("non-finite value {value} for {what} at point {point} (method `{method}`)")]
    NonFinite {
        /// The method of the point.
        method: String,
        /// 0-based index of the point in its curve.
        point: usize,
        /// Which number: `test accuracy`, `parameter lambda`, `fit time`, ...
        what: String,
        /// The offending value.
        value: f64,
    },
    /// An interval whose lower end lies above its upper end.
    #[error(
        "interval [{lower}, {upper}] of {what} at point {point} (method `{method}`) is reversed"
    )]
    InvalidInterval {
        /// The method of the point.
        method: String,
        /// 0-based index of the point in its curve.
        point: usize,
        /// Which metric (split and name).
        what: String,
        /// Lower end.
        lower: f64,
        /// Upper end.
        upper: f64,
    },
    /// A method, parameter or metric name that cannot be written and read back unambiguously.
    #[error("invalid name `{name}`: {reason}")]
    InvalidName {
        /// The name given.
        name: String,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// A hypervolume reference point that some point does not dominate.
    #[error(
        "reference point ({ref_x}, {ref_y}) is not dominated by point {point} (method \
         `{method}`) at ({x}, {y}): choose a reference worse than every point on both axes"
    )]
    ReferenceNotDominated {
        /// Reference point, first axis.
        ref_x: f64,
        /// Reference point, second axis.
        ref_y: f64,
        /// The method of the offending point.
        method: String,
        /// 0-based index of the offending point.
        point: usize,
        /// Its first-axis value.
        x: f64,
        /// Its second-axis value.
        y: f64,
    },
    /// A parameter outside its domain.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// A file could not be created, opened or read.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The CSV reader or writer failed; the source carries the position.
    #[error("{path}: {source}")]
    Csv {
        /// The file (or `<memory>`).
        path: PathBuf,
        /// The underlying CSV error.
        #[source]
        source: csv::Error,
    },
    /// A CSV field or header could not be interpreted.
    #[error("{path}, line {line}{}: {message}", column_suffix(.column))]
    Parse {
        /// The file (or `<memory>`).
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The column, when the problem belongs to one field.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// Serialising or deserialising JSON failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A metric that the frame or table being drawn or reported does not contain.
    #[error("unknown metric `{name}`; known: {known:?}")]
    UnknownMetric {
        /// The name asked for.
        name: String,
        /// The names that exist.
        known: Vec<String>,
    },
    /// An error from the metrics (a frame entry that could not be computed, ...).
    #[error(transparent)]
    Eval(#[from] crate::EvalError),
    /// plotters failed to draw.
    #[error("cannot draw {what}: {message}")]
    Plot {
        /// Which plot.
        what: String,
        /// The drawing error.
        message: String,
    },
}

fn column_suffix(column: &Option<String>) -> String {
    column
        .as_ref()
        .map(|c| format!(", column `{c}`"))
        .unwrap_or_default()
}

/// Result alias for curves, fronts, plots and reports.
pub type Result<T, E = CurveError> = std::result::Result<T, E>;
