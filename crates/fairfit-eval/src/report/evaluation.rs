//! The report's table of metrics by group: [`Cell`], [`MetricRow`], [`Evaluation`], and the
//! [`STANDARD_METRICS`] a report evaluates.

use fairfit_data::Groups;
use serde::{Deserialize, Serialize};

use super::disparities::{equalized_odds, UNDEFINED_EO};
use crate::bootstrap::Bootstrap;
use crate::curve::Split;
use crate::error::{EvalError, Result};
use crate::estimate::Interval;
use crate::frame::{Entry, MetricFrame};
use crate::metrics::{Aggregate, ByGroup, Measure, Metric, Outcomes, Value};

/// One entry of the report: a value (or why it is undefined) and its bootstrap interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The point estimate, if defined.
    pub value: Option<f64>,
    /// Why there is no value, if undefined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
    /// The percentile interval, if the entry was defined in at least two replicates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
}

impl Cell {
    pub(super) fn new(value: Value, interval: Option<Interval>) -> Self {
        Self {
            value: value.ok(),
            undefined: value.err().map(|u| u.reason.to_string()),
            interval,
        }
    }

    pub(super) fn of(frame: &MetricFrame, metric: &str, entry: Entry) -> Result<Self> {
        let e = frame.estimate(metric, entry)?;
        Ok(Self::new(e.value, e.interval))
    }
}

/// One metric of the frame: overall, per group (in [`Evaluation::groups`] order), and the
/// difference and ratio across groups, each with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricRow {
    /// The metric's name (e.g. `selection_rate`).
    pub metric: String,
    /// On all rows.
    pub overall: Cell,
    /// On each group's rows.
    pub groups: Vec<Cell>,
    /// max − min over groups.
    pub difference: Cell,
    /// min / max over groups.
    pub ratio: Cell,
}

/// The metrics of the model by group on one split, with the bootstrap's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The split the metrics were computed on (normally test).
    pub split: Split,
    /// Confidence level of the intervals.
    pub level: f64,
    /// Number of bootstrap replicates.
    pub resamples: usize,
    /// The group names.
    pub groups: Vec<String>,
    /// One row per metric, in the frame's order.
    pub metrics: Vec<MetricRow>,
}

/// The metrics [`FairnessReportBuilder::evaluate`](crate::report::FairnessReportBuilder::evaluate) computes: count, selection rate, accuracy,
/// balanced accuracy, error rate, TPR, FPR, FNR, PPV; and, when the outcomes carry scores,
/// ROC AUC and Brier score.
pub const STANDARD_METRICS: [Measure; 9] = [
    Measure::Count,
    Measure::SelectionRate,
    Measure::Accuracy,
    Measure::BalancedAccuracy,
    Measure::ErrorRate,
    Measure::Tpr,
    Measure::Fpr,
    Measure::Fnr,
    Measure::Ppv,
];

/// The standard frame and the equalized-odds difference with its interval.
pub(super) fn evaluate(
    bootstrap: &Bootstrap,
    outcomes: &Outcomes,
    groups: &Groups,
) -> Result<(MetricFrame, Cell)> {
    let mut metrics: Vec<&dyn Metric> = STANDARD_METRICS.iter().map(|m| m as &dyn Metric).collect();
    if outcomes.scores().is_some() {
        metrics.push(&Measure::RocAuc);
        metrics.push(&Measure::Brier);
    }
    let frame = bootstrap.frame(outcomes, groups, &metrics)?;
    let eo = |cols: &[ByGroup]| -> Vec<Value> { vec![equalized_odds(&cols[0], &cols[1])] };
    let (values, intervals) =
        bootstrap.statistics(outcomes, groups, &[&Measure::Tpr, &Measure::Fpr], eo)?;
    let cell = Cell::new(
        values.first().copied().unwrap_or(Err(UNDEFINED_EO)),
        intervals.first().copied().flatten(),
    );
    Ok((frame, cell))
}

/// The frame as the report's table; the frame must carry intervals.
pub(super) fn evaluation_of(split: Split, frame: &MetricFrame) -> Result<Evaluation> {
    // Every interval records its level and how many replicates it used and left out.
    let interval = frame
        .metrics()
        .iter()
        .flat_map(|m| frame.entries().into_iter().map(move |e| (*m, e)))
        .find_map(|(m, e)| frame.estimate(m, e).ok().and_then(|x| x.interval))
        .ok_or(EvalError::NoIntervals)?;
    let replicates = interval.replicates.ok_or(EvalError::NoIntervals)?;
    let mut metrics = Vec::new();
    for metric in frame.metrics() {
        metrics.push(MetricRow {
            metric: metric.to_string(),
            overall: Cell::of(frame, metric, Entry::Overall)?,
            groups: (0..frame.groups().len())
                .map(|g| Cell::of(frame, metric, Entry::Group(g)))
                .collect::<Result<_>>()?,
            difference: Cell::of(frame, metric, Entry::Summary(Aggregate::Difference))?,
            ratio: Cell::of(frame, metric, Entry::Summary(Aggregate::Ratio))?,
        });
    }
    Ok(Evaluation {
        split,
        level: interval.level,
        resamples: replicates.total(),
        groups: frame.groups().to_vec(),
        metrics,
    })
}
