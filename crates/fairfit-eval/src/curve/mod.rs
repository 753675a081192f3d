//! Trade-off curves: one point per fitted model, with what it gives (performance) and what it
//! costs (fairness gaps) on every split, so that methods can be compared on one picture.
//!
//! A [`CurvePoint`] records the method, its parameters (λ, ε, ...), named metrics per [`Split`]
//! (each an [`Estimate`]: a value and optionally a confidence [`Interval`](crate::Interval)) and the fit time.
//! A [`TradeoffCurve`] is a validated list of points, possibly from several methods; it writes
//! and reads CSV ([`TradeoffCurve::write_csv`]) and JSON, and feeds the Pareto analysis
//! ([`crate::pareto`]) and the plots ([`crate::plot`]). An [`Axis`] picks one metric on one split
//! with the direction in which it is better.
//!
//! ```
//! use fairfit_eval::curve::{names, CurvePoint, Split, TradeoffCurve};
//! let mut curve = TradeoffCurve::new();
//! for (lambda, acc, gap) in [(0.0, 0.85, 0.18), (1.0, 0.83, 0.06), (10.0, 0.81, 0.01)] {
//!     curve.push(
//!         CurvePoint::new("dp-penalty")
//!             .with_param("lambda", lambda)
//!             .with_metric(Split::Test, names::ACCURACY, acc)
//!             .with_metric(Split::Test, names::DP_DIFFERENCE, gap),
//!     )?;
//! }
//! assert_eq!(curve.len(), 3);
//! assert_eq!(curve.methods(), ["dp-penalty"]);
//! # Ok::<(), fairfit_eval::EvalError>(())
//! ```

mod axis;
mod csv_io;

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{EvalError, Result};
use crate::estimate::Estimate;

pub use axis::{Axis, Direction};
pub(crate) use csv_io::number;

/// Conventional metric names, so that curves built in different places line up on one axis.
pub mod names {
    /// Accuracy: share of correct hard predictions.
    pub const ACCURACY: &str = "accuracy";
    /// Balanced accuracy: mean of TPR and TNR.
    pub const BALANCED_ACCURACY: &str = "balanced_accuracy";
    /// Area under the ROC curve.
    pub const ROC_AUC: &str = "roc_auc";
    /// Demographic-parity difference: max − min of per-group selection rates.
    pub const DP_DIFFERENCE: &str = "dp_difference";
    /// Demographic-parity ratio: min / max of per-group selection rates.
    pub const DP_RATIO: &str = "dp_ratio";
    /// Equalized-odds difference: the larger of the TPR and FPR differences.
    pub const EO_DIFFERENCE: &str = "eo_difference";
    /// Equal-opportunity difference: max − min of per-group TPR.
    pub const TPR_DIFFERENCE: &str = "tpr_difference";

    /// A readable label for a metric name: the known names spelled out, others with `_` → space.
    pub fn label(metric: &str) -> String {
        match metric {
            ACCURACY => "Accuracy".into(),
            BALANCED_ACCURACY => "Balanced accuracy".into(),
            ROC_AUC => "ROC AUC".into(),
            DP_DIFFERENCE => "Demographic-parity difference".into(),
            DP_RATIO => "Demographic-parity ratio".into(),
            EO_DIFFERENCE => "Equalized-odds difference".into(),
            TPR_DIFFERENCE => "Equal-opportunity difference".into(),
            other => {
                let spaced = other.replace('_', " ");
                let mut chars = spaced.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => spaced,
                }
            }
        }
    }
}

/// The part of a split data set a metric was measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// The rows the model was fitted on.
    Train,
    /// Held-out rows used to choose among models (parameters, thresholds).
    Validation,
    /// Held-out rows used only to report.
    Test,
}

impl Split {
    /// All splits in their canonical order (train, validation, test).
    pub const ALL: [Split; 3] = [Split::Train, Split::Validation, Split::Test];

    /// The lower-case name used in CSV headers and JSON: `train`, `validation`, `test`.
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Validation => "validation",
            Split::Test => "test",
        }
    }
}

