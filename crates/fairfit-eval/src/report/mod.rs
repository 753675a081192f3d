//! Fairness report for one fitted model: what the data looked like, which method was used with
//! which parameters, every metric by group with its bootstrap interval, the named disparities,
//! and where the model sits on the performance-versus-fairness trade-off — as a Markdown document
//! ([`FairnessReport::to_markdown`]) and as JSON ([`FairnessReport::to_json`]), the documentation
//! a reviewer or regulator asks for.
//!
//! The report is assembled by [`FairnessReport::builder`] from parts computed elsewhere: a
//! [`DataAudit`], a [`Method`], a bootstrapped [`MetricFrame`] (or the outcomes, from which
//! [`FairnessReportBuilder::evaluate`] computes the standard frame and an equalized-odds interval),
//! and optionally a [`TradeoffCurve`] with the model's point on it. `build` checks that the parts
//! fit together and returns a [`EvalError`] naming the part that does not.
//!
//! ```
//! use fairfit_data::{audit::DataAudit, FairDataset, SensitiveAttribute};
//! use fairfit_eval::bootstrap::BootstrapParams;
//! use fairfit_eval::curve::Split;
//! use fairfit_eval::metrics::Outcomes;
//! use fairfit_eval::report::{FairnessReport, Method};
//! use ndarray::Array2;
//! let n = 40;
//! let sex: Vec<&str> = (0..n).map(|i| if i % 2 == 0 { "F" } else { "M" }).collect();
//! let y: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i % 3 == 0))).collect();
//! let data = FairDataset::new(
//!     Array2::from_shape_fn((n, 1), |(i, _)| i as f64),
//!     y.iter().copied().collect(),
//!     vec![SensitiveAttribute::from_values("sex", &sex, None)?],
//! )?;
//! let y_hat: Vec<bool> = (0..n).map(|i| i % 3 == 0 || i % 5 == 0).collect();
//! let outcomes = Outcomes::classification(&data.labels()?, &y_hat)?;
//! let report = FairnessReport::builder()
//!     .title("Toy screening rule")
//!     .audit(DataAudit::of("toy", &data)?)
//!     .method(Method::new("rule").param("threshold", 0.5))
//!     .evaluate(Split::Test, &BootstrapParams::default().resamples(200).check()?, &outcomes, data.groups())
//!     .build()?;
//! let markdown = report.to_markdown();
//! assert!(markdown.starts_with("# Fairness report: Toy screening rule"));
//! assert!(markdown.contains("| selection_rate |"));
//! let back = FairnessReport::from_json(&report.to_json()?)?;
//! assert_eq!(back, report);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod markdown;
mod position;
#[cfg(test)]
mod tests;

use std::path::Path;

use fairfit_data::audit::{DataAudit, GroupStats, ProxyScore};
use fairfit_data::Groups;
use serde::{Deserialize, Serialize};

use crate::bootstrap::Bootstrap;
use crate::curve::{Axis, Param, Split, TradeoffCurve};
use crate::estimate::Interval;
use crate::frame::{Entry, MetricFrame};
use crate::metrics::{Aggregate, ByGroup, Measure, Metric, Outcomes, Undefined, Value};

use crate::error::{EvalError, Result};
pub use position::TradeoffPosition;

/// Number of proxies shown unless [`FairnessReportBuilder::top_proxies`] says otherwise.
pub const DEFAULT_TOP_PROXIES: usize = 5;

