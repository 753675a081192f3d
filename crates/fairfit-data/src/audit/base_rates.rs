//! Group sizes, shares and base rates P(y = 1 | group), with their difference and ratio.

use serde::{Deserialize, Serialize};

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

/// Size and base rate of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupStats {
    /// The group's name.
    pub group: String,
    /// Number of rows.
    pub rows: usize,
    /// Share of all rows.
    pub share: f64,
    /// Rows with the favourable label.
    pub positives: usize,
    /// P(y = 1 | group) = positives / rows.
    pub base_rate: f64,
}

/// Representation and base rates over the active groups, with the disparity of base rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaseRates {
    /// One entry per group, in group order.
    pub groups: Vec<GroupStats>,
    /// max − min base rate over groups.
    pub difference: f64,
    /// min / max base rate (`None` when no group has a positive label).
    pub ratio: Option<f64>,
}

impl BaseRates {
    /// Counts rows and positives per active group (unweighted). A group without members is a
    /// [`DataError::EmptyGroup`]; labels must be 0/1.
    pub fn of(data: &FairDataset) -> Result<Self> {
        let labels = data.labels()?;
        let names = data.groups().names();
        let mut rows = vec![0usize; names.len()];
        let mut positives = vec![0usize; names.len()];
        for (&g, y) in data.groups().of_row().iter().zip(labels) {
            rows[g] += 1;
            positives[g] += usize::from(y);
        }
        if let Some(g) = rows.iter().position(|&r| r == 0) {
            return Err(DataError::EmptyGroup {
                group: names[g].clone(),
                what: "members".into(),
            });
        }
        let n = data.nrows() as f64;
        let groups: Vec<GroupStats> = names
            .iter()
            .zip(rows.iter().zip(&positives))
            .map(|(name, (&r, &p))| GroupStats {
                group: name.clone(),
                rows: r,
                share: r as f64 / n,
                positives: p,
                base_rate: p as f64 / r as f64,
            })
            .collect();
        let (lo, hi) = groups
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), g| {
                (lo.min(g.base_rate), hi.max(g.base_rate))
            });
        Ok(Self {
            groups,
            difference: hi - lo,
            ratio: (hi > 0.0).then(|| lo / hi),
        })
    }

    /// Whether the base-rate ratio meets the "80% rule" (ratio ≥ 0.8).
    pub fn passes_80_percent_rule(&self) -> bool {
        self.ratio.is_some_and(|r| r >= 0.8)
    }
}
