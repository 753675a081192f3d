//! [`ReportError`]: why a fairness report could not be assembled, naming the part at fault.

use crate::curve::{CurveError, Split};

/// Everything that can stop [`super::FairnessReportBuilder::build`] or the report's output.
///
/// Each variant says which part of the report is wrong: a part that was never given, a frame
/// without intervals, groups that differ between the data audit and the metrics, a trade-off
/// point that does not exist, lacks a metric, or describes another method.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A required part was not given to the builder.
    #[error("the report needs {part}; call `{call}` on the builder")]
    Missing {
        /// The part: `a data audit`, `metrics by group`, `the method`.
        part: &'static str,
        /// The builder method that supplies it.
        call: &'static str,
    },
    /// The metric frame carries no bootstrap intervals (a report states its uncertainty).
    #[error(
        "the metric frame has no intervals: build it with `Bootstrap::frame` (or use `evaluate`)"
    )]
    NoIntervals,
    /// The metric frame's groups are not the audit's groups.
    #[error("groups differ: the data audit has {audit:?}, the metric frame {frame:?}")]
    GroupMismatch {
        /// The audit's group names, in order.
        audit: Vec<String>,
        /// The frame's group names, in order.
        frame: Vec<String>,
    },
    /// The trade-off point index is not a point of the curve.
    #[error("trade-off point {index} asked, the curve has {points} points")]
    PointOutOfRange {
        /// The index given.
        index: usize,
        /// The number of points in the curve.
        points: usize,
    },
    /// A point of the curve lacks a metric an axis of the position needs.
    #[error("trade-off point {point} (method `{method}`) has no {split} metric `{metric}`")]
    MissingMetric {
        /// 0-based index of the point.
        point: usize,
        /// Its method.
        method: String,
        /// The split asked for.
        split: Split,
        /// The metric asked for.
        metric: String,
    },
    /// The method given to the builder is not the method of the trade-off point.
    #[error("the report's method is `{report}` but trade-off point {point} is `{point_method}`")]
    MethodMismatch {
        /// The method given to the builder.
        report: String,
        /// The point index.
        point: usize,
        /// The point's method.
        point_method: String,
    },
    /// A parameter has one value in the method given to the builder and another on the point.
    #[error(
        "parameter `{name}` is {report} in the report's method but {on_point} on trade-off point {point}"
    )]
    ParamMismatch {
        /// The parameter's name.
        name: String,
        /// Its value in the method given to the builder.
        report: f64,
        /// The point index.
        point: usize,
        /// Its value on the point.
        on_point: f64,
    },
    /// A parameter outside its domain (e.g. zero proxies to show).
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// Computing the metrics failed (bad outcomes, an empty group, ...).
    #[error(transparent)]
    Eval(#[from] crate::EvalError),
    /// The trade-off analysis failed for another reason than a missing metric.
    #[error(transparent)]
    Curve(CurveError),
    /// Serialising or reading the report's JSON failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A report file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl From<CurveError> for ReportError {
    fn from(e: CurveError) -> Self {
        match e {
            CurveError::MissingMetric {
                method,
                point,
                split,
                metric,
            } => ReportError::MissingMetric {
                point,
                method,
                split,
                metric,
            },
            other => ReportError::Curve(other),
        }
    }
}

/// Result alias of the report module.
pub type Result<T, E = ReportError> = std::result::Result<T, E>;
