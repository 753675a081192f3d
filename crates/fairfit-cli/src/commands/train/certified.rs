//! The candidates of `train --high-confidence`: a warm-started penalty path whose models are
//! kept, so the one the safety test certifies is the one saved in the pipeline (the guarantee is
//! about that exact rule; refitting it would void it).

use std::sync::{Arc, Mutex};

use fairfit_data::fairness::Notion;
use fairfit_data::FairDataset;
use fairfit_eval::guarantee::{Attempt, CandidateGenerator, DecisionRule, GuaranteeError};
use fairfit_train::{FittedLogistic, Logistic, Penalty, PenaltyPath, ValidFairParams};

/// Penalty weights tried, loose to tight.
pub const LAMBDAS: [f64; 8] = [0.0, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0];

/// Penalty candidates that remember the model of every attempt, in generation order.
#[derive(Debug)]
pub struct KeptPenaltyCandidates {
    params: ValidFairParams<Logistic>,
    models: Mutex<Vec<Option<FittedLogistic>>>,
}

impl KeptPenaltyCandidates {
    /// Candidates of the base `params` over [`LAMBDAS`].
    pub fn new(params: ValidFairParams<Logistic>) -> Self {
        Self {
            params,
            models: Mutex::new(Vec::new()),
        }
    }

    /// The model of attempt `index` (as [`Certified::chosen`](fairfit_eval::guarantee::Certified)
    /// numbers them), if it was fitted.
    pub fn model(&self, index: usize) -> Option<FittedLogistic> {
        self.models
            .lock()
            .ok()
            .and_then(|models| models.get(index).cloned().flatten())
    }
}

impl CandidateGenerator for KeptPenaltyCandidates {
    fn name(&self) -> &str {
        "penalty"
    }

    fn generate(
        &self,
        notion: &Notion,
        data: &FairDataset,
    ) -> Result<Vec<Attempt>, GuaranteeError> {
        let penalty =
            Penalty::for_notion(notion).map_err(|e| GuaranteeError::UnsupportedGenerator {
                generator: self.name().into(),
                notion: notion.label(),
                reason: e.to_string(),
            })?;
        let path = PenaltyPath::new(self.params.clone(), penalty, LAMBDAS.to_vec())?;
        let mut kept = Vec::new();
        let attempts = LAMBDAS
            .iter()
            .zip(path.steps(data)?)
            .map(|(&lambda, point)| {
                let model = point.map(|p| p.model).map_err(GuaranteeError::from);
                kept.push(model.as_ref().ok().cloned());
                let rule = model.map(|m| Arc::new(m) as Arc<dyn DecisionRule>);
                Attempt::new(&[("lambda", lambda)], rule)
            })
            .collect();
        if let Ok(mut models) = self.models.lock() {
            *models = kept;
        }
        Ok(attempts)
    }
}
