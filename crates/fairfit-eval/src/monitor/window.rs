//! Windows along the stream: how they slide ([`WindowSpec`]), and each one's statistics by
//! group ([`WindowStats`]).

use serde::{Deserialize, Serialize};

use fairfit_data::fairness::{GroupCells, GroupMeans, Notion, Statistic};
use fairfit_data::Groups;

use super::{Monitor, StreamRecord};
use crate::error::Result;

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

/// One group's rates in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowGroup {
    /// The group.
    pub group: String,
    /// Records of the group in the window.
    pub count: usize,
    /// Share predicted positive.
    pub selection_rate: f64,
    /// Share of labelled positives predicted positive; `None` without labelled positives.
    pub tpr: Option<f64>,
}

/// A monitored notion's value in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotionReading {
    /// The notion's column, e.g. `dp_difference`.
    pub column: String,
    /// Its value; `None` when fewer than two groups have a defined statistic.
    pub value: Option<f64>,
}

/// One window: its extent, its groups and the values of the monitored notions.
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
    pub groups: Vec<WindowGroup>,
    /// Demographic parity and equal opportunity, then every other bounded notion.
    pub disparities: Vec<NotionReading>,
}

impl WindowStats {
    /// The value of a monitored notion in this window (`None` when undefined or not monitored).
    pub fn disparity(&self, notion: &Notion) -> Option<f64> {
        let column = notion.column();
        self.disparities
            .iter()
            .find(|r| r.column == column)
            .and_then(|r| r.value)
    }
}

/// The means of `statistic` over the window's rows by group, taken over the labelled rows when
/// the statistic reads labels.
fn group_means(
    statistic: Statistic,
    rows: &[StreamRecord],
    groups: &Groups,
    decided: &[f64],
) -> Result<GroupMeans> {
    let reads_label = statistic.reads_label();
    let weights: Vec<f64> = rows
        .iter()
        .map(|r| f64::from(u8::from(!reads_label || r.label.is_some())))
        .collect();
    let label = |i: usize| rows[i].label.map_or(0.0, |y| f64::from(u8::from(y)));
    Ok(GroupCells::new(groups, Some(&weights))?.evaluate(statistic, |i| (label(i), decided[i]))?)
}

impl Monitor {
    /// The windows as (start, end, row range).
    pub(super) fn ranges(
        &self,
        records: &[StreamRecord],
    ) -> Vec<(f64, f64, std::ops::Range<usize>)> {
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

    #[allow(clippy::too_many_arguments)]
    pub(super) fn window_stats(
        &self,
        index: usize,
        start: f64,
        end: f64,
        rows: &[StreamRecord],
        names: &[&str],
        notions: &[Notion],
    ) -> Result<WindowStats> {
        let present: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| rows.iter().any(|r| r.group == *n))
            .collect();
        let of_row = rows
            .iter()
            .map(|r| {
                present
                    .iter()
                    .position(|n| *n == r.group)
                    .expect("every row's group is present in its window")
            })
            .collect();
        let decided: Vec<f64> = rows
            .iter()
            .map(|r| f64::from(u8::from(r.score >= self.threshold)))
            .collect();
        let mut disparities = Vec::with_capacity(notions.len());
        let mut groups = Vec::new();
        if !rows.is_empty() {
            let partition = Groups::new(present.iter().map(|n| n.to_string()).collect(), of_row)?;
            let selection = group_means(Statistic::positive_rate(), rows, &partition, &decided)?;
            let tpr = group_means(Statistic::true_positive_rate(), rows, &partition, &decided)?;
            let counts = partition.counts();
            for (g, name) in present.iter().enumerate() {
                groups.push(WindowGroup {
                    group: name.to_string(),
                    count: counts[g],
                    selection_rate: selection.values[g]
                        .expect("a present group has members, so a selection rate"),
                    tpr: tpr.values[g].ok(),
                });
            }
            for notion in notions {
                let means = notion
                    .statistics()
                    .iter()
                    .map(|s| group_means(*s, rows, &partition, &decided))
                    .collect::<Result<Vec<_>>>()?;
                disparities.push(NotionReading {
                    column: notion.column(),
                    value: notion.value(&means).ok().map(|v| v.value),
                });
            }
        } else {
            disparities.extend(notions.iter().map(|n| NotionReading {
                column: n.column(),
                value: None,
            }));
        }
        Ok(WindowStats {
            index,
            start,
            end,
            count: rows.len(),
            groups,
            disparities,
        })
    }
}
