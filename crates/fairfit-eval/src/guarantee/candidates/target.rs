//! [`TargetCandidates`]: the notion's targets `gap ≤ ε` over a list of ε, each fit
//! warm-started from the last success ([`TargetSteps`]); every ε met is a candidate.

use std::sync::Arc;

use fairfit_data::fairness::Notion;
use fairfit_data::FairDataset;
use fairfit_train::{Logistic, Target, TargetSteps, ValidFairParams};

use super::{check_grid, Attempt, CandidateGenerator, DecisionRule};
use crate::guarantee::error::{GuaranteeError, Result};

/// Candidates fitted to the notion's targets ([`Target::for_notion`]) at each bound of
/// `epsilons`, in the notion's own form: a difference at most ε, or for a ratio notion a
/// min / max ratio at least ε (so its bounds lie in \[0, 1\], loosest first).
///
/// ```
/// use fairfit::eval::guarantee::TargetCandidates;
/// use fairfit::prelude::*;
/// let params = FairLogisticRegression::params().check()?;
/// assert!(TargetCandidates::new(params.clone(), vec![0.1, 0.05, 0.02]).is_ok());
/// assert!(TargetCandidates::new(params, vec![-0.1]).is_err());
/// # Ok::<(), fairfit::eval::guarantee::GuaranteeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct TargetCandidates {
    params: ValidFairParams<Logistic>,
    epsilons: Vec<f64>,
}

impl TargetCandidates {
    /// Targets at each of `epsilons` (finite, ≥ 0; loose to tight makes each warm start
    /// closest) on top of the base `params`.
    pub fn new(params: ValidFairParams<Logistic>, epsilons: Vec<f64>) -> Result<Self> {
        check_grid("epsilons", &epsilons)?;
        Ok(Self { params, epsilons })
    }

    /// The bounds ε, in path order.
    pub fn epsilons(&self) -> &[f64] {
        &self.epsilons
    }
}

impl CandidateGenerator for TargetCandidates {
    fn name(&self) -> &str {
        "target"
    }

    fn generate(&self, notion: &Notion, data: &FairDataset) -> Result<Vec<Attempt>> {
        let sets = self
            .epsilons
            .iter()
            .map(|&e| Target::for_notion(notion, e))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| GuaranteeError::UnsupportedGenerator {
                generator: self.name().into(),
                notion: notion.label(),
                reason: e.to_string(),
            })?;
        let steps = TargetSteps::new(&self.params, data, sets)?;
        Ok(self
            .epsilons
            .iter()
            .zip(steps)
            .map(|(&epsilon, fit)| {
                let rule = fit
                    .map(|t| Arc::new(t.model) as Arc<dyn DecisionRule>)
                    .map_err(GuaranteeError::from);
                Attempt::new(&[("epsilon", epsilon)], rule)
            })
            .collect())
    }
}
