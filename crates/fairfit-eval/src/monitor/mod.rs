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

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::curve::{aligned, number, write_rows};
use crate::error::{EvalError, Result};

/// One scored decision of a deployed model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamRecord {
    /// When it happened (any unit; non-decreasing along the stream).
    pub time: f64,
    /// The model's score, or its 0/1 prediction.
    pub score: f64,
    /// The true outcome, when it is known.
    pub label: Option<bool>,
    /// The record's group.
    pub group: String,
}

/// Reads a stream from CSV with the columns `time`, `score` (or `prediction`), `label` (0, 1 or
/// empty when unknown; the column may be absent) and `group`, in any order. Times must be finite
/// and non-decreasing, scores finite; errors name the file, line and column.
pub fn read_stream(path: impl AsRef<Path>) -> Result<Vec<StreamRecord>> {
    let path = path.as_ref();
    let file = std::fs::File::open(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_stream_from(file, path.to_path_buf())
}

/// Reads a stream from any reader (see [`read_stream`]); `path` names it in errors.
pub fn read_stream_from<R: Read>(reader: R, path: PathBuf) -> Result<Vec<StreamRecord>> {
    let mut r = csv::Reader::from_reader(reader);
    let csv_err = |source| EvalError::Csv {
        path: path.clone(),
        source,
    };
    let parse = |line: u64, column: &str, message: String| EvalError::Parse {
        path: path.clone(),
        line,
        column: Some(column.to_string()),
        message,
    };
    let headers = r.headers().map_err(csv_err)?.clone();
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim()));
    let need = |names: &[&str]| {
        find(names).ok_or_else(|| EvalError::Parse {
            path: path.clone(),
            line: 1,
            column: None,
            message: format!("no `{}` column in {:?}", names.join("` or `"), headers),
        })
    };
    let (t_col, s_col, g_col) = (
        need(&["time"])?,
        need(&["score", "prediction"])?,
        need(&["group"])?,
    );
    let l_col = find(&["label"]);
    let mut out: Vec<StreamRecord> = Vec::new();
    for record in r.records() {
        let record = record.map_err(csv_err)?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let number = |i: usize, name: &str| -> Result<f64> {
            let v: f64 = field(i)
                .parse()
                .map_err(|_| parse(line, name, format!("`{}` is not a number", field(i))))?;
            if v.is_finite() {
                Ok(v)
            } else {
                Err(parse(
                    line,
                    name,
                    format!("non-finite value `{}`", field(i)),
                ))
            }
        };
        let time = number(t_col, "time")?;
        if let Some(prev) = out.last() {
            if time < prev.time {
                return Err(parse(
                    line,
                    "time",
                    format!(
                        "time {time} is earlier than the previous record's {}",
                        prev.time
                    ),
                ));
            }
        }
        let score = number(s_col, &headers[s_col])?;
        let label = match l_col.map(field) {
            None | Some("") => None,
            Some("1") | Some("1.0") | Some("true") => Some(true),
            Some("0") | Some("0.0") | Some("false") => Some(false),
            Some(other) => {
                return Err(parse(
                    line,
                    "label",
                    format!("label `{other}` is not 0, 1 or empty"),
                ))
            }
        };
        let group = field(g_col);
        if group.is_empty() {
            return Err(parse(line, "group", "empty group".into()));
        }
        out.push(StreamRecord {
            time,
            score,
            label,
            group: group.to_string(),
        });
    }
    Ok(out)
}

/// How windows slide along the stream.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum WindowSpec {
    /// `size` consecutive records, a new window every `step` records (the last partial window
    /// is dropped).
    Rows {
        /// Records per window.
        size: usize,
        /// Records between window starts.
        step: usize,
    },
    /// Half-open time intervals `[start, start + size)` with starts `step` apart from the first
    /// record's time, until a window reaches past the last record.
    Time {
        /// Window length in time units.
        size: f64,
        /// Time between window starts.
        step: f64,
    },
}

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

/// One group's statistics in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupStats {
    /// The group.
    pub group: String,
    /// Records of the group in the window.
    pub count: usize,
    /// Share predicted positive.
    pub selection_rate: f64,
    /// Share of labelled positives predicted positive; `None` without labelled positives.
    pub tpr: Option<f64>,
}

