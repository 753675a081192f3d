//! [`EvalError`]: the one error type of the evaluation crate. Each variant says what went wrong
//! and where: which input and row, which group or metric, which point of which curve and split,
//! which file, line and column, which part of a report.

use std::path::PathBuf;

use crate::estimate::Interval;
use crate::split::Split;

/// Everything that can go wrong while evaluating models: bad inputs, metrics that are undefined
/// on the data, invalid parameters, trade-off curves and their files, sweeps, reports, plots.
///
/// A metric whose denominator is zero on *one group* is not an error: by-group results report it
/// as undefined ([`crate::metrics::Undefined`]). It becomes [`EvalError::Undefined`] only where a
/// single number was asked for and none exists.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    // ----- inputs of metrics -----
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
    /// No rows, points or items where some are needed.
    #[error("empty input: {0}")]
    Empty(String),
    /// A NaN or infinite number in a per-row input where a finite one is required.
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
    /// Two things that must describe the same groups (in the same order) do not.
    #[error("groups differ between {what}: {expected:?} and {found:?}")]
    GroupMismatch {
        /// The two things compared, e.g. `the data audit and the metric frame`.
        what: String,
        /// The groups of the first.
        expected: Vec<String>,
        /// The groups of the second.
        found: Vec<String>,
    },
    /// Two things that must hold the same metrics do not.
    #[error("metrics differ between {what}: {expected:?} and {found:?}")]
    MetricMismatch {
        /// The two things compared, e.g. `model `before` and model `after``.
        what: String,
        /// The metrics of the first.
        expected: Vec<String>,
        /// The metrics of the second.
        found: Vec<String>,
    },
    /// A metric needs an input (labels, predictions, scores, regression targets) that was not given.
    #[error("metric `{metric}` needs {what}, which were not given")]
    MissingInput {
        /// The metric's name.
        metric: String,
        /// The missing input.
        what: &'static str,
    },
    /// A metric that the frame, table or plot asked about does not contain.
    #[error("unknown metric `{name}`; known: {known:?}")]
    UnknownMetric {
        /// The name asked for.
        name: String,
        /// The names that exist.
        known: Vec<String>,
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
    /// A parameter outside its domain (interval level, bootstrap count, bins, k, plot size, ...).
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },

    // ----- trade-off curves, fronts and tables -----
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
    /// A point index that is not a point of the curve.
    #[error("point {index} asked, the curve has {points} points")]
    PointOutOfRange {
        /// The index given.
        index: usize,
        /// The number of points in the curve.
        points: usize,
    },
    /// A NaN or infinite number on a curve point where a finite one is required.
    #[error("non-finite value {value} for {what} at point {point} (method `{method}`)")]
    NonFinitePoint {
        /// The method of the point.
        method: String,
        /// 0-based index of the point in its curve.
        point: usize,
        /// Which number: `test accuracy`, `parameter lambda`, `fit time`, ...
        what: String,
        /// The offending value.
        value: f64,
    },
    /// An interval of a curve point that is not a confidence interval: ends not finite, lower end
    /// above the upper, or a level outside (0, 1).
    #[error(
        "interval [{}, {}] at level {} of {what} at point {point} (method `{method}`): {reason}",
        .interval.lower, .interval.upper, .interval.level
    )]
    InvalidInterval {
        /// The method of the point.
        method: String,
        /// 0-based index of the point in its curve.
        point: usize,
        /// Which metric (split and name).
        what: String,
        /// The interval.
        interval: Interval,
        /// What is wrong with it.
        reason: &'static str,
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

    // ----- sweeps -----
    /// A parameter of a sweep method (or of the runner itself, method `sweep`) outside its domain.
    #[error("invalid parameter `{name}` of {method}: {reason}")]
    InvalidMethodParameter {
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
    /// Fitting a model failed (no convergence, invalid parameters, ...).
    #[error(transparent)]
    Train(#[from] fairfit_train::TrainError),
    /// The model whose scores a threshold method post-processes (the decoupled per-group
    /// models) could not be fitted; shared by every point that needed it.
    #[error("fitting the model whose scores are thresholded failed: {0}")]
    BaseModel(#[source] std::sync::Arc<fairfit_train::TrainError>),
    /// Fitting or applying group-specific thresholds failed.
    #[error(transparent)]
    Postprocess(#[from] fairfit_train::postprocess::PostprocessError),
    /// A point could not be produced in one fold of a cross-validation (folds counted from 1).
    #[error("in fold {fold} of {folds}: {source}")]
    InFold {
        /// The fold, from 1.
        fold: usize,
        /// How many folds there are.
        folds: usize,
        /// What went wrong there.
        #[source]
        source: Box<EvalError>,
    },

    // ----- reports -----
    /// A required part was not given to a builder.
    #[error("the report needs {part}; call `{call}` on the builder")]
    MissingPart {
        /// The part: `a data audit`, `metrics by group`, `the method`.
        part: &'static str,
        /// The builder method that supplies it.
        call: &'static str,
    },
    /// A metric frame carries no bootstrap intervals where they are required (a report states
    /// its uncertainty).
    #[error(
        "the metric frame has no intervals: build it with `Bootstrap::frame` (or use `evaluate`)"
    )]
    NoIntervals,
    /// The method given to a report is not the method of its trade-off point.
    #[error("the report's method is `{report}` but trade-off point {point} is `{point_method}`")]
    MethodMismatch {
        /// The method given to the builder.
        report: String,
        /// The point index.
        point: usize,
        /// The point's method.
        point_method: String,
    },
    /// A parameter has one value in the method given to a report and another on its point.
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

    // ----- files, formats, drawing -----
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
    /// The CSV reader or writer failed; the source carries the position.
    #[error("CSV {path}: {source}")]
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
    /// plotters failed to draw.
    #[error("cannot draw {what}: {message}")]
    Plot {
        /// Which plot.
        what: String,
        /// The drawing error.
        message: String,
    },
    /// Margin selection needs a confidence interval on a point's gap, and the point has none.
    #[error(
        "point {point} (method `{method}`) has no interval on its {split} metric `{metric}`, which \
         margin selection compares with the bound (run the sweep with bootstrap resamples)"
    )]
    MissingInterval {
        /// The method of the point.
        method: String,
        /// 0-based index of the point in its curve.
        point: usize,
        /// The split the choice is made on.
        split: Split,
        /// The gap metric.
        metric: String,
    },
    /// A high-confidence fit failed (`guarantee`).
    #[error(transparent)]
    Guarantee(#[from] crate::guarantee::GuaranteeError),
    /// A loaded fairness report contradicts itself (a part out of range or inconsistent).
    #[error("the fairness report's {part} is invalid: {reason}")]
    InvalidReport {
        /// Which part, e.g. `evaluation, metric accuracy, group 2`.
        part: String,
        /// What is wrong with it.
        reason: String,
    },
}

fn group_suffix(group: &Option<String>) -> String {
    group
        .as_ref()
        .map(|g| format!(" for group `{g}`"))
        .unwrap_or_default()
}

fn column_suffix(column: &Option<String>) -> String {
    column
        .as_ref()
        .map(|c| format!(", column `{c}`"))
        .unwrap_or_default()
}

/// Result alias of the evaluation crate.
pub type Result<T, E = EvalError> = std::result::Result<T, E>;
