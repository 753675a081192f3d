//! Windows along the stream: how they slide ([`WindowSpec`]), and each one's statistics by
//! group ([`WindowStats`]).

use serde::{Deserialize, Serialize};

use super::{Bound, Monitor, StreamRecord};

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

    pub(super) fn window_stats(
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
