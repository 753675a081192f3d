//! Monitoring a deployed model: metrics by group over sliding windows of a stream of
//! `(time, score or prediction, label if known, group)` records, and alerts when a disparity
//! leaves its bound.
//!
//! A record's prediction is `score ≥ threshold` (a 0/1 prediction passes through unchanged with
//! the default threshold 0.5). In every window, each group's selection rate and (over rows whose
//! label is known) true-positive rate are computed, and the value of every monitored fairness
//! [`Notion`] (demographic parity and equal opportunity always, and each bounded notion) is read
//! through the same statistic engine as training and evaluation: statistics that read labels
//! are taken over the window's labelled rows. A disparity that cannot be computed (fewer than
//! two groups qualify) is reported as undefined and raises no alert.
//!
//! ```
//! use fairfit::data::fairness::Notion;
//! use fairfit::eval::monitor::{Monitor, StreamRecord, WindowSpec};
//! let records: Vec<StreamRecord> = (0..8)
//!     .map(|i| StreamRecord {
//!         time: i as f64,
//!         score: if i % 2 == 0 || i >= 4 { 0.9 } else { 0.1 },
//!         label: None,
//!         group: if i % 2 == 0 { "a".into() } else { "b".into() },
//!     })
//!     .collect();
//! let dp = Notion::demographic_parity();
//! let monitor = Monitor::new(WindowSpec::Rows { size: 4, step: 4 }).bound(dp.clone(), 0.2)?;
//! let report = monitor.run(&records)?;
//! assert_eq!(report.windows[0].disparity(&dp), Some(1.0)); // a always selected, b never
//! assert_eq!(report.windows[1].disparity(&dp), Some(0.0)); // both always selected
//! assert_eq!(report.alerts.len(), 1);
//! # Ok::<(), fairfit::eval::EvalError>(())
//! ```

mod report;
mod stream;
#[cfg(test)]
mod tests;
mod window;

use fairfit_data::fairness::Notion;

use crate::error::{EvalError, Result};

pub use report::{Alert, MonitorReport};
pub use stream::{read_stream, read_stream_from, StreamRecord};
pub use window::{NotionReading, WindowGroup, WindowSpec, WindowStats};

/// Monitor settings: windows, the score threshold and the bounds on disparities.
#[derive(Debug, Clone, PartialEq)]
pub struct Monitor {
    window: WindowSpec,
    threshold: f64,
    bounds: Vec<(Notion, f64)>,
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

    /// Adds (or replaces) a bound on a fairness notion: an alert is raised in every window
    /// where the notion's value is outside `limit` (above it for a difference or maximum,
    /// below it for a ratio). The limit must be finite and non-negative, and the notion one a
    /// stream of decisions and labels can measure (not one of the model's scores or loss).
    pub fn bound(mut self, notion: Notion, limit: f64) -> Result<Self> {
        if !limit.is_finite() || limit < 0.0 {
            return Err(EvalError::InvalidParameter {
                name: "bound",
                reason: format!(
                    "{} bound must be finite and ≥ 0, got {limit}",
                    notion.column()
                ),
            });
        }
        if let Some(s) = notion
            .statistics()
            .iter()
            .find(|s| s.quantity.needs_score())
        {
            return Err(EvalError::InvalidParameter {
                name: "bound",
                reason: format!(
                    "a stream of decisions cannot measure the {} of {}",
                    s.name(),
                    notion.column()
                ),
            });
        }
        self.bounds.retain(|(b, _)| b.column() != notion.column());
        self.bounds.push((notion, limit));
        Ok(self)
    }

    /// The notions every window reports: demographic parity and equal opportunity, then each
    /// bounded notion not among them.
    fn reported(&self) -> Vec<Notion> {
        let mut notions = vec![Notion::demographic_parity(), Notion::equal_opportunity()];
        for (n, _) in &self.bounds {
            if !notions.iter().any(|m| m.column() == n.column()) {
                notions.push(n.clone());
            }
        }
        notions
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
        let reported = self.reported();
        let mut windows = Vec::with_capacity(ranges.len());
        let mut alerts = Vec::new();
        for (index, (start, end, rows)) in ranges.into_iter().enumerate() {
            let w = self.window_stats(index, start, end, &records[rows], &names, &reported)?;
            for (notion, limit) in &self.bounds {
                if let Some(value) = w.disparity(notion).filter(|&v| !notion.within(v, *limit)) {
                    alerts.push(Alert {
                        window: index,
                        start,
                        end,
                        disparity: notion.clone(),
                        value,
                        bound: *limit,
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
