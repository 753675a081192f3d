//! [`ThresholdCandidates`]: one model fitted on the candidate rows, then group-specific single
//! thresholds (Hardt et al. 2016, randomisation forbidden) over a grid of tolerances.

use std::sync::Arc;

use fairfit_data::fairness::Notion;
use fairfit_data::FairDataset;
use fairfit_train::postprocess::{Constraint, Randomization, ThresholdOptimizer};
use fairfit_train::{FittedModel, Logistic, ValidFairParams};

use super::rules::Thresholded;
use super::{check_grid, Attempt, CandidateGenerator, DecisionRule};
use crate::guarantee::error::{GuaranteeError, Result};

/// Candidates made of the base model's probabilities behind single thresholds per group,
/// equalising the notion's rates ([`Constraint::for_notion`]: demographic parity, equal
/// opportunity, equalized odds, as differences or ratios) within each tolerance.
///
/// ```
/// use fairfit::eval::guarantee::ThresholdCandidates;
/// use fairfit::prelude::*;
/// let params = FairLogisticRegression::params().check()?;
/// let candidates = ThresholdCandidates::new(params, vec![0.0, 0.01, 0.02, 0.05])?;
/// assert_eq!(candidates.tolerances().len(), 4);
/// # Ok::<(), fairfit::eval::guarantee::GuaranteeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ThresholdCandidates {
    params: ValidFairParams<Logistic>,
    tolerances: Vec<f64>,
}

impl ThresholdCandidates {
    /// Thresholds at each of `tolerances` (finite, ≥ 0) on a model fitted with `params`.
    pub fn new(params: ValidFairParams<Logistic>, tolerances: Vec<f64>) -> Result<Self> {
        check_grid("tolerances", &tolerances)?;
        Ok(Self { params, tolerances })
    }

    /// The tolerances.
    pub fn tolerances(&self) -> &[f64] {
        &self.tolerances
    }
}

/// The constraint of `notion`, or why thresholds cannot target it.
pub(super) fn constraint(generator: &str, notion: &Notion) -> Result<Constraint> {
    Constraint::for_notion(notion).ok_or_else(|| GuaranteeError::UnsupportedGenerator {
        generator: generator.into(),
        notion: notion.label(),
        reason: "group-specific thresholds equalise positive rates, true-positive rates, or both \
                 true- and false-positive rates"
            .into(),
    })
}

/// Fits single thresholds on `probabilities` of `data` at `tolerance`.
pub(super) fn fit_thresholds(
    constraint: Constraint,
    tolerance: f64,
    probabilities: ndarray::ArrayView1<'_, f64>,
    data: &FairDataset,
) -> Result<fairfit_train::FittedThresholds> {
    let labels = data.labels()?;
    Ok(ThresholdOptimizer::params()
        .constraint(constraint)
        .randomization(Randomization::Forbidden)
        .tolerance(tolerance)
        .fit(probabilities, &labels, data.groups(), None)?)
}

impl CandidateGenerator for ThresholdCandidates {
    fn name(&self) -> &str {
        "thresholds"
    }

    fn generate(&self, notion: &Notion, data: &FairDataset) -> Result<Vec<Attempt>> {
        let constraint = constraint(self.name(), notion)?;
        let model: FittedModel<Logistic> = self.params.fit(data)?;
        let p = model.predict_proba(data.records())?;
        Ok(self
            .tolerances
            .iter()
            .map(|&tolerance| {
                let rule = fit_thresholds(constraint, tolerance, p.view(), data)
                    .and_then(|t| Thresholded::new(model.clone(), t))
                    .map(|r| Arc::new(r) as Arc<dyn DecisionRule>);
                Attempt::new(&[("tolerance", tolerance)], rule)
            })
            .collect())
    }
}
