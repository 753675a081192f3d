//! [`Axis`]: one metric on one split, with the direction in which it is better.

use serde::{Deserialize, Serialize};

use super::{names, Split};

/// Whether larger or smaller values of a metric are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Larger is better (accuracy, AUC, a parity ratio).
    Maximise,
    /// Smaller is better (a gap, a loss).
    Minimise,
}

/// One metric on one split and the direction in which it is better: an axis of a plot and an
/// objective of a Pareto front.
///
/// ```
/// use fairfit::eval::curve::{names, Axis, Direction, Split};
/// let gap = Axis::minimise(names::DP_DIFFERENCE);
/// assert_eq!(gap.split, Split::Test);
/// assert!(gap.better(0.01, 0.05));
/// let acc = Axis::maximise(names::ACCURACY).on(Split::Validation);
/// assert_eq!(acc.label(), "Accuracy (validation)");
/// assert_eq!(acc.direction, Direction::Maximise);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// The metric's name.
    pub metric: String,
    /// The split it is read from.
    pub split: Split,
    /// Which way is better.
    pub direction: Direction,
    /// A label overriding the default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Axis {
    /// An axis on which larger values of `metric` (on the test split) are better.
    pub fn maximise(metric: impl Into<String>) -> Self {
        Self::new(metric, Direction::Maximise)
    }

    /// An axis on which smaller values of `metric` (on the test split) are better.
    pub fn minimise(metric: impl Into<String>) -> Self {
        Self::new(metric, Direction::Minimise)
    }

    fn new(metric: impl Into<String>, direction: Direction) -> Self {
        Self {
            metric: metric.into(),
            split: Split::Test,
            direction,
            title: None,
        }
    }

    /// The same axis read from another split.
    pub fn on(mut self, split: Split) -> Self {
        self.split = split;
        self
    }

    /// The same axis with a custom label.
    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// The label to print: the custom title, or the metric's readable name and the split.
    pub fn label(&self) -> String {
        match &self.title {
            Some(t) => t.clone(),
            None => format!("{} ({})", names::label(&self.metric), self.split),
        }
    }

    /// A compact identifier `split.metric`, as in CSV headers.
    pub fn name(&self) -> String {
        format!("{}.{}", self.split, self.metric)
    }

    /// Whether `a` is strictly better than `b` on this axis.
    pub fn better(&self, a: f64, b: f64) -> bool {
        match self.direction {
            Direction::Maximise => a > b,
            Direction::Minimise => a < b,
        }
    }

    /// The value turned so that larger is better (negated when minimising).
    pub(crate) fn oriented(&self, value: f64) -> f64 {
        match self.direction {
            Direction::Maximise => value,
            Direction::Minimise => -value,
        }
    }
}