impl std::fmt::Display for Split {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Split {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Split::ALL
            .into_iter()
            .find(|split| split.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not a split (train, validation, test)"))
    }
}

/// One named metric of a point on one split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedEstimate {
    /// The metric's name, e.g. `accuracy` (see [`names`]).
    pub name: String,
    /// Its value and interval.
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// One numeric parameter of a method, e.g. `lambda = 0.1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// The parameter's name.
    pub name: String,
    /// Its value.
    pub value: f64,
}

/// One fitted model on the trade-off: method, parameters, metrics per split, fit time.
///
/// Built with `with_*` methods; checked (finite numbers, ordered intervals, usable names) when it
/// enters a [`TradeoffCurve`]. Metrics keep the order they were added in; adding a metric twice
/// on one split replaces the first value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    method: String,
    params: Vec<Param>,
    train: Vec<NamedEstimate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    validation: Vec<NamedEstimate>,
    test: Vec<NamedEstimate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fit_seconds: Option<f64>,
}

impl CurvePoint {
    /// A point of `method` without parameters or metrics yet.
    pub fn new(method: impl Into<String>) -> Self {
        Self {
            method: method.into(),
            params: Vec::new(),
            train: Vec::new(),
            validation: Vec::new(),
            test: Vec::new(),
            fit_seconds: None,
        }
    }

    /// Adds (or replaces) a parameter, e.g. `("lambda", 0.1)`.
    pub fn with_param(mut self, name: impl Into<String>, value: f64) -> Self {
        let name = name.into();
        match self.params.iter_mut().find(|p| p.name == name) {
            Some(p) => p.value = value,
            None => self.params.push(Param { name, value }),
        }
        self
    }

    /// Adds (or replaces) a metric on a split; `estimate` is a plain `f64` or an [`Estimate`].
    pub fn with_metric(
        mut self,
        split: Split,
        name: impl Into<String>,
        estimate: impl Into<Estimate>,
    ) -> Self {
        let name = name.into();
        let estimate = estimate.into();
        let metrics = self.metrics_mut(split);
        match metrics.iter_mut().find(|m| m.name == name) {
            Some(m) => m.estimate = estimate,
            None => metrics.push(NamedEstimate { name, estimate }),
        }
        self
    }

    /// Removes every metric of a split (e.g. to put metrics computed elsewhere in their place).
    pub fn without_metrics(mut self, split: Split) -> Self {
        self.metrics_mut(split).clear();
        self
    }

    /// Sets the wall time the fit took.
    pub fn with_fit_time(mut self, time: Duration) -> Self {
        self.fit_seconds = Some(time.as_secs_f64());
        self
    }

    /// Sets the fit time in seconds (as read back from a file).
    pub fn with_fit_seconds(mut self, seconds: f64) -> Self {
        self.fit_seconds = Some(seconds);
        self
    }

    /// The method's name.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The parameters, in the order they were added.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The value of one parameter.
    pub fn param(&self, name: &str) -> Option<f64> {
        self.params.iter().find(|p| p.name == name).map(|p| p.value)
    }

    /// The metrics on one split, in the order they were added (empty when the split was not
    /// evaluated).
    pub fn metrics(&self, split: Split) -> &[NamedEstimate] {
        match split {
            Split::Train => &self.train,
            Split::Validation => &self.validation,
            Split::Test => &self.test,
        }
    }

    /// One metric on one split.
    pub fn metric(&self, split: Split, name: &str) -> Option<&Estimate> {
        self.metrics(split)
            .iter()
            .find(|m| m.name == name)
            .map(|m| &m.estimate)
    }

    /// The fit time in seconds, when recorded.
    pub fn fit_seconds(&self) -> Option<f64> {
        self.fit_seconds
    }