/// The method that produced the model, with its parameters (penalty weight λ, target ε, L2, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    /// The method's name, as on the trade-off curve (e.g. `dp-penalty`).
    pub name: String,
    /// Its numeric parameters, in the order given.
    pub params: Vec<Param>,
    /// A sentence on what the method does, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Method {
    /// A method without parameters.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            params: Vec::new(),
            description: None,
        }
    }

    /// Adds (or replaces) a parameter.
    pub fn param(mut self, name: impl Into<String>, value: f64) -> Self {
        let name = name.into();
        match self.params.iter_mut().find(|p| p.name == name) {
            Some(p) => p.value = value,
            None => self.params.push(Param { name, value }),
        }
        self
    }

    /// Adds a one-sentence description.
    pub fn describe(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// The data audit as the report shows it: group sizes and base rates, the base-rate disparity
/// and 80% rule, and the strongest proxies of the groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditSummary {
    /// What was audited, e.g. `adult (train)`.
    pub name: String,
    /// Number of rows.
    pub rows: usize,
    /// Rows, share, positives and base rate per group.
    pub groups: Vec<GroupStats>,
    /// max − min base rate.
    pub base_rate_difference: f64,
    /// min / max base rate (`None` when no group has a positive label).
    pub base_rate_ratio: Option<f64>,
    /// Whether the base-rate ratio is at least 0.8.
    pub passes_80_percent_rule: bool,
    /// Number of features the audit scored as proxies.
    pub features: usize,
    /// The strongest proxies, strongest first.
    pub top_proxies: Vec<ProxyScore>,
}

impl AuditSummary {
    fn of(audit: &DataAudit, top: usize) -> Self {
        let br = &audit.base_rates;
        Self {
            name: audit.name.clone(),
            rows: audit.rows,
            groups: br.groups.clone(),
            base_rate_difference: br.difference,
            base_rate_ratio: br.ratio,
            passes_80_percent_rule: br.passes_80_percent_rule(),
            features: audit.proxies.len(),
            top_proxies: audit.proxies.iter().take(top).cloned().collect(),
        }
    }
}

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
    fn new(value: Value, interval: Option<Interval>) -> Self {
        Self {
            value: value.ok(),
            undefined: value.err().map(|u| u.reason.to_string()),
            interval,
        }
    }

    fn of(frame: &MetricFrame, metric: &str, entry: Entry) -> Result<Self> {
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

/// A named disparity of Fairlearn / AIF360 with its value and interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedDisparity {
    /// Its name, e.g. `demographic-parity difference`.
    pub name: String,
    /// How it is computed from the frame, e.g. `difference of selection_rate`.
    pub definition: String,
    /// Its value and interval.
    pub estimate: Cell,
}

/// The fairness report of one fitted model; see the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FairnessReport {
    /// The report's title.
    pub title: String,
    /// The data audit, summarised.
    pub data: AuditSummary,
    /// The method and its parameters.
    pub method: Method,
    /// Metrics by group with intervals.
    pub evaluation: Evaluation,
    /// The named disparities whose metrics the frame has.
    pub disparities: Vec<NamedDisparity>,
    /// The model's place on a trade-off curve, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tradeoff: Option<TradeoffPosition>,
}

impl FairnessReport {
    /// A builder; see [`FairnessReportBuilder`].
    pub fn builder() -> FairnessReportBuilder {
        FairnessReportBuilder::default()
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Reads a report written by [`FairnessReport::to_json`].
    pub fn from_json(text: &str) -> Result<Self> {
        Ok(serde_json::from_str(text)?)
    }

    /// Writes `report.md` and `report.json` into `dir` (created if needed).
    pub fn write(&self, dir: impl AsRef<Path>) -> Result<()> {
        let dir = dir.as_ref();
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| EvalError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let md = dir.join("report.md");
        std::fs::write(&md, self.to_markdown()).map_err(io(&md))?;
        let json = dir.join("report.json");
        std::fs::write(&json, self.to_json()?).map_err(io(&json))
    }
}

/// The metrics [`FairnessReportBuilder::evaluate`] computes: count, selection rate, accuracy,
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

/// Collects the parts of a [`FairnessReport`]; [`FairnessReportBuilder::build`] checks them.
///
/// Required: [`audit`](Self::audit), metrics by group ([`frame`](Self::frame) or
/// [`evaluate`](Self::evaluate)), and the method ([`method`](Self::method), or taken from the
/// trade-off point when [`tradeoff`](Self::tradeoff) is given).
#[derive(Debug, Default)]
pub struct FairnessReportBuilder {
    title: Option<String>,
    audit: Option<DataAudit>,
    top_proxies: Option<usize>,
    method: Option<Method>,
    frame: Option<(Split, MetricFrame)>,
    equalized_odds: Option<Cell>,
    tradeoff: Option<(TradeoffCurve, usize, Axis, Axis)>,
    failed: Option<EvalError>,
}

impl FairnessReportBuilder {
    /// The title (default: the method's name and the audited data set's).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// The audit of the data the model was trained on (required).
    pub fn audit(mut self, audit: DataAudit) -> Self {
        self.audit = Some(audit);
        self
    }

