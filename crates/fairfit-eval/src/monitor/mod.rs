//! Monitoring a deployed model: metrics by group over sliding windows of a stream of
//! `(time, score or prediction, label if known, group)` records, and alerts when a disparity
//! leaves its bound.
//!
//! A record's prediction is `score ≥ threshold` (a 0/1 prediction passes through unchanged with
//! the default threshold 0.5). In every window, each group's selection rate and (over rows whose
//! label is known) true-positive rate are computed; the demographic-parity difference is the
//! max − min selection rate over groups present in the window, the TPR difference the max − min
//! TPR over groups with labelled positives. A disparity that cannot be computed (fewer than two
//! groups qualify) is reported as undefined and raises no alert.
//!
//! ```
//! use fairfit_eval::monitor::{Bound, Monitor, StreamRecord, WindowSpec};
//! let records: Vec<StreamRecord> = (0..8)
//!     .map(|i| StreamRecord {
//!         time: i as f64,
//!         score: if i % 2 == 0 || i >= 4 { 0.9 } else { 0.1 },
//!         label: None,
//!         group: if i % 2 == 0 { "a".into() } else { "b".into() },
//!     })
//!     .collect();
//! let monitor = Monitor::new(WindowSpec::Rows { size: 4, step: 4 }).bound(Bound::DpDifference, 0.2)?;
//! let report = monitor.run(&records)?;
//! assert_eq!(report.windows[0].dp_difference, Some(1.0)); // a always selected, b never
//! assert_eq!(report.windows[1].dp_difference, Some(0.0)); // both always selected
//! assert_eq!(report.alerts.len(), 1);
//! # Ok::<(), fairfit_eval::EvalError>(())
//! ```

mod report;
mod stream;
#[cfg(test)]
mod tests;
mod window;

use serde::{Deserialize, Serialize};

use crate::error::{EvalError, Result};

pub use report::{Alert, MonitorReport};
pub use stream::{read_stream, read_stream_from, StreamRecord};
pub use window::{GroupStats, WindowSpec, WindowStats};

/// A disparity the monitor can bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// Demographic-parity difference (max − min selection rate).
    DpDifference,
    /// True-positive-rate (equal-opportunity) difference; needs labels.
    TprDifference,
}

impl Bound {
    /// The disparity's metric name (as in [`crate::curve::names`]).
    pub fn name(self) -> &'static str {
        match self {
            Bound::DpDifference => "dp_difference",
            Bound::TprDifference => "tpr_difference",
        }
    }
}

/// Monitor settings: windows, the score threshold and the bounds on disparities.
#[derive(Debug, Clone, PartialEq)]
pub struct Monitor {
    window: WindowSpec,
    threshold: f64,
    bounds: Vec<(Bound, f64)>,
}

impl Monitor {
    /// A monitor over these windows with threshold 0.5 and no bounds yet.
    pub fn new(window: WindowSpec) -> Self {
        Self {
            window,
            threshold: 0.5,
            bounds: Vec::new(),
        }
    }

    /// Sets the score threshold: a record is predicted positive when `score ≥ threshold`.
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.threshold = threshold;
        self
    }

    /// Adds (or replaces) a bound: an alert is raised in every window where the disparity is
    /// greater than `limit`. The limit must be finite and non-negative.
    pub fn bound(mut self, disparity: Bound, limit: f64) -> Result<Self> {
        if !limit.is_finite() || limit < 0.0 {
            return Err(EvalError::InvalidParameter {
                name: "bound",
                reason: format!(
                    "{} bound must be finite and ≥ 0, got {limit}",
                    disparity.name()
                ),
            });
        }
        self.bounds.retain(|(b, _)| *b != disparity);
        self.bounds.push((disparity, limit));
        Ok(self)
    }

    fn check(&self) -> Result<()> {
        let bad = |reason: String| {
            Err(EvalError::InvalidParameter {
                name: "window",
                reason,
            })
        };
        match self.window {
            WindowSpec::Rows { size, step } if size == 0 || step == 0 => bad(format!(
                "row windows need size and step ≥ 1, got {size} and {step}"
            )),
            WindowSpec::Time { size, step }
                if !(size.is_finite() && step.is_finite() && size > 0.0 && step > 0.0) =>
            {
                bad(format!(
                    "time windows need finite size and step > 0, got {size} and {step}"
                ))
            }
            _ if !self.threshold.is_finite() => Err(EvalError::InvalidParameter {
                name: "threshold",
                reason: format!("threshold must be finite, got {}", self.threshold),
            }),
            _ => Ok(()),
        }
    }

    /// Runs the monitor over a stream (records in time order).
    pub fn run(&self, records: &[StreamRecord]) -> Result<MonitorReport> {
        self.check()?;
        if records.is_empty() {
            return Err(EvalError::Empty("the stream has no records".into()));
        }
        if let Some(i) = (1..records.len()).find(|&i| records[i].time < records[i - 1].time) {
            return Err(EvalError::InvalidParameter {
                name: "records",
                reason: format!("record {i} is earlier than record {}", i - 1),
            });
        }
        if let Some(r) = records
            .iter()
            .find(|r| !r.time.is_finite() || !r.score.is_finite())
        {
            return Err(EvalError::InvalidParameter {
                name: "records",
                reason: format!("non-finite time or score in record {r:?}"),
            });
        }
        let mut names: Vec<&str> = Vec::new();
        for r in records {
            if !names.contains(&r.group.as_str()) {
                names.push(&r.group);
            }
        }
        let ranges = self.ranges(records);
        let mut windows = Vec::with_capacity(ranges.len());
        let mut alerts = Vec::new();
        for (index, (start, end, rows)) in ranges.into_iter().enumerate() {
            let w = self.window_stats(index, start, end, &records[rows], &names);
            for &(bound, limit) in &self.bounds {
                if let Some(value) = w.disparity(bound).filter(|&v| v > limit) {
                    alerts.push(Alert {
                        window: index,
                        start,
                        end,
                        disparity: bound,
                        value,
                        bound: limit,
                    });
                }
            }
            windows.push(w);
        }
        Ok(MonitorReport {
            windows,
            alerts,
            bounds: self.bounds.clone(),
        })
    }
}
