//! Fairness report for one fitted model: what the data looked like, which method was used with
//! which parameters, every metric by group with its bootstrap interval, the named disparities,
//! and where the model sits on the performance-versus-fairness trade-off — as a Markdown document
//! ([`FairnessReport::to_markdown`]) and as JSON ([`FairnessReport::to_json`]), the documentation
//! a reviewer or regulator asks for.
//!
//! The report is assembled by [`FairnessReport::builder`] from parts computed elsewhere: a
//! [`DataAudit`](fairfit_data::audit::DataAudit), a [`Method`], a bootstrapped [`MetricFrame`](crate::frame::MetricFrame) (or the outcomes, from which
//! [`FairnessReportBuilder::evaluate`] computes the standard frame and an equalized-odds interval),
//! and optionally a [`TradeoffCurve`](crate::curve::TradeoffCurve) with the model's point on it. `build` checks that the parts
//! fit together and returns a [`EvalError`](crate::EvalError) naming the part that does not.
//!
//! ```
//! use fairfit::data::{audit::DataAudit, FairDataset, SensitiveAttribute};
//! use fairfit::eval::bootstrap::BootstrapParams;
//! use fairfit::eval::curve::Split;
//! use fairfit::eval::metrics::Outcomes;
//! use fairfit::eval::report::{FairnessReport, Method};
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
mod audit;
mod builder;
mod disparities;
mod evaluation;
mod markdown;
mod method;
mod position;
#[cfg(test)]
mod tests;
mod validate;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::curve::io_error;
use crate::error::Result;

pub use audit::AuditSummary;
pub use builder::{FairnessReportBuilder, DEFAULT_TOP_PROXIES};
pub use disparities::NamedDisparity;
pub use evaluation::{Cell, Evaluation, MetricRow, STANDARD_METRICS};
pub use method::Method;
pub use position::TradeoffPosition;

/// The fairness report of one fitted model; see the [module documentation](self).
///
/// Loaded from JSON it is checked (values finite and in range, intervals well formed, indices
/// inside the curve, no unknown fields): a corrupted report is an
/// [`EvalError::InvalidReport`](crate::EvalError::InvalidReport), not a wrong table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FairnessReportFile")]
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

/// A [`FairnessReport`] as saved, validated into one on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FairnessReportFile {
    title: String,
    data: AuditSummary,
    method: Method,
    evaluation: Evaluation,
    disparities: Vec<NamedDisparity>,
    #[serde(default)]
    tradeoff: Option<TradeoffPosition>,
}

impl TryFrom<FairnessReportFile> for FairnessReport {
    type Error = crate::EvalError;

    fn try_from(file: FairnessReportFile) -> Result<Self> {
        let report = Self {
            title: file.title,
            data: file.data,
            method: file.method,
            evaluation: file.evaluation,
            disparities: file.disparities,
            tradeoff: file.tradeoff,
        };
        report.validate()?;
        Ok(report)
    }
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
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        let md = dir.join("report.md");
        std::fs::write(&md, self.to_markdown()).map_err(io_error(&md))?;
        let json = dir.join("report.json");
        std::fs::write(&json, self.to_json()?).map_err(io_error(&json))
    }
}
