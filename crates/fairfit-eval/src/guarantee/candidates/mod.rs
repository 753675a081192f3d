//! Candidate generation: anything that fits decision rules on the candidate-selection rows.
//!
//! A [`CandidateGenerator`] turns the candidate rows and the notion into a list of
//! [`Attempt`]s, each a [`DecisionRule`] (or why its fit failed) with the grid parameters that
//! made it. fairfit ships four, built on its trainers: [`PenaltyCandidates`] (a warm-started λ
//! path), [`TargetCandidates`] (a warm-started ε path of targets), [`ThresholdCandidates`]
//! (group-specific single thresholds on one model, over a tolerance grid) and
//! [`DecoupledCandidates`] (one model per group, with and without thresholds). The sweep's
//! `Strategy` is not reused here: a strategy hands back decisions on fixed splits, while the
//! high-confidence fit must keep the rule itself, to apply it to safety rows and return it.
//!
//! A generator of one's own joins the same way:
//!
//! ```
//! use std::sync::Arc;
//! use fairfit::data::FairDataset;
//! use fairfit::eval::guarantee::{Attempt, CandidateGenerator, DecisionRule, GuaranteeError};
//! use fairfit::prelude::Notion;
//! /// Approves rows whose first feature is at least `cut`.
//! #[derive(Debug)]
//! struct Cut(f64);
//! impl DecisionRule for Cut {
//!     fn decide(&self, data: &FairDataset) -> Result<Vec<bool>, GuaranteeError> {
//!         Ok(data.records().column(0).iter().map(|&x| x >= self.0).collect())
//!     }
//! }
//! #[derive(Debug)]
//! struct Cuts;
//! impl CandidateGenerator for Cuts {
//!     fn name(&self) -> &str {
//!         "cuts"
//!     }
//!     fn generate(&self, _: &Notion, _: &FairDataset) -> Result<Vec<Attempt>, GuaranteeError> {
//!         Ok([-1.0, 0.0, 1.0].iter().map(|&c| Attempt::fitted(&[("cut", c)], Arc::new(Cut(c)))).collect())
//!     }
//! }
//! # let _ = Cuts;
//! ```

mod decoupled;
mod penalty;
mod rules;
mod saved;
mod target;
mod thresholds;

use std::sync::Arc;

use fairfit_data::fairness::Notion;
use fairfit_data::FairDataset;

use super::error::Result;

pub use decoupled::DecoupledCandidates;
pub use penalty::PenaltyCandidates;
pub use rules::Thresholded;
pub use saved::SavedRule;
pub use target::TargetCandidates;
pub use thresholds::ThresholdCandidates;

/// A fitted decision rule: a hard decision for every row of a data set (`true`: the
/// favourable decision). Implemented for fairfit's logistic models, decoupled models and
/// thresholded models; a deterministic rule is what the safety test's bound is about.
pub trait DecisionRule: std::fmt::Debug + Send + Sync {
    /// The decision for each row of `data`, in row order.
    fn decide(&self, data: &FairDataset) -> Result<Vec<bool>>;

    /// The rule as a [`SavedRule`] document, for fairfit's own rules; `None` (the default) for a
    /// rule that cannot be saved.
    fn saved(&self) -> Option<SavedRule> {
        None
    }
}

/// Fits candidate rules on the candidate-selection rows (see the module documentation).
pub trait CandidateGenerator: std::fmt::Debug + Send + Sync {
    /// The name candidates are reported under, e.g. `penalty`.
    fn name(&self) -> &str;

    /// The candidates for `notion` fitted on `data` (the candidate-selection rows), one
    /// [`Attempt`] per grid point, in grid order. A grid point whose fit fails is returned as
    /// its error and the others go on; an error of the whole call means no candidate could be
    /// made at all (e.g. a notion the generator cannot target).
    fn generate(&self, notion: &Notion, data: &FairDataset) -> Result<Vec<Attempt>>;
}

/// One grid point of a generator: its parameters and the rule fitted there, or why not.
#[derive(Debug)]
pub struct Attempt {
    /// Parameter names and values, e.g. `[("lambda", 10.0)]` (empty for a single rule).
    pub params: Vec<(String, f64)>,
    /// The rule, or the error of its fit.
    pub rule: Result<Arc<dyn DecisionRule>>,
}

impl Attempt {
    /// A rule fitted at `params`.
    pub fn fitted(params: &[(&str, f64)], rule: Arc<dyn DecisionRule>) -> Self {
        Self::new(params, Ok(rule))
    }

    /// A grid point at `params`, fitted or failed.
    pub fn new(params: &[(&str, f64)], rule: Result<Arc<dyn DecisionRule>>) -> Self {
        Self {
            params: params.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
            rule,
        }
    }
}

/// `name(k=v, ...)`: how a candidate is named in reports.
pub fn describe(generator: &str, params: &[(String, f64)]) -> String {
    if params.is_empty() {
        return generator.to_string();
    }
    let inner: Vec<String> = params.iter().map(|(n, v)| format!("{n}={v}")).collect();
    format!("{generator}({})", inner.join(", "))
}

/// Checks a generator's grid: not empty, every value finite and ≥ 0.
pub(crate) fn check_grid(name: &'static str, grid: &[f64]) -> Result<()> {
    let invalid = |reason: String| super::error::GuaranteeError::InvalidParameter { name, reason };
    if grid.is_empty() {
        return Err(invalid("the grid is empty".into()));
    }
    match grid.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
        Some(v) => Err(invalid(format!("{v} is not a finite number ≥ 0"))),
        None => Ok(()),
    }
}