    /// A short readable description of the parameters, e.g. `lambda=0.1`; empty without any.
    pub fn param_label(&self) -> String {
        self.params
            .iter()
            .map(|p| format!("{}={}", p.name, p.value))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn metrics_mut(&mut self, split: Split) -> &mut Vec<NamedEstimate> {
        match split {
            Split::Train => &mut self.train,
            Split::Validation => &mut self.validation,
            Split::Test => &mut self.test,
        }
    }

    /// Checks names, finiteness and intervals; `index` is the point's position for messages.
    fn validate(&self, index: usize) -> Result<()> {
        check_name(&self.method, false)?;
        let non_finite = |what: String, value: f64| EvalError::NonFinitePoint {
            method: self.method.clone(),
            point: index,
            what,
            value,
        };
        for p in &self.params {
            check_name(&p.name, true)?;
            if !p.value.is_finite() {
                return Err(non_finite(format!("parameter {}", p.name), p.value));
            }
        }
        if let Some(t) = self.fit_seconds {
            if !t.is_finite() || t < 0.0 {
                return Err(non_finite("fit time".into(), t));
            }
        }
        for split in Split::ALL {
            for m in self.metrics(split) {
                check_name(&m.name, true)?;
                let what = format!("{split} {}", m.name);
                let e = m.estimate;
                if !e.value.is_finite() {
                    return Err(non_finite(what, e.value));
                }
                if let Some(interval) = e.interval {
                    if let Some(reason) = interval.problem() {
                        return Err(EvalError::InvalidInterval {
                            method: self.method.clone(),
                            point: index,
                            what,
                            interval,
                            reason,
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

/// Names must be non-empty and printable on one line; parameter and metric names also must not
/// contain `.`, which separates the parts of a CSV header (`test.accuracy.lower`).
fn check_name(name: &str, no_dot: bool) -> Result<()> {
    let reason = if name.trim().is_empty() {
        Some("names must not be empty")
    } else if name.trim() != name || name.contains(['\n', '\r']) {
        Some("names must not start or end with white space or contain line breaks")
    } else if no_dot && name.contains('.') {
        Some("parameter and metric names must not contain `.` (it separates CSV header parts)")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(EvalError::InvalidName {
            name: name.to_string(),
            reason,
        }),
        None => Ok(()),
    }
}

/// A validated list of [`CurvePoint`]s from one or several methods.
///
/// Points keep their insertion order, which for a path is the order of its parameter (plots
/// connect a method's points in this order). Curves of different methods combine with
/// [`TradeoffCurve::extend`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<CurvePoint>", into = "Vec<CurvePoint>")]
pub struct TradeoffCurve {
    points: Vec<CurvePoint>,
}

impl TryFrom<Vec<CurvePoint>> for TradeoffCurve {
    type Error = EvalError;

    fn try_from(points: Vec<CurvePoint>) -> Result<Self> {
        Self::from_points(points)
    }
}

impl From<TradeoffCurve> for Vec<CurvePoint> {
    fn from(curve: TradeoffCurve) -> Self {
        curve.points
    }
}

impl TradeoffCurve {
    /// An empty curve.
    pub fn new() -> Self {
        Self::default()
    }

    /// A curve from points, each checked (see [`TradeoffCurve::push`]).
    pub fn from_points(points: Vec<CurvePoint>) -> Result<Self> {
        for (i, p) in points.iter().enumerate() {
            p.validate(i)?;
        }
        Ok(Self { points })
    }

    /// Appends a point after checking it: names usable in CSV headers, every number finite,
    /// every interval with `lower ≤ upper`, fit time ≥ 0.
    pub fn push(&mut self, point: CurvePoint) -> Result<&mut Self> {
        point.validate(self.points.len())?;
        self.points.push(point);
        Ok(self)
    }

    /// Appends all points of another curve (e.g. another method's).
    pub fn extend(&mut self, other: TradeoffCurve) -> &mut Self {
        self.points.extend(other.points);
        self
    }

    /// Combines several curves into one, in order.
    pub fn combine(curves: impl IntoIterator<Item = TradeoffCurve>) -> Self {
        let mut all = Self::new();
        for c in curves {
            all.extend(c);
        }
        all
    }

    /// The points, in insertion order.
    pub fn points(&self) -> &[CurvePoint] {
        &self.points
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the curve has no points.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The method names in order of first appearance.
    pub fn methods(&self) -> Vec<&str> {
        let mut methods: Vec<&str> = Vec::new();
        for p in &self.points {
            if !methods.contains(&p.method()) {
                methods.push(p.method());
            }
        }
        methods
    }

    /// Indices of the points of one method, in order.
    pub fn indices_of(&self, method: &str) -> Vec<usize> {
        (0..self.points.len())
            .filter(|&i| self.points[i].method == method)
            .collect()
    }

    /// The sub-curve of one method.
    pub fn of_method(&self, method: &str) -> TradeoffCurve {
        Self {
            points: self
                .points
                .iter()
                .filter(|p| p.method == method)
                .cloned()
                .collect(),
        }
    }

    /// The estimate of point `index` on an axis, or [`EvalError::PointOutOfRange`] /
    /// [`EvalError::MissingMetric`].
    pub fn estimate(&self, index: usize, split: Split, metric: &str) -> Result<Estimate> {
        let point = self.points.get(index).ok_or(EvalError::PointOutOfRange {
            index,
            points: self.points.len(),
        })?;
        point
            .metric(split, metric)
            .copied()
            .ok_or_else(|| EvalError::MissingMetric {
                method: point.method.clone(),
                point: index,
                split,
                metric: metric.to_string(),
            })
    }

    /// The values of every point on two axes, in point order; fails on an empty curve or when a
    /// point lacks either metric.
    pub fn coordinates(&self, x: &Axis, y: &Axis) -> Result<Vec<(f64, f64)>> {
        if self.points.is_empty() {
            return Err(EvalError::Empty(format!(
                "no points to place on {} × {}",
                x.name(),
                y.name()
            )));
        }
        (0..self.points.len())
            .map(|i| {
                Ok((
                    self.estimate(i, x.split, &x.metric)?.value,
                    self.estimate(i, y.split, &y.metric)?.value,
                ))
            })
            .collect()
    }

    /// Whether any point has validation metrics.
    pub fn has_validation(&self) -> bool {
        self.points.iter().any(|p| !p.validation.is_empty())
    }

    /// Writes the curve as JSON (a list of points) to a file, creating parent directories.
    pub fn write_json(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let text = serde_json::to_string_pretty(self)?;
        crate::curve::write_file(path, text.as_bytes())
    }

    /// Reads a curve from JSON written by [`TradeoffCurve::write_json`]; points are re-checked.
    pub fn read_json(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// Left-aligned text columns separated by two spaces, with a rule under the header row (the
/// first row); the layout of every text table fairfit prints.
pub fn aligned(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (k, row) in rows.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(s, &w)| format!("{s:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
        if k == 0 {
            let total = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
    }
    out
}

/// Writes rows of cells as a CSV file, creating its parent directories; errors name the path.
pub(crate) fn write_rows(path: &Path, rows: &[Vec<String>]) -> Result<()> {
    let csv_err = |source| EvalError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row).map_err(csv_err)?;
    }
    let bytes = w.into_inner().map_err(|e| EvalError::Io {
        path: path.to_path_buf(),
        source: e.into_error(),
    })?;
    write_file(path, &bytes)
}

/// Writes bytes to a file, creating its parent directories; errors name the path.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, bytes).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::Interval;

    fn point(method: &str, lambda: f64, acc: f64, gap: f64) -> CurvePoint {
        CurvePoint::new(method)
            .with_param("lambda", lambda)
            .with_metric(Split::Test, names::ACCURACY, acc)
            .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
    }

    #[test]
    fn push_rejects_nan_reversed_intervals_and_bad_names() {
        let mut c = TradeoffCurve::new();
        c.push(point("a", 0.0, 0.8, 0.1)).unwrap();
        let err = c.push(point("a", 1.0, f64::NAN, 0.1)).unwrap_err();
        assert!(
            matches!(&err, EvalError::NonFinitePoint { point: 1, what, .. } if what == "test accuracy"),
            "{err}"
        );
        let err = c
            .push(point("a", f64::INFINITY, 0.8, 0.1))
            .unwrap_err()
            .to_string();
        assert!(err.contains("parameter lambda"), "{err}");
        let reversed = point("a", 1.0, 0.8, 0.1).with_metric(
            Split::Train,
            "accuracy",
            Estimate::with_interval(0.8, Interval::new(0.9, 0.7, 0.95)),
        );
        assert!(matches!(
            c.push(reversed),
            Err(EvalError::InvalidInterval { point: 1, .. })
        ));
        let no_level = point("a", 1.0, 0.8, 0.1).with_metric(
            Split::Test,
            "accuracy",
            Estimate::with_interval(0.8, Interval::new(0.7, 0.9, 95.0)),
        );
        let err = c.push(no_level).unwrap_err();
        assert!(
            matches!(&err, EvalError::InvalidInterval { point: 1, reason, .. } if reason.contains("level")),
            "{err}"
        );
        let dotted = CurvePoint::new("a").with_metric(Split::Test, "acc.lower", 1.0);
        assert!(matches!(c.push(dotted), Err(EvalError::InvalidName { .. })));
        assert!(matches!(
            c.push(CurvePoint::new(" ")),
            Err(EvalError::InvalidName { .. })
        ));
        assert!(matches!(
            c.push(CurvePoint::new("a").with_fit_seconds(-1.0)),
            Err(EvalError::NonFinitePoint { .. })
        ));
        assert_eq!(c.len(), 1, "rejected points must not enter the curve");
    }

    #[test]
    fn coordinates_name_the_missing_metric_and_reject_empty_curves() {
        let mut c = TradeoffCurve::new();
        let (x, y) = (
            Axis::minimise(names::DP_DIFFERENCE),
            Axis::maximise(names::ACCURACY),
        );
        assert!(matches!(c.coordinates(&x, &y), Err(EvalError::Empty(_))));
        c.push(point("a", 0.0, 0.8, 0.1)).unwrap();
        c.push(CurvePoint::new("b").with_metric(Split::Test, names::ACCURACY, 0.7))
            .unwrap();
        let err = c.coordinates(&x, &y).unwrap_err();
        assert!(
            matches!(&err, EvalError::MissingMetric { point: 1, split: Split::Test, metric, method }
                if metric == names::DP_DIFFERENCE && method == "b"),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "point 1 (method `b`) has no test metric `dp_difference`"
        );
    }

    #[test]
    fn methods_keep_first_appearance_and_replacing_a_metric_keeps_its_slot() {
        let c = TradeoffCurve::from_points(vec![
            point("b", 0.0, 0.8, 0.1),
            point("a", 0.0, 0.8, 0.1),
            point("b", 1.0, 0.7, 0.0),
        ])
        .unwrap();
        assert_eq!(c.methods(), ["b", "a"]);
        assert_eq!(c.indices_of("b"), [0, 2]);
        let p = point("a", 0.0, 0.8, 0.1).with_metric(Split::Test, names::ACCURACY, 0.5);
        assert_eq!(p.metrics(Split::Test)[0].name, names::ACCURACY);
        assert_eq!(p.metric(Split::Test, names::ACCURACY).unwrap().value, 0.5);
        assert_eq!(names::label("false_positive_rate"), "False positive rate");
    }

    #[test]
    fn json_round_trips_and_rechecks_points() {
        let c = TradeoffCurve::from_points(vec![point("a", 0.5, 0.8, 0.1).with_metric(
            Split::Validation,
            names::ACCURACY,
            Estimate::with_interval(0.81, Interval::new(0.79, 0.83, 0.95)),
        )])
        .unwrap();
        let text = serde_json::to_string(&c).unwrap();
        let back: TradeoffCurve = serde_json::from_str(&text).unwrap();
        assert_eq!(back, c);
        let bad = text.replace("0.79", "0.95");
        assert!(serde_json::from_str::<TradeoffCurve>(&bad).is_err());
    }
}