    /// How many of the strongest proxies to show (default [`DEFAULT_TOP_PROXIES`]; at least 1).
    pub fn top_proxies(mut self, n: usize) -> Self {
        self.top_proxies = Some(n);
        self
    }

    /// The method and its parameters.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    /// A bootstrapped frame of the model's metrics by group on `split` (from
    /// [`Bootstrap::frame`]). Named disparities are read from its difference and ratio entries;
    /// the equalized-odds difference (a maximum over two metrics) then has no interval — use
    /// [`evaluate`](Self::evaluate) for one.
    pub fn frame(mut self, split: Split, frame: MetricFrame) -> Self {
        self.frame = Some((split, frame));
        self.equalized_odds = None;
        self
    }

    /// Computes the frame of [`STANDARD_METRICS`] on `outcomes` by `groups` with `bootstrap`, and
    /// the equalized-odds difference with its interval from the same replicates (the same seed
    /// gives the same resamples). Errors surface in [`build`](Self::build).
    pub fn evaluate(
        mut self,
        split: Split,
        bootstrap: &Bootstrap,
        outcomes: &Outcomes,
        groups: &Groups,
    ) -> Self {
        match evaluate(bootstrap, outcomes, groups) {
            Ok((frame, eo)) => {
                self.frame = Some((split, frame));
                self.equalized_odds = Some(eo);
            }
            Err(e) => self.failed = Some(e),
        }
        self
    }

    /// Places the model on `curve` as point `index`, on the axes `performance` × `gap`.
    pub fn tradeoff(
        mut self,
        curve: &TradeoffCurve,
        index: usize,
        performance: Axis,
        gap: Axis,
    ) -> Self {
        self.tradeoff = Some((curve.clone(), index, performance, gap));
        self
    }

    /// Checks the parts and assembles the report.
    ///
    /// Errors: [`EvalError::MissingPart`] for an absent part, [`EvalError::NoIntervals`] for a
    /// frame that was not bootstrapped, [`EvalError::GroupMismatch`] when the frame's groups
    /// are not the audit's, [`EvalError::PointOutOfRange`] and [`EvalError::MissingMetric`]
    /// for the trade-off, [`EvalError::MethodMismatch`] / [`EvalError::ParamMismatch`] when
    /// the method disagrees with the trade-off point, and errors of the evaluation.
    pub fn build(self) -> Result<FairnessReport> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let audit = self.audit.ok_or(EvalError::MissingPart {
            part: "a data audit",
            call: "audit",
        })?;
        let (split, frame) = self.frame.ok_or(EvalError::MissingPart {
            part: "metrics by group",
            call: "frame` or `evaluate",
        })?;
        let top = self.top_proxies.unwrap_or(DEFAULT_TOP_PROXIES);
        if top == 0 {
            return Err(EvalError::InvalidParameter {
                name: "top_proxies",
                reason: "show at least one proxy".into(),
            });
        }
        let evaluation = evaluation_of(split, &frame)?;
        let audit_groups: Vec<String> = audit
            .base_rates
            .groups
            .iter()
            .map(|g| g.group.clone())
            .collect();
        if audit_groups != evaluation.groups {
            return Err(EvalError::GroupMismatch {
                what: "the data audit and the metric frame".into(),
                expected: audit_groups,
                found: evaluation.groups,
            });
        }
        let tradeoff = match &self.tradeoff {
            Some((curve, index, performance, gap)) => {
                Some(TradeoffPosition::of(curve, *index, performance, gap)?)
            }
            None => None,
        };
        let method = match (self.method, &self.tradeoff) {
            (Some(m), Some((curve, index, _, _))) => {
                check_method(&m, curve, *index)?;
                m
            }
            (Some(m), None) => m,
            (None, Some((curve, index, _, _))) => {
                let p = &curve.points()[*index];
                Method {
                    name: p.method().to_string(),
                    params: p.params().to_vec(),
                    description: None,
                }
            }
            (None, None) => {
                return Err(EvalError::MissingPart {
                    part: "the method",
                    call: "method",
                })
            }
        };
        let disparities = named_disparities(&frame, self.equalized_odds)?;
        let title = self
            .title
            .unwrap_or_else(|| format!("{} on {}", method.name, audit.name));
        Ok(FairnessReport {
            title,
            data: AuditSummary::of(&audit, top),
            method,
            evaluation,
            disparities,
            tradeoff,
        })
    }
}

