//! [`Constraint`]: which group statistics the thresholds must equalise.

use serde::{Deserialize, Serialize};

/// The fairness notion the post-processor enforces on the fitting data: which rate must be
/// (approximately) equal across groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Constraint {
    /// Equal selection rates P(ŷ = 1 | g).
    DemographicParity,
    /// Equal true-positive rates P(ŷ = 1 | y = 1, g) (Hardt et al.'s equal opportunity).
    EqualOpportunity,
    /// Equal true-positive and false-positive rates (Hardt et al.'s equalized odds).
    EqualizedOdds,
}

impl Constraint {
    /// Whether every group needs rows with a positive label (for its true-positive rate).
    pub fn needs_positives(&self) -> bool {
        matches!(
            self,
            Constraint::EqualOpportunity | Constraint::EqualizedOdds
        )
    }

    /// Whether every group needs rows with a negative label (for its false-positive rate).
    pub fn needs_negatives(&self) -> bool {
        matches!(self, Constraint::EqualizedOdds)
    }
}
