//! [`MonitorReport`]: the windows and alerts of a run, as CSV, JSON or a text table.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use fairfit_data::fairness::Notion;

use super::{WindowGroup, WindowStats};
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
    /// Which notion.
    pub disparity: Notion,
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
    pub bounds: Vec<(Notion, f64)>,
}

impl MonitorReport {
    /// The columns of the monitored notions, as every window reports them.
    fn notion_columns(&self) -> Vec<String> {
        self.windows.first().map_or_else(Vec::new, |w| {
            w.disparities.iter().map(|r| r.column.clone()).collect()
        })
    }

    /// The windows as a long CSV table: one row per window and group (`window,start,end,group,
    /// count,selection_rate,tpr`, then one column per monitored notion, e.g. `dp_difference,
    /// tpr_difference`; empty cells where undefined).
    pub fn write_windows_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let mut header: Vec<String> = [
            "window",
            "start",
            "end",
            "group",
            "count",
            "selection_rate",
            "tpr",
        ]
        .map(String::from)
        .to_vec();
        header.extend(self.notion_columns());
        let mut rows = vec![header];
        let opt = |v: Option<f64>| v.map(number).unwrap_or_default();
        for w in &self.windows {
            for g in &w.groups {
                let mut row = vec![
                    w.index.to_string(),
                    number(w.start),
                    number(w.end),
                    g.group.clone(),
                    g.count.to_string(),
                    number(g.selection_rate),
                    opt(g.tpr),
                ];
                row.extend(w.disparities.iter().map(|r| opt(r.value)));
                rows.push(row);
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
                a.disparity.column(),
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
    pub(crate) fn series(&self, bound: &Notion) -> Vec<(f64, f64)> {
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
        let mut header = vec![
            "window".to_string(),
            "start".into(),
            "end".into(),
            "n".into(),
            "selection rate by group".into(),
            "tpr by group".into(),
        ];
        header.extend(self.notion_columns().iter().map(|c| c.replace('_', " ")));
        header.push("alert".into());
        let mut rows = vec![header];
        for w in &self.windows {
            let by = |g: &WindowGroup, v: Option<f64>| format!("{} {}", g.group, opt(v));
            let alerts: Vec<String> = self
                .alerts
                .iter()
                .filter(|a| a.window == w.index)
                .map(|a| a.disparity.column())
                .collect();
            let mut row = vec![
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
            ];
            row.extend(w.disparities.iter().map(|r| opt(r.value)));
            row.push(if alerts.is_empty() {
                String::new()
            } else {
                format!("ALERT {}", alerts.join(" "))
            });
            rows.push(row);
        }
        write!(f, "{}", aligned(&rows))
    }
}
