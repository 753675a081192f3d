//! [`TradeoffCurve`]: a validated list of points from one or several methods.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{io_error, write_file, Axis, CurvePoint, Split};
use crate::error::{EvalError, Result};
use crate::estimate::Estimate;

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
    pub(crate) fn indices_of(&self, method: &str) -> Vec<usize> {
        (0..self.points.len())
            .filter(|&i| self.points[i].method() == method)
            .collect()
    }

    /// The sub-curve of one method.
    pub(crate) fn of_method(&self, method: &str) -> TradeoffCurve {
        Self {
            points: self
                .points
                .iter()
                .filter(|p| p.method() == method)
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
                method: point.method().to_string(),
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
    pub(crate) fn has_validation(&self) -> bool {
        self.points
            .iter()
            .any(|p| !p.metrics(Split::Validation).is_empty())
    }

    /// Writes the curve as JSON (a list of points) to a file, creating parent directories.
    pub fn write_json(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let text = serde_json::to_string_pretty(self)?;
        write_file(path, text.as_bytes())
    }

    /// Reads a curve from JSON written by [`TradeoffCurve::write_json`]; points are re-checked.
    pub fn read_json(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(io_error(path))?;
        Ok(serde_json::from_str(&text)?)
    }
}