/// The standard frame and the equalized-odds difference with its interval.
fn evaluate(
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

const UNDEFINED_EO: Undefined = Undefined {
    reason: "the TPR or FPR difference is undefined",
};

/// max(TPR difference, FPR difference), as Fairlearn's `equalized_odds_difference`.
fn equalized_odds(tpr: &ByGroup, fpr: &ByGroup) -> Value {
    match (
        tpr.disparity(Aggregate::Difference),
        fpr.disparity(Aggregate::Difference),
    ) {
        (Ok(a), Ok(b)) => Ok(a.value.max(b.value)),
        _ => Err(UNDEFINED_EO),
    }
}

/// The frame as the report's table; the frame must carry intervals.
fn evaluation_of(split: Split, frame: &MetricFrame) -> Result<Evaluation> {
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

/// The named disparities whose metric the frame has, in a fixed order.
fn named_disparities(
    frame: &MetricFrame,
    equalized_odds_cell: Option<Cell>,
) -> Result<Vec<NamedDisparity>> {
    let sr = Measure::SelectionRate.to_string();
    let tpr = Measure::Tpr.to_string();
    let fpr = Measure::Fpr.to_string();
    let table: [(&str, &String, Aggregate); 6] = [
        ("demographic-parity difference", &sr, Aggregate::Difference),
        (
            "demographic-parity ratio (disparate impact)",
            &sr,
            Aggregate::Ratio,
        ),
        ("equal-opportunity difference", &tpr, Aggregate::Difference),
        (
            "false-positive-rate difference",
            &fpr,
            Aggregate::Difference,
        ),
        (
            "predictive-parity difference",
            &Measure::Ppv.to_string(),
            Aggregate::Difference,
        ),
        (
            "error-rate difference",
            &Measure::ErrorRate.to_string(),
            Aggregate::Difference,
        ),
    ];
    let mut out = Vec::new();
    for (name, metric, aggregate) in table {
        if frame.column(metric).is_some() {
            out.push(NamedDisparity {
                name: name.to_string(),
                definition: format!("{aggregate} of {metric} across groups"),
                estimate: Cell::of(frame, metric, Entry::Summary(aggregate))?,
            });
        }
    }
    if let (Some(t), Some(f)) = (frame.column(&tpr), frame.column(&fpr)) {
        let estimate = match equalized_odds_cell {
            Some(cell) => cell,
            None => Cell::new(equalized_odds(t, f), None),
        };
        out.push(NamedDisparity {
            name: "equalized-odds difference".into(),
            definition: format!("larger of the differences of {tpr} and {fpr}"),
            estimate,
        });
    }
    Ok(out)
}

/// The method given must be the trade-off point's, and parameters both name must agree.
fn check_method(method: &Method, curve: &TradeoffCurve, index: usize) -> Result<()> {
    let point = &curve.points()[index];
    if point.method() != method.name {
        return Err(EvalError::MethodMismatch {
            report: method.name.clone(),
            point: index,
            point_method: point.method().to_string(),
        });
    }
    for p in &method.params {
        if let Some(v) = point.param(&p.name) {
            if v != p.value {
                return Err(EvalError::ParamMismatch {
                    name: p.name.clone(),
                    report: p.value,
                    point: index,
                    on_point: v,
                });
            }
        }
    }
    Ok(())
}
