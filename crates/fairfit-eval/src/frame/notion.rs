//! A frame's notions: fairness [`Notion`]s of the shared vocabulary asked of a frame, each
//! computed from the engine's group means by [`Notion::value`] exactly as
//! [`notion_disparity`](crate::metrics::notion_disparity) computes it, with the groups it had to
//! skip and, from a bootstrap, its interval.

use fairfit_data::fairness::{GroupCells, GroupMeans, Notion, Undefined};
use fairfit_data::Groups;

use crate::error::{EvalError, Result};
use crate::estimate::{Estimate, Interval};
use crate::metrics::disparity::notion_means;
use crate::metrics::group::Grouped;
use crate::metrics::{Outcomes, Value};

/// A fairness notion measured on a frame's rows: its value, the groups it left out, and (from
/// [`Bootstrap::frame_with_notions`](crate::bootstrap::Bootstrap::frame_with_notions)) its
/// interval. Named, like the sweep's metric columns and the curves' axes, by
/// [`Notion::column`] (`eo_difference`, `ppv_difference`, `dp_ratio`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct NotionEstimate {
    /// The notion.
    pub notion: Notion,
    /// Its value, [`Notion::value`] of its statistics' group values (for several statistics the
    /// worst of their aggregates: equalized odds is the larger of the TPR and FPR differences),
    /// or why it is undefined (fewer than two groups with a defined value, a zero ratio
    /// denominator).
    pub value: Value,
    /// The groups left out because one of the notion's statistics is undefined there (a group
    /// without positives has no TPR), with the reason, in the order of the notion's statistics;
    /// the value compares the other groups. Never silently dropped: empty only when every group
    /// has every statistic.
    pub skipped: Vec<(String, Undefined)>,
    /// The groups each of the notion's statistics compared (those where it is defined), in the
    /// order of [`Notion::statistics`]: equalized odds can compare a group without positives
    /// on its FPR but not on its TPR.
    pub compared: Vec<Vec<String>>,
    /// The bootstrap percentile interval of the value. A replicate in which a group the value
    /// compares has an undefined statistic (it drew none of the rows the statistic is taken
    /// over) compares fewer groups; it is counted as undefined in the interval's
    /// [`Replicates`](crate::estimate::Replicates), not used.
    pub interval: Option<Interval>,
}

impl NotionEstimate {
    /// The notion's column name ([`Notion::column`]), e.g. `eo_difference`.
    pub fn column(&self) -> String {
        self.notion.column()
    }

    /// The value with its interval, as a frame entry's [`Estimate`].
    pub fn estimate(&self) -> Estimate<Value> {
        Estimate {
            value: self.value,
            interval: self.interval,
        }
    }
}

/// Why a replicate's value is left out of the interval.
const FEWER_GROUPS: Undefined = Undefined {
    reason: "a group the value compares has an undefined statistic on this replicate",
};

/// The notions a frame is asked for over its grouped rows: checked once, then evaluated under
/// any weights of those rows (the data's own, or a bootstrap replicate's).
pub(crate) struct FrameNotions<'a> {
    notions: &'a [Notion],
    outcomes: &'a Outcomes,
    /// The groups of the grouped rows (each group's rows contiguous).
    groups: Groups,
}

impl<'a> FrameNotions<'a> {
    /// Checks the notions (each named once) against the grouped rows.
    pub(crate) fn new(notions: &'a [Notion], grouped: &'a Grouped) -> Result<Self> {
        for (i, notion) in notions.iter().enumerate() {
            if notions[..i].iter().any(|n| n.column() == notion.column()) {
                return Err(EvalError::InvalidParameter {
                    name: "notions",
                    reason: format!("notion `{}` is given twice", notion.column()),
                });
            }
            for statistic in notion.statistics() {
                grouped.outcomes.check(statistic)?;
            }
        }
        let of_row = grouped
            .ranges
            .iter()
            .enumerate()
            .flat_map(|(g, rows)| std::iter::repeat(g).take(rows.len()))
            .collect();
        Ok(Self {
            notions,
            outcomes: &grouped.outcomes,
            groups: Groups::new(grouped.names.clone(), of_row)?,
        })
    }

    /// Each notion's group means under `weights` (one per grouped row), through the engine.
    fn means(&self, weights: &[f64]) -> Result<Vec<Vec<GroupMeans>>> {
        let cells = GroupCells::new(&self.groups, Some(weights))?;
        self.notions
            .iter()
            .map(|notion| notion_means(notion, self.outcomes, &cells))
            .collect()
    }

    /// Every notion's estimate under `weights`, without an interval.
    ///
    /// Errors: a statistic needs the model's scores (only its decisions and labels are here).
    pub(crate) fn estimates(&self, weights: &[f64]) -> Result<Vec<NotionEstimate>> {
        Ok(self
            .notions
            .iter()
            .zip(self.means(weights)?)
            .map(|(notion, means)| NotionEstimate {
                notion: notion.clone(),
                value: notion.value(&means).map(|v| v.value),
                skipped: undefined_groups(&means),
                compared: defined_groups(&means),
                interval: None,
            })
            .collect())
    }

    /// Every notion's value on a replicate's `weights`, left undefined where a group the point
    /// value compares is undefined on the replicate (a replicate draws only from a group's own
    /// rows, so a group undefined on the data stays undefined, and counting suffices).
    pub(crate) fn replicate(&self, weights: &[f64], point: &[NotionEstimate]) -> Vec<Value> {
        // The point evaluated the same statistics, and a replicate's weights are the data's
        // times draw counts, so this does not fail; if it did, the replicate would be left out.
        let Ok(all) = self.means(weights) else {
            return vec![Err(FEWER_GROUPS); self.notions.len()];
        };
        self.notions
            .iter()
            .zip(all)
            .zip(point)
            .map(|((notion, means), point)| {
                if undefined_groups(&means).len() > point.skipped.len() {
                    return Err(FEWER_GROUPS);
                }
                notion.value(&means).map(|v| v.value)
            })
            .collect()
    }

    /// The number of notions.
    pub(crate) fn len(&self) -> usize {
        self.notions.len()
    }
}

/// Each statistic's groups with a defined value, in the statistics' order.
fn defined_groups(means: &[GroupMeans]) -> Vec<Vec<String>> {
    means
        .iter()
        .map(|m| {
            m.values
                .iter()
                .zip(&m.groups)
                .filter(|(v, _)| v.is_ok())
                .map(|(_, g)| g.clone())
                .collect()
        })
        .collect()
}

/// Each statistic's undefined groups, with the engine's reason, in the statistics' order.
fn undefined_groups(means: &[GroupMeans]) -> Vec<(String, Undefined)> {
    means
        .iter()
        .flat_map(|m| {
            m.values
                .iter()
                .zip(&m.groups)
                .filter_map(|(v, g)| v.err().map(|u| (g.clone(), u)))
        })
        .collect()
}
