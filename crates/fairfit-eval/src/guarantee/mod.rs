//! High-confidence fairness (the Seldonian approach: Thomas et al., "Preventing undesirable
//! behavior of intelligent machines", Science 2019; its toolkit is seldonian-engine).
//!
//! The user states a [`Notion`](fairfit_data::fairness::Notion), ε and δ, and asks for a model
//! whose hard-decision gap *on the population* is within ε with probability at least `1 − δ`.
//! [`HighConfidence`] does it in three steps:
//!
//! 1. **Split** ([`SafetySplit`]): the training rows are cut once, seeded and stratified by
//!    group × label, into a candidate-selection part and a safety part (60 % by default, as
//!    seldonian-engine's `frac_data_in_safety`).
//! 2. **Candidate selection** ([`CandidateGenerator`]): any generator fits candidates on the
//!    candidate part — [`PenaltyCandidates`], [`TargetCandidates`], [`ThresholdCandidates`],
//!    [`DecoupledCandidates`], or one's own. Each candidate's *predicted* bound is the safety
//!    bound computed on candidate rows as if they had the safety part's size, with the radius
//!    doubled ([`NotionBound::predicted`]); the most accurate candidate predicted to pass is
//!    chosen.
//! 3. **Safety test** ([`NotionBound::safety`]): on the safety rows, each group's rate of each
//!    statistic gets one-sided bounds ([`BoundMethod`]: Student's t or Hoeffding), all at once
//!    by the union bound; the gap's bound is `max_{g≠h} (upper_g − lower_h)`.
//!
//! The [`Outcome`] is the model ([`Certified`], with its predicted and safety bounds, what was
//! tried, and whether its decisions are a constant rule) or [`NoSolution`] — never a model
//! that failed the test. Only one candidate meets the safety rows, so the guarantee holds
//! whatever the generators did on the candidate rows.
//!
//! Files: `bounds` (confidence bounds on a rate), `safety` (the notion's bound), `split`,
//! `candidates` (the trait, rules, their saved form and four generators), `select` (candidate selection),
//! `params` (the builder and the fit), `outcome`, `error`. Whether a certified rule decides
//! anything is its [`DecisionProfile`](fairfit_data::fairness::DecisionProfile).

mod bounds;
mod candidates;
mod error;
mod outcome;
mod params;
mod safety;
mod select;
mod split;

#[cfg(test)]
mod tests;

pub use bounds::{bernoulli_sd, BoundMethod, RateInterval};
pub use candidates::{
    describe, Attempt, CandidateGenerator, DecisionRule, DecoupledCandidates, PenaltyCandidates,
    SavedRule, TargetCandidates, ThresholdCandidates, Thresholded,
};
pub use error::{GuaranteeError, Result};
pub use outcome::{Certified, NoSolution, Outcome, Screened, Tried};
pub use params::{
    HighConfidence, HighConfidenceParams, HighConfidenceValidParams, DEFAULT_INFLATION,
    DEFAULT_SAFETY_FRACTION,
};
pub use safety::{check_notion, NotionBound, StatisticBound};
pub use split::{Part, SafetySplit};
