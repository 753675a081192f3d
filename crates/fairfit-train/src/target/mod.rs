//! Fairness targets instead of weights: the user states `gap ≤ ε` (or `ratio ≥ r`, or
//! `value ≤ bound` per group) for one or more statistics, and the fit meets it on the decisions
//! the model makes on its training data, or says it cannot.
//!
//! - [`Target`]: what is bounded (this file);
//! - [`TargetedFit`] (`fit.rs`): augmented-Lagrangian rounds on the smooth statistic, inside an
//!   outer loop that tightens the smooth limit and sharpens the surrogate until the hard
//!   decisions meet the user's limit ([`Binding::Decisions`], the default);
//! - [`TargetedModel`], [`TargetOutcome`] (`outcome.rs`): what a fit returns, including whether
//!   its decisions are degenerate;
//! - [`TargetPath`] (`path.rs`): targets traced over ε, warm-started.

use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};
use crate::lagrangian::TargetBound;
use crate::params::non_negative;
use fairfit_data::fairness::{Aggregate, Notion, Statistic};

mod binding;
mod excess;
mod fit;
mod outcome;
mod path;

pub use binding::Binding;
pub use fit::TargetedFit;
pub use outcome::{TargetOutcome, TargetedModel};
pub use path::TargetPath;

/// Rounding slack when a hard-decision rate is compared with its limit: rates are ratios of
/// floating-point sums, so a gap of exactly ε may come out as ε + 3e-17.
pub(crate) const RATE_SLACK: f64 = 1e-12;

/// A fairness target on one statistic of the model's training decisions.
///
/// ```
/// use fairfit::train::{Statistic, Target, TargetBound};
/// let t = Target::gap(Statistic::positive_rate(), 0.02);
/// assert_eq!(t.bound, TargetBound::Gap(0.02));
/// assert_eq!(Target::equalized_odds(0.05).len(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The statistic constrained.
    pub statistic: Statistic,
    /// The bound.
    pub bound: TargetBound,
}

impl Target {
    /// `max − min` of the statistic over groups at most `epsilon`.
    pub fn gap(statistic: Statistic, epsilon: f64) -> Self {
        Self {
            statistic,
            bound: TargetBound::Gap(epsilon),
        }
    }

    /// The statistic at most `bound` in every group (e.g. bounded group loss).
    pub fn max(statistic: Statistic, bound: f64) -> Self {
        Self {
            statistic,
            bound: TargetBound::Max(bound),
        }
    }

    /// `min / max` of the statistic over groups at least `ratio` (in (0, 1]; the 80 % rule
    /// of disparate impact is `ratio = 0.8`).
    pub fn ratio(statistic: Statistic, ratio: f64) -> Self {
        Self {
            statistic,
            bound: TargetBound::Ratio(ratio),
        }
    }

    /// The targets of a notion at `bound`: a gap `≤ bound` on each statistic of a difference
    /// (equalized odds: on the TPR and the FPR), every group's value `≤ bound` for a group
    /// maximum (bounded group loss), a ratio `≥ bound` on each statistic of a ratio notion.
    ///
    /// Errors: [`TrainError::Unsupported`] for a notion whose statistics are not smooth in the
    /// scores or whose aggregate has no target form here (minima, comparisons to the overall
    /// value).
    ///
    /// ```
    /// use fairfit::train::{Notion, Statistic, Target};
    /// assert_eq!(Target::for_notion(&Notion::equalized_odds(), 0.05)?, Target::equalized_odds(0.05));
    /// let ratio = Target::for_notion(&Notion::demographic_parity().ratio(), 0.8)?;
    /// assert_eq!(ratio, vec![Target::ratio(Statistic::positive_rate(), 0.8)]);
    /// assert!(Target::for_notion(&Notion::predictive_parity(), 0.05).is_err());
    /// # Ok::<(), fairfit::train::TrainError>(())
    /// ```
    pub fn for_notion(notion: &Notion, bound: f64) -> Result<Vec<Self>> {
        let unsupported = |reason| TrainError::Unsupported {
            statistic: notion.label(),
            model: "a fairness target",
            reason,
        };
        if !notion.is_smooth() {
            return Err(unsupported(
                "its statistics are not smooth in the model's scores",
            ));
        }
        let target = match notion.aggregate() {
            Aggregate::Difference => Self::gap,
            Aggregate::Max => Self::max,
            Aggregate::Ratio => Self::ratio,
            _ => {
                return Err(unsupported(
                    "only differences, ratios and group maxima can be targets",
                ))
            }
        };
        Ok(notion
            .statistics()
            .iter()
            .map(|s| target(*s, bound))
            .collect())
    }

    /// The one target of a named single-statistic notion.
    fn single(notion: Notion, epsilon: f64) -> Self {
        Self::for_notion(&notion, epsilon)
            .ok()
            .and_then(|t| t.into_iter().next())
            .expect("the vocabulary's named notions have one smooth statistic")
    }

    /// Demographic parity: positive-rate gap ≤ ε.
    pub fn demographic_parity(epsilon: f64) -> Self {
        Self::single(Notion::demographic_parity(), epsilon)
    }

    /// Equal opportunity: true-positive-rate gap ≤ ε.
    pub fn equal_opportunity(epsilon: f64) -> Self {
        Self::single(Notion::equal_opportunity(), epsilon)
    }

    /// Equalized odds: true- and false-positive-rate gaps ≤ ε.
    pub fn equalized_odds(epsilon: f64) -> Vec<Self> {
        Self::for_notion(&Notion::equalized_odds(), epsilon)
            .expect("equalized odds is a smooth difference")
    }

    fn validate(&self) -> Result<()> {
        match self.bound {
            TargetBound::Gap(eps) => non_negative("epsilon", eps),
            TargetBound::Max(bound) if !bound.is_finite() => Err(TrainError::InvalidParameter {
                name: "bound",
                reason: format!("must be finite, got {bound}"),
            }),
            TargetBound::Max(_) => Ok(()),
            TargetBound::Ratio(r) if !(r > 0.0 && r <= 1.0) => Err(TrainError::InvalidParameter {
                name: "ratio",
                reason: format!("must be in (0, 1], got {r}"),
            }),
            TargetBound::Ratio(_) => Ok(()),
        }
    }

    /// What the target compares with its limit on group values.
    pub fn achieved(&self, values: &[f64]) -> f64 {
        self.bound.achieved(values)
    }

    /// The limit: ε, the bound or the ratio.
    pub fn limit(&self) -> f64 {
        self.bound.limit()
    }
}
