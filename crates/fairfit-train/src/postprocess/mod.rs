//! Post-processing: group-specific thresholds on any scorer's scores (Hardt, Price & Srebro 2016,
//! "Equality of Opportunity in Supervised Learning").
//!
//! A score (a probability, a decision value, any [`fairfit_data::Scorer`]) is turned into
//! decisions by one rule per group, chosen on labelled data to maximise an [`Objective`] subject
//! to a [`Constraint`] (demographic parity, equal opportunity or equalized odds), exactly or
//! within a tolerance. Rules may randomise between two thresholds where the groups' ROC hulls
//! require it ([`Randomization::Allowed`], the exact optimum of Hardt et al.'s linear program), or
//! be single thresholds ([`Randomization::Forbidden`]).
//!
//! The flow follows linfa: [`ThresholdOptimizer::params`] → builder → `fit` →
//! [`FittedThresholds`], whose rules serialise with serde.
//!
//! Module map: [`constraint`](Constraint) and [`objective`](Objective) say what is asked;
//! `roc` lists a group's threshold points; `geometry` holds envelopes and polygon clipping;
//! `rate` solves one-rate constraints, `odds` equalized odds (with the simplex method of `lp`
//! under a tolerance); [`rule`](ThresholdRule) is a
//! group's decision rule; `fitted` applies the rules.

mod constraint;
mod error;
mod fitted;
mod geometry;
mod lp;
mod objective;
mod odds;
mod params;
mod rate;
mod roc;
mod rule;

pub use constraint::Constraint;
pub use error::{PostprocessError, Result};
pub use fitted::{FittedThresholds, GroupRates};
pub use objective::Objective;
pub use params::{
    Randomization, ThresholdOptimizer, ThresholdOptimizerParams, ThresholdOptimizerValidParams,
};
pub use rule::{Component, Cutoff, ThresholdRule};

#[cfg(test)]
mod tests;
