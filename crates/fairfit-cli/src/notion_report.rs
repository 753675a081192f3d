//! The fairness notions a command asks of its metric frame (`fairfit evaluate --notion dp,eo`),
//! as the command line reports them: each notion's value (computed by the library's statistic
//! engine, [`MetricFrame::notion`]), how its groups are compared, the groups each of its
//! statistics compared, the groups it skipped and why, and its bootstrap interval.

use std::path::Path;

use fairfit_data::fairness::Notion;
use fairfit_eval::estimate::Interval;
use fairfit_eval::frame::{FrameRecord, MetricFrame, NotionEstimate};
use fairfit_eval::metrics::Metric;
use serde::{Deserialize, Serialize};

use crate::error::{CliError, Result};

/// The groups one statistic of a notion compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    /// The statistic's column, e.g. `true_positive_rate`.
    pub statistic: String,
    /// The groups whose value of the statistic is defined, in the frame's group order.
    pub groups: Vec<String>,
}

/// A group a notion left out of one of its statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    /// The group.
    pub group: String,
    /// Why its statistic is undefined there (the engine's words, e.g. `no rows with y = 0 ...`).
    pub reason: String,
}

/// One notion of a frame, as printed and written in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotionReport {
    /// The notion's column, e.g. `eo_difference` (the frame's records use the same name).
    pub notion: String,
    /// Its name, e.g. `equalized_odds`.
    pub name: String,
    /// How groups are compared (`difference`, `ratio`, `group_max`, ...); with several
    /// statistics the value is the worst of their aggregates.
    pub aggregate: String,
    /// The value on the evaluated rows (`None` when undefined).
    pub value: Option<f64>,
    /// Why the value is undefined, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
    /// Per statistic, the groups it compared.
    pub compared: Vec<Compared>,
    /// The groups left out of a statistic, with the reason, in the statistics' order.
    pub skipped: Vec<Skipped>,
    /// The bootstrap percentile interval, with how many replicates were defined (a replicate
    /// in which a compared group loses its statistic is counted as undefined, not used).
    pub interval: Option<Interval>,
}

impl NotionReport {
    /// Every notion of `frame`, in the order asked.
    pub fn of(frame: &MetricFrame) -> Vec<Self> {
        frame.notions().iter().map(Self::of_estimate).collect()
    }

    /// One notion's estimate.
    pub fn of_estimate(estimate: &NotionEstimate) -> Self {
        let notion = &estimate.notion;
        let compared = notion
            .statistics()
            .iter()
            .zip(&estimate.compared)
            .map(|(statistic, groups)| Compared {
                statistic: statistic.column(),
                groups: groups.clone(),
            })
            .collect();
        Self {
            notion: notion.column(),
            name: notion.name(),
            aggregate: notion.aggregate().to_string(),
            value: estimate.value.ok(),
            undefined: estimate.value.err().map(|u| u.reason.to_string()),
            compared,
            skipped: estimate
                .skipped
                .iter()
                .map(|(group, why)| Skipped {
                    group: group.clone(),
                    reason: why.reason.to_string(),
                })
                .collect(),
            interval: estimate.interval,
        }
    }

    /// The groups every statistic compared (all of them for a notion of one statistic).
    pub fn compared_by_all(&self) -> Vec<String> {
        let Some((first, rest)) = self.compared.split_first() else {
            return Vec::new();
        };
        first
            .groups
            .iter()
            .filter(|g| rest.iter().all(|c| c.groups.contains(g)))
            .cloned()
            .collect()
    }

    /// Plain-text lines for a terminal: the value with its interval, then per statistic the
    /// groups compared, then each skipped group with the reason.
    pub fn lines(&self) -> Vec<String> {
        let value = match (self.value, &self.undefined, self.interval) {
            (Some(v), _, Some(i)) => format!(
                "{v:.4} [{:.4}, {:.4}] ({:.0}% interval{})",
                i.lower,
                i.upper,
                i.level * 100.0,
                match i.replicates {
                    Some(r) if r.undefined > 0 => format!(
                        ", {} of {} replicates undefined and left out",
                        r.undefined,
                        r.total()
                    ),
                    _ => String::new(),
                }
            ),
            (Some(v), _, None) => format!("{v:.4}"),
            (None, Some(why), _) => format!("undefined: {why}"),
            (None, None, _) => "undefined".to_string(),
        };
        let worst = if self.compared.len() > 1 {
            format!(
                "; the worst of its {} statistics' values",
                self.compared.len()
            )
        } else {
            String::new()
        };
        let mut lines = vec![format!("  {:<28} {value}{worst}", self.notion)];
        for c in &self.compared {
            lines.push(format!(
                "    {} of {} over {}",
                self.aggregate,
                c.statistic,
                if c.groups.is_empty() {
                    "no group".to_string()
                } else {
                    c.groups.join(", ")
                }
            ));
        }
        for s in &self.skipped {
            lines.push(format!("    skipped {}: {}", s.group, s.reason));
        }
        lines
    }
}

/// The frame's long table ([`MetricFrame::records`]) with, after each notion's row, one
/// `compared` row per group that every statistic of the notion compared.
pub fn records(frame: &MetricFrame, notions: &[NotionReport]) -> Vec<FrameRecord> {
    let mut out = Vec::new();
    for record in frame.records() {
        let compared = (record.entry == "notion")
            .then(|| notions.iter().find(|n| n.notion == record.metric))
            .flatten()
            .map(NotionReport::compared_by_all)
            .unwrap_or_default();
        let metric = record.metric.clone();
        out.push(record);
        out.extend(compared.into_iter().map(|group| FrameRecord {
            metric: metric.clone(),
            entry: "compared".to_string(),
            group: Some(group),
            value: None,
            undefined: None,
            lower: None,
            upper: None,
            level: None,
        }));
    }
    out
}

/// Writes `records` as CSV with the frame's header (`metric,entry,group,value,undefined,lower,
/// upper,level`).
pub fn write_csv(path: &Path, records: &[FrameRecord]) -> Result<()> {
    let failed = |e: csv::Error| CliError::io(path)(e.into());
    let mut writer = csv::Writer::from_path(path).map_err(failed)?;
    for record in records {
        writer.serialize(record).map_err(failed)?;
    }
    writer.flush().map_err(CliError::io(path))
}

/// The notions a frame measures from decisions and labels: a notion of the model's scores or
/// loss (bounded group loss) is refused here, as bad input, before any work.
///
/// Errors: [`CliError::Usage`] naming the notion and why.
pub fn check_measurable(notions: &[Notion]) -> Result<()> {
    for notion in notions {
        for statistic in notion.statistics() {
            if let Err(e) = statistic.check_params() {
                return Err(CliError::Usage(format!(
                    "notion `{}` cannot be measured on a pipeline's decisions: {e}",
                    notion.column()
                )));
            }
        }
    }
    Ok(())
}

/// Whether a frame can measure `notion` from decisions and labels (see [`check_measurable`]).
pub fn measurable(notion: &Notion) -> bool {
    check_measurable(std::slice::from_ref(notion)).is_ok()
}