/// One window: its extent, its groups and its disparities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowStats {
    /// 0-based window index.
    pub index: usize,
    /// Time (or row index, for row windows) where the window starts.
    pub start: f64,
    /// Where it ends (exclusive).
    pub end: f64,
    /// Records in the window.
    pub count: usize,
    /// Groups present, in order of first appearance in the stream.
    pub groups: Vec<GroupStats>,
    /// Demographic-parity difference; `None` with fewer than two groups present.
    pub dp_difference: Option<f64>,
    /// TPR difference; `None` with fewer than two groups with labelled positives.
    pub tpr_difference: Option<f64>,
}

impl WindowStats {
    /// The value of a bounded disparity in this window.
    pub fn disparity(&self, bound: Bound) -> Option<f64> {
        match bound {
            Bound::DpDifference => self.dp_difference,
            Bound::TprDifference => self.tpr_difference,
        }
    }
}

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

    /// The windows as (start, end, row range).
    fn ranges(&self, records: &[StreamRecord]) -> Vec<(f64, f64, std::ops::Range<usize>)> {
        let n = records.len();
        match self.window {
            WindowSpec::Rows { size, step } => (0..)
                .map(|k| k * step)
                .take_while(|&s| s + size <= n)
                .map(|s| (s as f64, (s + size) as f64, s..s + size))
                .collect(),
            WindowSpec::Time { size, step } => {
                let (first, last) = (records[0].time, records[n - 1].time);
                let mut out = Vec::new();
                let mut k = 0usize;
                loop {
                    let start = first + k as f64 * step;
                    if start > last {
                        break;
                    }
                    let end = start + size;
                    let lo = records.partition_point(|r| r.time < start);
                    let hi = records.partition_point(|r| r.time < end);
                    out.push((start, end, lo..hi));
                    if end > last {
                        break;
                    }
                    k += 1;
                }
                out
            }
        }
    }

    fn window_stats(
        &self,
        index: usize,
        start: f64,
        end: f64,
        rows: &[StreamRecord],
        names: &[&str],
    ) -> WindowStats {
        let mut groups = Vec::new();
        for &name in names {
            let members: Vec<&StreamRecord> = rows.iter().filter(|r| r.group == name).collect();
            if members.is_empty() {
                continue;
            }
            let predicted = |r: &StreamRecord| r.score >= self.threshold;
            let selected = members.iter().filter(|r| predicted(r)).count();
            let positives: Vec<&&StreamRecord> =
                members.iter().filter(|r| r.label == Some(true)).collect();
            let tp = positives.iter().filter(|r| predicted(r)).count();
            groups.push(GroupStats {
                group: name.to_string(),
                count: members.len(),
                selection_rate: selected as f64 / members.len() as f64,
                tpr: (!positives.is_empty()).then(|| tp as f64 / positives.len() as f64),
            });
        }
        let spread = |values: Vec<f64>| {
            (values.len() >= 2).then(|| {
                let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let min = values.iter().copied().fold(f64::INFINITY, f64::min);
                max - min
            })
        };
        WindowStats {
            index,
            start,
            end,
            count: rows.len(),
            dp_difference: spread(groups.iter().map(|g| g.selection_rate).collect()),
            tpr_difference: spread(groups.iter().filter_map(|g| g.tpr).collect()),
            groups,
        }
    }
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
    pub fn series(&self, bound: Bound) -> Vec<(f64, f64)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Groups alternate a/b; before `shift` both are selected at rate 1/2 in every even-aligned
    /// window, after it group b only at 1/5. Labels: every record's label is its prediction
    /// before the shift; after it, b's positives are missed half the time.
    fn stream(n: usize, shift: usize) -> Vec<StreamRecord> {
        (0..n)
            .map(|i| {
                let b = i % 2 == 1;
                let k = i / 2;
                let selected = if b && i >= shift {
                    k % 5 == 0
                } else {
                    k % 2 == 0
                };
                let label = if b && i >= shift {
                    k % 5 == 0 || k % 5 == 1
                } else {
                    selected
                };
                StreamRecord {
                    time: i as f64,
                    score: if selected { 0.8 } else { 0.2 },
                    label: Some(label),
                    group: if b { "b".into() } else { "a".into() },
                }
            })
            .collect()
    }

    #[test]
    fn alerts_exactly_in_the_windows_after_the_shift() {
        let records = stream(2000, 1000);
        let monitor = Monitor::new(WindowSpec::Time {
            size: 200.0,
            step: 100.0,
        })
        .bound(Bound::DpDifference, 0.1)
        .unwrap()
        .bound(Bound::TprDifference, 0.1)
        .unwrap();
        let report = monitor.run(&records).unwrap();
        assert_eq!(report.windows.len(), 19); // starts 0, 100, ..., 1800
        for w in &report.windows {
            let after = w.end > 1000.0;
            let dp = w.dp_difference.unwrap();
            if after {
                assert!(dp > 0.1, "window {} dp {dp}", w.index);
            } else {
                assert_eq!(dp, 0.0, "window {}", w.index);
                assert_eq!(w.tpr_difference, Some(0.0));
            }
        }
        let alerted: Vec<usize> = report
            .alerts
            .iter()
            .filter(|a| a.disparity == Bound::DpDifference)
            .map(|a| a.window)
            .collect();
        assert_eq!(alerted, (9..19).collect::<Vec<_>>());
        // Fully after the shift: a at 1/2, b at 1/5; b's TPR is 1/2 (2 positives per 5, 1 hit).
        let last = report.windows.last().unwrap();
        assert!((last.dp_difference.unwrap() - 0.3).abs() < 1e-12);
        assert!((last.tpr_difference.unwrap() - 0.5).abs() < 1e-12);
        let tpr_alerts = report
            .alerts
            .iter()
            .filter(|a| a.disparity == Bound::TprDifference);
        assert_eq!(tpr_alerts.map(|a| a.window).collect::<Vec<_>>(), alerted);
    }

    #[test]
    fn row_windows_and_undefined_disparities() {
        let mut records = stream(40, 1000);
        for r in records.iter_mut().take(10) {
            r.group = "a".into();
            r.label = None;
        }
        let report = Monitor::new(WindowSpec::Rows { size: 10, step: 5 })
            .bound(Bound::DpDifference, 0.0)
            .unwrap()
            .run(&records)
            .unwrap();
        assert_eq!(report.windows.len(), 7); // starts 0, 5, ..., 30
        assert_eq!(report.windows[0].dp_difference, None, "one group only");
        assert_eq!(report.windows[0].groups[0].tpr, None, "no labels");
        assert!(report.alerts.iter().all(|a| a.window != 0));
    }

    #[test]
    fn reading_names_file_line_and_column() {
        let good = "time,prediction,label,group\n0,1,1,a\n1,0,,b\n";
        let r = read_stream_from(good.as_bytes(), "s.csv".into()).unwrap();
        assert_eq!(r[1].label, None);
        assert_eq!(r[0].score, 1.0);
        for (text, line, column) in [
            ("time,score,group\n0,0.5,a\n1,NaN,b\n", 3, "score"),
            ("time,score,group\n1,0.5,a\n0,0.5,b\n", 3, "time"),
            ("time,score,label,group\n0,0.5,2,a\n", 2, "label"),
            ("time,score,group\n0,0.5,\n", 2, "group"),
        ] {
            let err = read_stream_from(text.as_bytes(), "s.csv".into()).unwrap_err();
            assert!(
                matches!(&err, EvalError::Parse { line: l, column: Some(c), .. } if *l == line && c == column),
                "{err}"
            );
            assert!(err.to_string().starts_with("s.csv, line"), "{err}");
        }
        assert!(read_stream_from("time,group\n".as_bytes(), "s.csv".into()).is_err());
    }

    #[test]
    fn bad_parameters_are_typed_errors() {
        let r = stream(10, 100);
        assert!(Monitor::new(WindowSpec::Rows { size: 0, step: 1 })
            .run(&r)
            .is_err());
        assert!(Monitor::new(WindowSpec::Time {
            size: 1.0,
            step: f64::NAN
        })
        .run(&r)
        .is_err());
        assert!(Monitor::new(WindowSpec::Rows { size: 2, step: 1 })
            .bound(Bound::DpDifference, -0.1)
            .is_err());
        assert!(matches!(
            Monitor::new(WindowSpec::Rows { size: 2, step: 1 }).run(&[]),
            Err(EvalError::Empty(_))
        ));
    }
}
