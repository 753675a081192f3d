//! [`MonitorReport`]: the windows and alerts of a run, as CSV, JSON or a text table.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Bound, GroupStats, WindowStats};
use crate::curve::{aligned, number, write_rows};
use crate::error::Result;

/// A disparity above its bound in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// The window's index.
    pub window: usize,
    /// Its start.
    pub start: f64,
    /// Its end (exclusive).
    pub end: f64,
    /// Which disparity.
    pub disparity: Bound,
    /// Its value.
    pub value: f64,
    /// The bound it exceeded.
    pub bound: f64,
}

/// The result of a monitoring run: every window and every alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorReport {
    /// The windows in order.
    pub windows: Vec<WindowStats>,
    /// The alerts in window order.
    pub alerts: Vec<Alert>,
    /// The bounds that were checked.
    pub bounds: Vec<(Bound, f64)>,
}

impl MonitorReport {
    /// The windows as a long CSV table: one row per window and group (`window,start,end,group,
    /// count,selection_rate,tpr,dp_difference,tpr_difference`; empty cells where undefined).
    pub fn write_windows_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let mut rows = vec![[
            "window",
            "start",
            "end",
            "group",
            "count",
            "selection_rate",
            "tpr",
            "dp_difference",
            "tpr_difference",
        ]
        .map(String::from)
        .to_vec()];
        let opt = |v: Option<f64>| v.map(number).unwrap_or_default();
        for w in &self.windows {
            for g in &w.groups {
                rows.push(vec![
                    w.index.to_string(),
                    number(w.start),
                    number(w.end),
                    g.group.clone(),
                    g.count.to_string(),
                    number(g.selection_rate),
                    opt(g.tpr),
                    opt(w.dp_difference),
                    opt(w.tpr_difference),
                ]);
            }
        }
        write_rows(path.as_ref(), &rows)
    }

    /// The alerts as CSV (`window,start,end,disparity,value,bound`).
    pub fn write_alerts_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let mut rows = vec![["window", "start", "end", "disparity", "value", "bound"]
            .map(String::from)
            .to_vec()];
        for a in &self.alerts {
            rows.push(vec![
                a.window.to_string(),
                number(a.start),
                number(a.end),
                a.disparity.name().to_string(),
                number(a.value),
                number(a.bound),
            ]);
        }
        write_rows(path.as_ref(), &rows)
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// `(window midpoint, value)` of one disparity over the windows where it is defined.
    pub(crate) fn series(&self, bound: Bound) -> Vec<(f64, f64)> {
        self.windows
            .iter()
            .filter_map(|w| w.disparity(bound).map(|v| ((w.start + w.end) / 2.0, v)))
            .collect()
    }
}

impl fmt::Display for MonitorReport {
    /// One line per window: extent, count, each group's selection rate (and TPR), the
    /// disparities, and `ALERT` marks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.3}"));
        let mut rows = vec![vec![
            "window".to_string(),
            "start".into(),
            "end".into(),
            "n".into(),
            "selection rate by group".into(),
            "tpr by group".into(),
            "dp diff".into(),
            "tpr diff".into(),
            "alert".into(),
        ]];
        for w in &self.windows {
            let by = |g: &GroupStats, v: Option<f64>| format!("{} {}", g.group, opt(v));
            let alerts: Vec<&str> = self
                .alerts
                .iter()
                .filter(|a| a.window == w.index)
                .map(|a| a.disparity.name())
                .collect();
            rows.push(vec![
                w.index.to_string(),
                format!("{}", w.start),
                format!("{}", w.end),
                w.count.to_string(),
                w.groups
                    .iter()
                    .map(|g| by(g, Some(g.selection_rate)))
                    .collect::<Vec<_>>()
                    .join(", "),
                w.groups
                    .iter()
                    .map(|g| by(g, g.tpr))
                    .collect::<Vec<_>>()
                    .join(", "),
                opt(w.dp_difference),
                opt(w.tpr_difference),
                if alerts.is_empty() {
                    String::new()
                } else {
                    format!("ALERT {}", alerts.join(" "))
                },
            ]);
        }
        write!(f, "{}", aligned(&rows))
    }
}
