//! Lending with delayed impact: the gym's `DelayedImpactEnv` (after Liu et al., "Delayed Impact of
//! Fair Machine Learning", ICML 2018), the setting of D'Amour et al., "Fairness is not static"
//! (FAT* 2020).
//!
//! [`LendingParams`] holds the published defaults; [`LendingEnv`] is the environment;
//! [`ThresholdAgent`] and [`LogisticAgent`] are the decision makers built from fairfit's
//! post-processing and fair logistic regression; [`expected_drift`] is the closed-form expected
//! change of one step.

mod drift;
mod env;
mod evidence;
mod logistic;
mod params;
mod thresholds;

pub use drift::{expected_drift, Drift};
pub use env::{Applicant, LendingEnv, Population};
pub use evidence::{Evidence, EvidenceTable};
pub use logistic::{LogisticAgent, ModelFairness};
pub use params::{LendingParams, ValidLendingParams, CLUSTER_PROBABILITIES, SUCCESS_PROBABILITIES};
pub use thresholds::{Refit, ThresholdAgent, ThresholdPolicy};

#[cfg(test)]
mod tests;
