//! [`MetricFrame`]: several metrics × the groups of a partition, with overall values, group
//! extremes, differences and ratios, and (from [`crate::bootstrap::Bootstrap`]) a confidence
//! interval for every entry. Fairlearn's `MetricFrame`, typed.

use std::path::Path;

use fairfit_data::Groups;
use serde::Serialize;

use crate::error::{EvalError, Result};
use crate::estimate::{Estimate, Interval};
use crate::metrics::group::Grouped;
use crate::metrics::{Aggregate, ByGroup, Metric, Outcomes, Value};

/// One entry of a frame column: the overall value, a group's value, or a summary across groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    /// The metric on all rows.
    Overall,
    /// The metric on the rows of group `g` (index into [`MetricFrame::groups`]).
    Group(usize),
    /// A summary across groups: minimum, maximum, difference, ratio, ... ([`Aggregate`]).
    Summary(Aggregate),
}

/// Metrics by group, like Fairlearn's `MetricFrame`: for every metric the overall value, each
/// group's value, and the summaries of [`Aggregate`] (group min/max, difference, ratio and their
/// `to_overall` forms). Groups may be one attribute's levels, several, or intersections: the frame
/// takes any [`Groups`]. Sample weights of the [`Outcomes`] are honoured everywhere.
///
/// ```
/// use fairfit_data::{Groups, SensitiveAttribute};
/// use fairfit_eval::frame::{Entry, MetricFrame};
/// use fairfit_eval::metrics::{Aggregate, Measure, Outcomes};
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "F", "F", "F"], None)?;
/// let groups = Groups::from_attribute(&sex)?;
/// let out = Outcomes::classification(
///     &[true, false, true, true, false],
///     &[true, true, false, true, false],
/// )?;
/// let frame = MetricFrame::new(&out, &groups, &[&Measure::SelectionRate, &Measure::Tpr])?;
/// let sr = frame.column("selection_rate").unwrap();
/// assert_eq!(sr.get("M"), Some(Ok(1.0)));
/// assert_eq!(sr.get("F"), Some(Ok(1.0 / 3.0)));
/// let dp = frame.estimate("selection_rate", Entry::Summary(Aggregate::Difference))?;
/// assert!((dp.value? - 2.0 / 3.0).abs() < 1e-12); // 1 − 1/3
/// assert!(dp.interval.is_none()); // not bootstrapped
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MetricFrame {
    groups: Vec<String>,
    columns: Vec<ByGroup>,
    /// Per column, one interval per entry of [`MetricFrame::entries`] (empty if not bootstrapped).
    intervals: Vec<Vec<Option<Interval>>>,
}

impl MetricFrame {
    /// Evaluates every metric overall and per group.
    ///
    /// Errors: no metrics or two with the same name, `groups` of another length than
    /// `outcomes`, an empty group, an input a metric needs missing or out of its domain.
    pub fn new(outcomes: &Outcomes, groups: &Groups, metrics: &[&dyn Metric]) -> Result<Self> {
        let grouped = prepare(outcomes, groups, metrics)?;
        let columns = columns(&grouped, metrics, grouped.outcomes.weights());
        Ok(Self {
            groups: grouped.names,
            columns,
            intervals: Vec::new(),
        })
    }

    /// Assembles a frame from point estimates and intervals (used by the bootstrap).
    pub(crate) fn from_parts(
        groups: Vec<String>,
        columns: Vec<ByGroup>,
        intervals: Vec<Vec<Option<Interval>>>,
    ) -> Self {
        Self {
            groups,
            columns,
            intervals,
        }
    }

    /// The group names, in the partition's order.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// The metric names, in the order given.
    pub fn metrics(&self) -> Vec<&str> {
        self.columns.iter().map(ByGroup::metric).collect()
    }

    /// Every metric's column.
    pub fn columns(&self) -> &[ByGroup] {
        &self.columns
    }

    /// The column of the named metric.
    pub fn column(&self, metric: &str) -> Option<&ByGroup> {
        self.columns.iter().find(|c| c.metric() == metric)
    }

    /// Whether the frame carries bootstrap intervals.
    pub fn is_bootstrapped(&self) -> bool {
        !self.intervals.is_empty()
    }

