//! [`PenaltyCandidates`]: the notion's penalty traced over weights λ, each fit warm-started
//! from the last ([`PenaltyPath`]); every λ is a candidate.

use std::sync::Arc;

use fairfit_data::fairness::Notion;
use fairfit_data::FairDataset;
use fairfit_train::{Logistic, Penalty, PenaltyPath, ValidFairParams};

use super::{check_grid, Attempt, CandidateGenerator, DecisionRule};
use crate::guarantee::error::{GuaranteeError, Result};

/// Candidates along the notion's penalty path ([`Penalty::for_notion`]: the squared gap of a
/// difference or a ratio) over `lambdas`.
///
/// ```
/// use fairfit::eval::guarantee::PenaltyCandidates;
/// use fairfit::prelude::*;
/// let params = FairLogisticRegression::params().check()?;
/// let path = PenaltyCandidates::new(params, PenaltyPath::<fairfit::train::Logistic>::log_spaced(0.1, 100.0, 4))?;
/// assert_eq!(path.lambdas().len(), 5); // λ = 0, then 4 log-spaced weights
/// # Ok::<(), fairfit::eval::guarantee::GuaranteeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PenaltyCandidates {
    params: ValidFairParams<Logistic>,
    lambdas: Vec<f64>,
}

impl PenaltyCandidates {
    /// The path of the base `params` over `lambdas` (each finite and ≥ 0; increasing order
    /// makes the warm starts closest).
    pub fn new(params: ValidFairParams<Logistic>, lambdas: Vec<f64>) -> Result<Self> {
        check_grid("lambdas", &lambdas)?;
        Ok(Self { params, lambdas })
    }

    /// The weights λ.
    pub fn lambdas(&self) -> &[f64] {
        &self.lambdas
    }
}

impl CandidateGenerator for PenaltyCandidates {
    fn name(&self) -> &str {
        "penalty"
    }

    fn generate(&self, notion: &Notion, data: &FairDataset) -> Result<Vec<Attempt>> {
        let penalty =
            Penalty::for_notion(notion).map_err(|e| GuaranteeError::UnsupportedGenerator {
                generator: self.name().into(),
                notion: notion.label(),
                reason: e.to_string(),
            })?;
        let path = PenaltyPath::new(self.params.clone(), penalty, self.lambdas.clone())?;
        let steps = path.steps(data)?;
        Ok(self
            .lambdas
            .iter()
            .zip(steps)
            .map(|(&lambda, point)| {
                let rule = point
                    .map(|p| Arc::new(p.model) as Arc<dyn DecisionRule>)
                    .map_err(GuaranteeError::from);
                Attempt::new(&[("lambda", lambda)], rule)
            })
            .collect())
    }
}
