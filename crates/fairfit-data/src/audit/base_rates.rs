//! Group sizes, shares and base rates P(y = 1 | group), with their difference and ratio.

use serde::{Deserialize, Serialize};

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};
use crate::fairness::{GroupCells, Notion, Statistic};

/// Size and base rate of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupBaseRate {
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
    pub groups: Vec<GroupBaseRate>,
    /// max − min base rate over groups.
    pub difference: f64,
    /// min / max base rate (`None` when no group has a positive label).
    pub ratio: Option<f64>,
}

impl BaseRates {
    /// Counts rows and positives per active group (unweighted). A group without members is a
    /// [`DataError::EmptyGroup`]; labels must be 0/1.
    pub fn of(data: &FairDataset) -> Result<Self> {
        let labels: Vec<f64> = data
            .labels()?
            .into_iter()
            .map(|y| f64::from(u8::from(y)))
            .collect();
        let groups = data.groups();
        // Unweighted: an audit counts people, whatever weights a mitigation attached.
        let cells = GroupCells::new(groups, None)?;
        let rates = cells.evaluate(Statistic::base_rate(), |i| (labels[i], 0.0))?;
        let (positives, _) = cells.sums(|i| (1.0, labels[i]));
        let rows = groups.counts();
        if let Some(g) = rows.iter().position(|&r| r == 0) {
            return Err(DataError::EmptyGroup {
                group: groups.names()[g].clone(),
                what: "members".into(),
            });
        }
        let n = data.nrows() as f64;
        let base_rates = rates
            .defined()
            .expect("every group has members, so every base rate is defined");
        let stats: Vec<GroupBaseRate> = groups
            .names()
            .iter()
            .zip(rows.iter().zip(positives.iter().zip(&base_rates)))
            .map(|(name, (&r, (&p, &rate)))| GroupBaseRate {
                group: name.clone(),
                rows: r,
                share: r as f64 / n,
                positives: p as usize,
                base_rate: rate,
            })
            .collect();
        let parity = Notion::base_rate_parity();
        let difference = parity
            .value(std::slice::from_ref(&rates))
            .map_or(0.0, |v| v.value);
        let ratio = parity
            .ratio()
            .value(std::slice::from_ref(&rates))
            .ok()
            .map(|v| v.value);
        Ok(Self {
            groups: stats,
            difference,
            ratio,
        })
    }

    /// Whether the base-rate ratio meets the "80% rule" (ratio ≥ 0.8).
    pub fn passes_80_percent_rule(&self) -> bool {
        self.ratio.is_some_and(|r| r >= 0.8)
    }
}