    /// The entries of every column, in a fixed order: overall, each group, each [`Aggregate`].
    pub fn entries(&self) -> Vec<Entry> {
        entries(self.groups.len())
    }

    /// One entry of one metric, with its interval when bootstrapped (the value may be
    /// undefined; [`Estimate::defined`] turns it into a number or the reason).
    pub fn estimate(&self, metric: &str, entry: Entry) -> Result<Estimate<Value>> {
        let c = self
            .columns
            .iter()
            .position(|c| c.metric() == metric)
            .ok_or_else(|| EvalError::UnknownMetric {
                name: metric.to_string(),
                known: self.metrics().iter().map(|m| m.to_string()).collect(),
            })?;
        let e = self
            .entries()
            .iter()
            .position(|&x| x == entry)
            .ok_or_else(|| EvalError::InvalidParameter {
                name: "entry",
                reason: format!(
                    "{entry:?} is not an entry of a frame with {} groups",
                    self.groups.len()
                ),
            })?;
        Ok(Estimate {
            value: entry_value(&self.columns[c], entry),
            interval: self.intervals.get(c).and_then(|v| v[e]),
        })
    }

    /// The frame as a long table: one record per metric and entry.
    pub fn records(&self) -> Vec<FrameRecord> {
        let entries = self.entries();
        let mut out = Vec::with_capacity(self.columns.len() * entries.len());
        for (c, column) in self.columns.iter().enumerate() {
            for (e, &entry) in entries.iter().enumerate() {
                let value = entry_value(column, entry);
                let interval = self.intervals.get(c).and_then(|v| v[e]);
                let (kind, group) = match entry {
                    Entry::Overall => ("overall".to_string(), None),
                    Entry::Group(g) => ("group".to_string(), Some(self.groups[g].clone())),
                    Entry::Summary(a) => (a.to_string(), None),
                };
                out.push(FrameRecord {
                    metric: column.metric().to_string(),
                    entry: kind,
                    group,
                    value: value.ok(),
                    undefined: value.err().map(|u| u.reason.to_string()),
                    lower: interval.map(|i| i.lower),
                    upper: interval.map(|i| i.upper),
                    level: interval.map(|i| i.level),
                });
            }
        }
        out
    }

    /// Writes [`MetricFrame::records`] as CSV (header `metric,entry,group,value,undefined,lower,
    /// upper,level`; empty fields where there is no value).
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let csv_err = |source| EvalError::Csv {
            path: path.to_path_buf(),
            source,
        };
        let mut writer = csv::Writer::from_path(path).map_err(csv_err)?;
        for record in self.records() {
            writer.serialize(record).map_err(csv_err)?;
        }
        writer.flush().map_err(|source| EvalError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// [`MetricFrame::records`] as a JSON array.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(&self.records())?)
    }
}

/// A readable table: one line per metric; columns overall, each group, difference and ratio;
/// values with 4 decimals, `[lower, upper]` when bootstrapped, `undefined` where there is none.
impl std::fmt::Display for MetricFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut shown: Vec<(String, Entry)> = vec![("overall".into(), Entry::Overall)];
        shown.extend(
            self.groups
                .iter()
                .enumerate()
                .map(|(g, n)| (n.clone(), Entry::Group(g))),
        );
        shown.push(("difference".into(), Entry::Summary(Aggregate::Difference)));
        shown.push(("ratio".into(), Entry::Summary(Aggregate::Ratio)));
        let cell = |metric: &str, entry: Entry| -> String {
            match self.estimate(metric, entry) {
                Ok(Estimate {
                    value: Ok(v),
                    interval: Some(i),
                }) => {
                    format!("{v:.4} [{:.4}, {:.4}]", i.lower, i.upper)
                }
                Ok(Estimate {
                    value: Ok(v),
                    interval: None,
                }) => format!("{v:.4}"),
                _ => "undefined".into(),
            }
        };
        let mut rows: Vec<Vec<String>> = vec![std::iter::once("metric".to_string())
            .chain(shown.iter().map(|(h, _)| h.clone()))
            .collect()];
        for metric in self.metrics() {
            rows.push(
                std::iter::once(metric.to_string())
                    .chain(shown.iter().map(|&(_, e)| cell(metric, e)))
                    .collect(),
            );
        }
        let widths: Vec<usize> = (0..rows[0].len())
            .map(|j| rows.iter().map(|r| r[j].chars().count()).max().unwrap_or(0))
            .collect();
        for row in &rows {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, &w)| format!("{c:<w$}"))
                .collect();
            writeln!(f, "{}", line.join("  ").trim_end())?;
        }
        Ok(())
    }
}

