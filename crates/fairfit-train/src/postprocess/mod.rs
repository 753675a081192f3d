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
//! ```
//! use fairfit::data::Groups;
//! use fairfit::train::postprocess::{Constraint, Cutoff, ThresholdOptimizer};
//! use ndarray::array;
//! use rand::{rngs::StdRng, SeedableRng};
//!
//! // Group a's ROC points: (0,0), (0,½), (1,1); group b's: (0,0), (½,1), (1,1). Their hulls
//! // meet at best in (FPR, TPR) = (⅓, ⅔), which neither reaches with a single threshold.
//! let scores = array![0.9, 0.5, 0.5, 0.5, 0.8, 0.8, 0.8, 0.2];
//! let labels = [true, true, false, false, true, true, false, false];
//! let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 0, 1, 1, 1, 1])?;
//! let fitted = ThresholdOptimizer::params()
//!     .constraint(Constraint::EqualizedOdds)
//!     .fit(scores.view(), &labels, &groups, None)?;
//! let b = fitted.rule("b").unwrap().components();
//! assert_eq!((b[0].cutoff, b[1].cutoff), (Cutoff::SelectNone, Cutoff::AtLeast(0.8)));
//! assert!((b[1].probability - 2.0 / 3.0).abs() < 1e-12);
//! for rates in fitted.training_rates() {
//!     assert!((rates.true_positive_rate.unwrap() - 2.0 / 3.0).abs() < 1e-12);
//!     assert!((rates.false_positive_rate.unwrap() - 1.0 / 3.0).abs() < 1e-12);
//! }
//! let p = fitted.decision_probability(scores.view(), &groups)?; // exact, for metrics
//! let decisions = fitted.predict(scores.view(), &groups, &mut StdRng::seed_from_u64(1))?;
//! assert!(decisions.iter().zip(&p).all(|(&d, &p)| if p == 0.0 { !d } else if p == 1.0 { d } else { true }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The flow follows linfa: [`ThresholdOptimizer::params`] → builder → `fit` →
//! [`FittedThresholds`], whose rules serialise with serde.
//!
//! Module map: [`constraint`](Constraint) and [`objective`](Objective) say what is asked;
//! `roc` lists a group's threshold points, whose rates the statistic engine reads off each
//! point's label cells; `geometry` holds envelopes and polygon clipping;
//! `rate` solves one-rate constraints, `odds` equalized odds (with the simplex method of `lp`
//! under a tolerance); [`rule`](ThresholdRule) is a
//! group's decision rule; `fitted` applies the rules; [`levels`](LevelFitter) refits cheaply on
//! rows aggregated by distinct score.

mod constraint;
mod error;
mod fitted;
mod geometry;
mod levels;
pub(crate) mod lp;
mod objective;
mod odds;
mod params;
mod rate;
mod roc;
mod rule;

pub use constraint::Constraint;
pub use error::{PostprocessError, Result};
pub use fitted::{FittedThresholds, GroupRates};
pub use levels::{LevelFitter, ScoreLevels};
pub use objective::Objective;
pub use params::{
    Randomization, ThresholdOptimizer, ThresholdOptimizerParams, ThresholdOptimizerValidParams,
};
pub use rule::{Component, Cutoff, ThresholdRule};

#[cfg(test)]
mod tests;
