//! [`HeldOut`]: what a returned model does on the rows held out from all fitting — accuracy,
//! the notion's hard-decision gap, and whether its decisions are degenerate.

use fairfit_data::fairness::{DecisionProfile, Notion};
use fairfit_data::FairDataset;

use crate::error::Result;
use crate::metrics::{accuracy, notion_disparity, Outcomes};

/// A returned model on the held-out rows.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldOut {
    /// Accuracy of its decisions (weighted by the rows' weights).
    pub accuracy: f64,
    /// The notion's value on its decisions (a hard-decision gap).
    pub gap: f64,
    /// How its decisions spread over groups: constant (overall or within a group), and
    /// whether they beat the majority-class rule.
    pub decisions: DecisionProfile,
}

impl HeldOut {
    /// Reads `decisions` (one per row of `data`) against `data`'s labels and groups: accuracy,
    /// the `notion`'s value (an error when a group lacks the rows it conditions on) and the
    /// decision profile.
    pub fn of(decisions: &[bool], data: &FairDataset, notion: &Notion) -> Result<Self> {
        let labels = data.labels()?;
        let weights = data.weights().map(|w| w.to_vec());
        let outcomes = Outcomes::classification(&labels, decisions)?
            .with_optional_weights(weights.as_deref())?;
        Ok(Self {
            accuracy: accuracy(&labels, decisions, weights.as_deref())?,
            gap: notion_disparity(notion, &outcomes, data.groups())?.strict()?,
            decisions: DecisionProfile::of(data, decisions)?,
        })
    }

    /// Whether the gap breaks the bound `epsilon` (above it for a difference or a maximum,
    /// below it for a ratio).
    pub fn violates(&self, notion: &Notion, epsilon: f64) -> bool {
        !notion.within(self.gap, epsilon)
    }
}