/// One row of a frame's long table (CSV and JSON output).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameRecord {
    /// The metric's name.
    pub metric: String,
    /// `overall`, `group`, or the aggregate (`difference`, `ratio`, `group_min`, ...).
    pub entry: String,
    /// The group, for `group` entries.
    pub group: Option<String>,
    /// The value, if defined.
    pub value: Option<f64>,
    /// Why the value is undefined, if it is.
    pub undefined: Option<String>,
    /// Lower end of the bootstrap interval.
    pub lower: Option<f64>,
    /// Upper end of the bootstrap interval.
    pub upper: Option<f64>,
    /// Confidence level of the interval.
    pub level: Option<f64>,
}

/// The entries of a column with `n_groups` groups, in frame order.
pub(crate) fn entries(n_groups: usize) -> Vec<Entry> {
    std::iter::once(Entry::Overall)
        .chain((0..n_groups).map(Entry::Group))
        .chain(Aggregate::ALL.iter().map(|&a| Entry::Summary(a)))
        .collect()
}

/// The value of one entry of a column.
pub(crate) fn entry_value(column: &ByGroup, entry: Entry) -> Value {
    match entry {
        Entry::Overall => column.overall(),
        Entry::Group(g) => column.values()[g],
        Entry::Summary(a) => {
            crate::metrics::disparity::aggregate(a, column.overall(), column.values())
                .map(|(v, _)| v)
        }
    }
}

/// Validates the request and groups the rows.
pub(crate) fn prepare(
    outcomes: &Outcomes,
    groups: &Groups,
    metrics: &[&dyn Metric],
) -> Result<Grouped> {
    if metrics.is_empty() {
        return Err(EvalError::InvalidParameter {
            name: "metrics",
            reason: "no metric given".into(),
        });
    }
    for (i, m) in metrics.iter().enumerate() {
        outcomes.check(*m)?;
        if metrics[..i].iter().any(|o| o.name() == m.name()) {
            return Err(EvalError::InvalidParameter {
                name: "metrics",
                reason: format!("metric `{}` is given twice", m.name()),
            });
        }
    }
    Grouped::new(outcomes, groups)
}

