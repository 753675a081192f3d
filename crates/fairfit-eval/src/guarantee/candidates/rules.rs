//! [`DecisionRule`] for fairfit's fitted classifiers: a logistic model, a decoupled model
//! (each group's own model) and either of them behind group-specific single thresholds.

use fairfit_data::fairness::decide;
use fairfit_data::FairDataset;
use fairfit_train::postprocess::FittedThresholds;
use fairfit_train::{DecoupledModel, FittedModel, Logistic};
use ndarray::{Array1, Axis};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::saved::SavedRule;
use super::DecisionRule;
use crate::guarantee::error::{GuaranteeError, Result};

impl DecisionRule for FittedModel<Logistic> {
    fn decide(&self, data: &FairDataset) -> Result<Vec<bool>> {
        Ok(self
            .decision_function(data.records())?
            .iter()
            .map(|&s| decide(s))
            .collect())
    }

    fn saved(&self) -> Option<SavedRule> {
        Some(SavedRule::Logistic(self.clone()))
    }
}

impl DecisionRule for DecoupledModel<Logistic> {
    /// Each row decided by its own group's model, with the shared rule `score ≥ 0`.
    fn decide(&self, data: &FairDataset) -> Result<Vec<bool>> {
        let scores = decoupled_scores(self, data)?;
        Ok(scores.iter().map(|&s| decide(s)).collect())
    }

    fn saved(&self) -> Option<SavedRule> {
        Some(SavedRule::Decoupled(self.clone()))
    }
}

/// The decision values of a decoupled model: each row scored by its group's model.
fn decoupled_scores(model: &DecoupledModel<Logistic>, data: &FairDataset) -> Result<Array1<f64>> {
    let groups = data.groups();
    let mut scores = Array1::zeros(data.nrows());
    for (rows, name) in groups.members().iter().zip(groups.names()) {
        if rows.is_empty() {
            continue;
        }
        let own = model
            .model(name)
            .ok_or_else(|| GuaranteeError::InvalidParameter {
                name: "groups",
                reason: format!(
                    "no decoupled model was fitted for group `{name}` (fitted: {})",
                    model.groups().join(", ")
                ),
            })?;
        let s = own.decision_function(data.records().select(Axis(0), rows).view())?;
        for (&row, &value) in rows.iter().zip(&s) {
            scores[row] = value;
        }
    }
    Ok(scores)
}

/// A model's probabilities behind group-specific single thresholds (fitted with randomisation
/// forbidden, so every decision is a deterministic function of the row and its group). Loaded
/// from JSON it is checked as [`Thresholded::new`] checks it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    bound(deserialize = "M: DeserializeOwned"),
    try_from = "ThresholdedFile<M>"
)]
pub struct Thresholded<M> {
    /// The scoring model.
    pub model: M,
    /// The groups' thresholds on its probabilities.
    pub thresholds: FittedThresholds,
}

/// A [`Thresholded`] rule as saved, validated into one on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdedFile<M> {
    model: M,
    thresholds: FittedThresholds,
}

impl<M> TryFrom<ThresholdedFile<M>> for Thresholded<M> {
    type Error = GuaranteeError;

    fn try_from(file: ThresholdedFile<M>) -> Result<Self> {
        Self::new(file.model, file.thresholds)
    }
}

impl<M> Thresholded<M> {
    /// `thresholds` on `model`'s probabilities. Fails when a rule randomises: the safety test
    /// bounds deterministic decisions.
    pub fn new(model: M, thresholds: FittedThresholds) -> Result<Self> {
        if !thresholds.is_deterministic() {
            return Err(GuaranteeError::InvalidParameter {
                name: "thresholds",
                reason: "a randomised threshold rule has no fixed decisions to bound".into(),
            });
        }
        Ok(Self { model, thresholds })
    }

    fn apply(&self, probabilities: Array1<f64>, data: &FairDataset) -> Result<Vec<bool>> {
        let p = self
            .thresholds
            .decision_probability(probabilities.view(), data.groups())?;
        Ok(p.iter().map(|&p| p >= 1.0).collect())
    }
}

impl DecisionRule for Thresholded<FittedModel<Logistic>> {
    fn decide(&self, data: &FairDataset) -> Result<Vec<bool>> {
        let p = self.model.predict_proba(data.records())?;
        self.apply(p, data)
    }

    fn saved(&self) -> Option<SavedRule> {
        Some(SavedRule::ThresholdedLogistic(self.clone()))
    }
}

impl DecisionRule for Thresholded<DecoupledModel<Logistic>> {
    fn decide(&self, data: &FairDataset) -> Result<Vec<bool>> {
        let p = self.model.predict_proba(data.records(), data.groups())?;
        self.apply(p, data)
    }

    fn saved(&self) -> Option<SavedRule> {
        Some(SavedRule::ThresholdedDecoupled(self.clone()))
    }
}
