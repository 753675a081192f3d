//! [`DecoupledCandidates`]: one model per group (Dwork et al. 2018), as it is and behind
//! group-specific single thresholds over a grid of tolerances (the paper's joint choice of
//! thresholds).

use std::sync::Arc;

use fairfit_data::fairness::Notion;
use fairfit_data::FairDataset;
use fairfit_train::{Logistic, ValidFairParams};

use super::rules::Thresholded;
use super::thresholds::{constraint, fit_thresholds};
use super::{check_grid, Attempt, CandidateGenerator, DecisionRule};
use crate::guarantee::error::Result;

/// Candidates from decoupled models: the per-group models at their own thresholds (parameters
/// `[]`), then, for notions thresholds can equalise, single thresholds per group at each
/// tolerance. For other notions (false-positive-rate or error-rate parity) only the first.
///
/// ```
/// use fairfit::eval::guarantee::DecoupledCandidates;
/// use fairfit::prelude::*;
/// let params = FairLogisticRegression::params().check()?;
/// assert!(DecoupledCandidates::new(params, vec![0.0, 0.02]).is_ok());
/// # Ok::<(), fairfit::eval::guarantee::GuaranteeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DecoupledCandidates {
    params: ValidFairParams<Logistic>,
    tolerances: Vec<f64>,
}

impl DecoupledCandidates {
    /// Decoupled models fitted with `params`, thresholded at each of `tolerances` (finite,
    /// ≥ 0; may be empty, leaving the plain decoupled model only).
    pub fn new(params: ValidFairParams<Logistic>, tolerances: Vec<f64>) -> Result<Self> {
        if !tolerances.is_empty() {
            check_grid("tolerances", &tolerances)?;
        }
        Ok(Self { params, tolerances })
    }

    /// The tolerances.
    pub fn tolerances(&self) -> &[f64] {
        &self.tolerances
    }
}

impl CandidateGenerator for DecoupledCandidates {
    fn name(&self) -> &str {
        "decoupled"
    }

    fn generate(&self, notion: &Notion, data: &FairDataset) -> Result<Vec<Attempt>> {
        let model = self.params.fit_decoupled(data)?;
        let mut attempts = vec![Attempt::fitted(&[], Arc::new(model.clone()))];
        let Ok(constraint) = constraint(self.name(), notion) else {
            return Ok(attempts);
        };
        let p = model.predict_proba(data.records(), data.groups())?;
        attempts.extend(self.tolerances.iter().map(|&tolerance| {
            let rule = fit_thresholds(constraint, tolerance, p.view(), data)
                .and_then(|t| Thresholded::new(model.clone(), t))
                .map(|r| Arc::new(r) as Arc<dyn DecisionRule>);
            Attempt::new(&[("tolerance", tolerance)], rule)
        }));
        Ok(attempts)
    }
}
