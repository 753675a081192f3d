//! The frame as a long table ([`FrameRecord`]s), written as CSV or JSON.

use std::path::Path;

use serde::Serialize;

use super::{entry_value, Entry, MetricFrame};
use crate::curve::{csv_error, io_error};
use crate::error::Result;

impl MetricFrame {
    /// The frame as a long table: one record per metric and entry, then per notion one record
    /// of its value (entry `notion`, named by its column, e.g. `eo_difference`) and one per
    /// group it skipped (entry `skipped`, with the group and why its statistic is undefined).
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
        for notion in &self.notions {
            let metric = notion.column();
            out.push(FrameRecord {
                metric: metric.clone(),
                entry: "notion".to_string(),
                group: None,
                value: notion.value.ok(),
                undefined: notion.value.err().map(|u| u.reason.to_string()),
                lower: notion.interval.map(|i| i.lower),
                upper: notion.interval.map(|i| i.upper),
                level: notion.interval.map(|i| i.level),
            });
            for (group, why) in &notion.skipped {
                out.push(FrameRecord {
                    metric: metric.clone(),
                    entry: "skipped".to_string(),
                    group: Some(group.clone()),
                    value: None,
                    undefined: Some(why.reason.to_string()),
                    lower: None,
                    upper: None,
                    level: None,
                });
            }
        }
        out
    }

    /// Writes [`MetricFrame::records`] as CSV (header `metric,entry,group,value,undefined,lower,
    /// upper,level`; empty fields where there is no value).
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let mut writer = csv::Writer::from_path(path).map_err(csv_error(path))?;
        for record in self.records() {
            writer.serialize(record).map_err(csv_error(path))?;
        }
        writer.flush().map_err(io_error(path))
    }

    /// [`MetricFrame::records`] as a JSON array.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(&self.records())?)
    }
}

/// One row of a frame's long table (CSV and JSON output).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameRecord {
    /// The metric's name.
    pub metric: String,
    /// `overall`, `group`, the aggregate (`difference`, `ratio`, `group_min`, ...), `notion`
    /// (a notion's value) or `skipped` (a group a notion left out).
    pub entry: String,
    /// The group, for `group` and `skipped` entries.
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