/// Every metric by group under `weights` (one per grouped row).
pub(crate) fn columns(grouped: &Grouped, metrics: &[&dyn Metric], weights: &[f64]) -> Vec<ByGroup> {
    metrics
        .iter()
        .map(|m| grouped.by_group(*m, weights))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Measure;
    use approx::assert_abs_diff_eq;
    use fairfit_data::SensitiveAttribute;

    const CLASSIFICATION: [Measure; 20] = [
        Measure::Count,
        Measure::SelectionRate,
        Measure::Accuracy,
        Measure::BalancedAccuracy,
        Measure::ErrorRate,
        Measure::Tpr,
        Measure::Fpr,
        Measure::Fnr,
        Measure::Tnr,
        Measure::Ppv,
        Measure::Npv,
        Measure::F1,
        Measure::RocAuc,
        Measure::LogLoss,
        Measure::Brier,
        Measure::Ece { bins: 4 },
        Measure::MeanPrediction,
        Measure::THEIL,
        Measure::GeneralizedEntropy { alpha: 2.0 },
        Measure::GeneralizedEntropy { alpha: 0.5 },
    ];

    fn assert_same_frames(a: &MetricFrame, b: &MetricFrame) {
        let (ra, rb) = (a.records(), b.records());
        assert_eq!(ra.len(), rb.len());
        for (x, y) in ra.iter().zip(&rb) {
            assert_eq!(
                (&x.metric, &x.entry, &x.group),
                (&y.metric, &y.entry, &y.group)
            );
            match (x.value, y.value) {
                (Some(u), Some(v)) => assert_abs_diff_eq!(u, v, epsilon = 1e-12),
                (None, None) => {}
                _ => panic!("{x:?} vs {y:?}"),
            }
        }
    }

    #[test]
    fn weight_two_equals_a_duplicated_row_for_every_metric() {
        let y = [true, false, true, true, false, false, true, false, true];
        let p = [true, true, false, true, false, true, true, false, false];
        let s = [0.9, 0.7, 0.2, 0.8, 0.1, 0.6, 0.75, 0.3, 0.45];
        let g = vec![0, 1, 2, 0, 1, 2, 0, 1, 2];
        let w = [2.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 2.0];
        let names = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let metrics: Vec<&dyn Metric> = CLASSIFICATION.iter().map(|m| m as &dyn Metric).collect();

        let weighted = Outcomes::classification(&y, &p)
            .unwrap()
            .with_scores(&s)
            .unwrap()
            .with_weights(&w)
            .unwrap();
        let groups = Groups::new(names.clone(), g.clone()).unwrap();
        let a = MetricFrame::new(&weighted, &groups, &metrics).unwrap();

        // Rows 0, 4, 8 appended again, unweighted.
        let dup = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 4, 8];
        let pick = |v: &[bool]| dup.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let sd: Vec<f64> = dup.iter().map(|&i| s[i]).collect();
        let gd: Vec<usize> = dup.iter().map(|&i| g[i]).collect();
        let duplicated = Outcomes::classification(&pick(&y), &pick(&p))
            .unwrap()
            .with_scores(&sd)
            .unwrap();
        let b = MetricFrame::new(
            &duplicated,
            &Groups::new(names.clone(), gd.clone()).unwrap(),
            &metrics,
        )
        .unwrap();
        assert_same_frames(&a, &b);
        // And the weights matter: without them the frame differs.
        let unweighted = Outcomes::classification(&y, &p)
            .unwrap()
            .with_scores(&s)
            .unwrap();
        let c = MetricFrame::new(&unweighted, &groups, &metrics).unwrap();
        assert_ne!(a.column("accuracy"), c.column("accuracy"));

        // Regression metrics.
        let t = [1.0, 2.0, 0.5, 3.0, 2.5, 1.0, 0.0, 4.0, 2.0];
        let f = [1.5, 1.0, 0.5, 2.0, 3.0, 1.5, 0.5, 3.0, 2.0];
        let reg: [&dyn Metric; 4] = [
            &Measure::Mse,
            &Measure::Mae,
            &Measure::R2,
            &Measure::MeanPrediction,
        ];
        let rw = Outcomes::regression(&t, &f)
            .unwrap()
            .with_weights(&w)
            .unwrap();
        let a = MetricFrame::new(&rw, &groups, &reg).unwrap();
        let td: Vec<f64> = dup.iter().map(|&i| t[i]).collect();
        let fd: Vec<f64> = dup.iter().map(|&i| f[i]).collect();
        let rd = Outcomes::regression(&td, &fd).unwrap();
        let b = MetricFrame::new(&rd, &Groups::new(names, gd).unwrap(), &reg).unwrap();
        assert_same_frames(&a, &b);
    }

    #[test]
    fn intersectional_frame_matches_hand_values() {
        let sex =
            SensitiveAttribute::from_values("sex", &["M", "M", "F", "F", "M", "F"], None).unwrap();
        let race =
            SensitiveAttribute::from_values("race", &["W", "B", "W", "B", "W", "W"], None).unwrap();
        let groups = Groups::intersection(&[&sex, &race]).unwrap();
        assert_eq!(groups.names(), ["M & W", "M & B", "F & W", "F & B"]);
        // M&W = rows 0, 4; M&B = row 1; F&W = rows 2, 5; F&B = row 3.
        let y = [true, false, true, true, false, false];
        let p = [true, true, false, true, true, false];
        let out = Outcomes::classification(&y, &p).unwrap();
        let frame =
            MetricFrame::new(&out, &groups, &[&Measure::SelectionRate, &Measure::Fpr]).unwrap();
        let sr = frame.column("selection_rate").unwrap();
        assert_eq!(sr.values(), &[Ok(1.0), Ok(1.0), Ok(0.0), Ok(1.0)]);
        assert_eq!(sr.overall(), Ok(4.0 / 6.0));
        let fpr = frame.column("false_positive_rate").unwrap();
        // M&W: row 4 negative predicted 1 → 1; M&B: row 1 → 1; F&W: row 5 → 0; F&B: no negatives.
        assert_eq!(fpr.values()[..3], [Ok(1.0), Ok(1.0), Ok(0.0)]);
        assert!(fpr.values()[3].is_err());
        let e = |a| {
            frame
                .estimate("selection_rate", Entry::Summary(a))
                .unwrap()
                .value
        };
        assert_eq!(e(Aggregate::Min), Ok(0.0));
        assert_eq!(e(Aggregate::Max), Ok(1.0));
        assert_eq!(e(Aggregate::Difference), Ok(1.0));
        assert_eq!(e(Aggregate::Ratio), Ok(0.0));
        assert_eq!(e(Aggregate::DifferenceToOverall), Ok(2.0 / 3.0));
        assert_eq!(e(Aggregate::RatioToOverall), Ok(0.0));
        let fd = frame
            .estimate("false_positive_rate", Entry::Summary(Aggregate::Difference))
            .unwrap();
        assert_eq!(fd.value, Ok(1.0));
        // Records: one per metric × (overall + 4 groups + 6 aggregates); undefined keeps a reason.
        let records = frame.records();
        assert_eq!(records.len(), 2 * 11);
        let fb = records
            .iter()
            .find(|r| r.metric == "false_positive_rate" && r.group.as_deref() == Some("F & B"))
            .unwrap();
        assert!(fb.value.is_none() && fb.undefined.is_some());
        let json = frame.to_json().unwrap();
        assert!(json.contains("\"F & B\""));
    }

    #[test]
    fn rejects_bad_requests() {
        let out = Outcomes::classification(&[true, false], &[true, true]).unwrap();
        let groups = Groups::new(vec!["a".into()], vec![0, 0]).unwrap();
        assert!(MetricFrame::new(&out, &groups, &[]).is_err());
        assert!(MetricFrame::new(&out, &groups, &[&Measure::Tpr, &Measure::RECALL]).is_err());
        assert!(matches!(
            MetricFrame::new(&out, &groups, &[&Measure::RocAuc]),
            Err(EvalError::MissingInput { .. })
        ));
        let frame = MetricFrame::new(&out, &groups, &[&Measure::Tpr]).unwrap();
        assert!(frame.estimate("accuracy", Entry::Overall).is_err());
        assert!(frame
            .estimate("true_positive_rate", Entry::Group(3))
            .is_err());
    }

    #[test]
    fn displays_a_table() {
        let out = Outcomes::classification(&[true, false, true], &[true, true, false]).unwrap();
        let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 1]).unwrap();
        let frame =
            MetricFrame::new(&out, &groups, &[&Measure::SelectionRate, &Measure::Fpr]).unwrap();
        let text = frame.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[0].starts_with("metric") && lines[0].ends_with("ratio"),
            "{text}"
        );
        // Selection rate: overall 2/3, a 1, b 0, difference 1, ratio 0.
        let cells: Vec<&str> = lines[1].split_whitespace().collect();
        assert_eq!(
            cells,
            [
                "selection_rate",
                "0.6667",
                "1.0000",
                "0.0000",
                "1.0000",
                "0.0000"
            ]
        );
        // FPR of b (no negatives) and its difference (one defined group) are undefined.
        assert!(lines[2].matches("undefined").count() == 3, "{text}");
    }

    #[test]
    fn writes_csv() {
        let out = Outcomes::classification(&[true, false], &[true, true]).unwrap();
        let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 1]).unwrap();
        let frame = MetricFrame::new(&out, &groups, &[&Measure::Tpr]).unwrap();
        let path = std::env::temp_dir().join(format!("fairfit-frame-{}.csv", std::process::id()));
        frame.write_csv(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(text.starts_with("metric,entry,group,value,undefined,lower,upper,level\n"));
        assert!(
            text.contains("true_positive_rate,group,a,1.0,,,,\n"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 1 + 9);
    }
}
