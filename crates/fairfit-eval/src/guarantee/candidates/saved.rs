//! [`SavedRule`]: fairfit's own decision rules as one serde document, so that a certified rule
//! can be saved and loaded again (the Python package pickles its high-confidence classifier
//! through it). A rule of one's own has no document ([`DecisionRule::saved`] is `None`).

use std::sync::Arc;

use fairfit_data::FairDataset;
use fairfit_train::{DecoupledModel, FittedModel, Logistic};
use serde::{Deserialize, Serialize};

use super::rules::Thresholded;
use super::DecisionRule;
use crate::guarantee::error::Result;

/// Any of the rules fairfit's four generators make. Loaded from JSON every part is checked as
/// its own type checks it (a thresholded rule must be deterministic); unknown fields are
/// refused.
///
/// ```
/// use fairfit::eval::guarantee::{DecisionRule, SavedRule};
/// use fairfit::train::FittedLogistic;
/// use ndarray::array;
/// let model = FittedLogistic::new(array![1.0, -1.0], 0.0)?;
/// let json = serde_json::to_string(&model.saved().expect("fairfit's own rule"))?;
/// let loaded: SavedRule = serde_json::from_str(&json)?;
/// assert_eq!(loaded, SavedRule::Logistic(model));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum SavedRule {
    /// A logistic model deciding at `score ≥ 0` (penalty and target candidates).
    Logistic(FittedModel<Logistic>),
    /// One logistic model per group, each deciding at `score ≥ 0`.
    Decoupled(DecoupledModel<Logistic>),
    /// A logistic model's probabilities behind group-specific single thresholds.
    ThresholdedLogistic(Thresholded<FittedModel<Logistic>>),
    /// A decoupled model's probabilities behind group-specific single thresholds.
    ThresholdedDecoupled(Thresholded<DecoupledModel<Logistic>>),
}

impl SavedRule {
    /// The rule, shared as the high-confidence fit holds its rules.
    pub fn into_rule(self) -> Arc<dyn DecisionRule> {
        match self {
            SavedRule::Logistic(m) => Arc::new(m),
            SavedRule::Decoupled(m) => Arc::new(m),
            SavedRule::ThresholdedLogistic(t) => Arc::new(t),
            SavedRule::ThresholdedDecoupled(t) => Arc::new(t),
        }
    }
}

impl DecisionRule for SavedRule {
    fn decide(&self, data: &FairDataset) -> Result<Vec<bool>> {
        match self {
            SavedRule::Logistic(m) => m.decide(data),
            SavedRule::Decoupled(m) => m.decide(data),
            SavedRule::ThresholdedLogistic(t) => t.decide(data),
            SavedRule::ThresholdedDecoupled(t) => t.decide(data),
        }
    }

    fn saved(&self) -> Option<SavedRule> {
        Some(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use fairfit_data::fairness::Notion;
    use fairfit_data::synthetic::BiasedParams;
    use fairfit_train::postprocess::{Constraint, Randomization, ThresholdOptimizer};
    use fairfit_train::{FairLogisticRegression, ParamGuard};

    use super::*;
    use crate::guarantee::{
        CandidateGenerator, DecoupledCandidates, PenaltyCandidates, ThresholdCandidates,
    };

    fn data() -> FairDataset {
        BiasedParams::new(400, 2)
            .label_bias("b", 0.5)
            .seed(5)
            .generate()
            .unwrap()
            .data
    }

    #[test]
    fn every_generated_rule_round_trips_through_json_with_the_same_decisions() {
        let data = data();
        let params = FairLogisticRegression::params().check().unwrap();
        let generators: Vec<Box<dyn CandidateGenerator>> = vec![
            Box::new(PenaltyCandidates::new(params.clone(), vec![0.0, 5.0]).unwrap()),
            Box::new(ThresholdCandidates::new(params.clone(), vec![0.02]).unwrap()),
            Box::new(DecoupledCandidates::new(params, vec![0.02]).unwrap()),
        ];
        let mut kinds = Vec::new();
        for generator in &generators {
            let attempts = generator
                .generate(&Notion::demographic_parity(), &data)
                .unwrap();
            for attempt in attempts {
                let rule = attempt.rule.unwrap();
                let saved = rule.saved().expect("fairfit's rules are saved");
                let json = serde_json::to_string(&saved).unwrap();
                kinds.push(json.split('"').nth(1).unwrap().to_string());
                let loaded: SavedRule = serde_json::from_str(&json).unwrap();
                assert_eq!(loaded, saved);
                let restored = loaded.into_rule();
                assert_eq!(restored.decide(&data).unwrap(), rule.decide(&data).unwrap());
            }
        }
        kinds.dedup();
        assert_eq!(
            kinds,
            [
                "Logistic",
                "ThresholdedLogistic",
                "Decoupled",
                "ThresholdedDecoupled"
            ]
        );
    }

    #[test]
    fn a_randomised_or_altered_document_is_refused() {
        let data = data();
        let model = FairLogisticRegression::params().fit(&data).unwrap();
        let p = model.predict_proba(data.records()).unwrap();
        let labels = data.labels().unwrap();
        let mixed = ThresholdOptimizer::params()
            .constraint(Constraint::EqualizedOdds)
            .randomization(Randomization::Allowed)
            .fit(p.view(), &labels, data.groups(), None)
            .unwrap();
        assert!(
            !mixed.is_deterministic(),
            "fixture: equalized odds mixes thresholds"
        );
        // Built by hand (its fields are public), it saves; loading it is refused.
        let json = serde_json::to_string(&SavedRule::ThresholdedLogistic(Thresholded {
            model: model.clone(),
            thresholds: mixed,
        }))
        .unwrap();
        let err = serde_json::from_str::<SavedRule>(&json).unwrap_err();
        assert!(err.to_string().contains("randomised"), "{err}");
        let mut doc: serde_json::Value = serde_json::to_value(SavedRule::Logistic(model)).unwrap();
        doc["Logistic"]["extra"] = 1.into();
        assert!(serde_json::from_value::<SavedRule>(doc).is_err());
    }
}
