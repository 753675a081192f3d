//! [`Constraint`]: which group statistics the thresholds must equalise.

use fairfit_data::fairness::{Condition, Notion};
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
    /// The notion the thresholds enforce (as a difference: the tolerance bounds the gap).
    pub fn notion(&self) -> Notion {
        match self {
            Constraint::DemographicParity => Notion::demographic_parity(),
            Constraint::EqualOpportunity => Notion::equal_opportunity(),
            Constraint::EqualizedOdds => Notion::equalized_odds(),
        }
    }

    /// The constraint that enforces a notion, if group-specific thresholds can: the difference
    /// (or ratio) of decision rates whose statistics are one of the constraints' (`None` for
    /// other notions, e.g. error-rate or predictive parity).
    ///
    /// ```
    /// use fairfit::train::postprocess::Constraint;
    /// use fairfit::train::Notion;
    /// assert_eq!(Constraint::for_notion(&Notion::equalized_odds()), Some(Constraint::EqualizedOdds));
    /// assert_eq!(Constraint::for_notion(&Notion::error_rate_parity()), None);
    /// assert!(Constraint::EqualizedOdds.needs_negatives() && !Constraint::EqualOpportunity.needs_negatives());
    /// assert!(Constraint::EqualOpportunity.needs_positives() && !Constraint::DemographicParity.needs_positives());
    /// ```
    pub fn for_notion(notion: &Notion) -> Option<Self> {
        [
            Constraint::DemographicParity,
            Constraint::EqualOpportunity,
            Constraint::EqualizedOdds,
        ]
        .into_iter()
        .find(|c| c.notion().statistics() == notion.statistics())
    }

    /// Whether every group needs rows with a positive label (a rate of the notion is taken over
    /// them: the true-positive rate).
    pub fn needs_positives(&self) -> bool {
        self.reads(Condition::Positives)
    }

    /// Whether every group needs rows with a negative label (a rate of the notion is taken over
    /// them: the false-positive rate).
    pub fn needs_negatives(&self) -> bool {
        self.reads(Condition::Negatives)
    }

    /// Whether a statistic of the notion is taken over the rows of `condition`.
    fn reads(&self, condition: Condition) -> bool {
        self.notion()
            .statistics()
            .iter()
            .any(|s| s.condition == condition)
    }
}
