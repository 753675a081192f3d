//! [`HighConfidence`]: the parameters of a high-confidence (Seldonian) fit — the notion, ε, δ,
//! the candidate generators, the split and the bound — checked through linfa's `ParamGuard`,
//! and the fit itself: split, select a candidate, test it on the safety rows.

use std::borrow::Borrow;
use std::sync::Arc;

use fairfit_data::fairness::{Aggregate, DecisionProfile, Notion};
use fairfit_data::FairDataset;
use linfa::dataset::{DatasetBase, Records};
use linfa::traits::Fit;

use super::bounds::BoundMethod;
use super::candidates::CandidateGenerator;
use super::error::{GuaranteeError, Result};
use super::outcome::{Certified, NoSolution, Outcome};
use super::safety::{check_notion, NotionBound};
use super::select::select;
use super::split::SafetySplit;

/// seldonian-engine's default share of the rows in the safety part (`frac_data_in_safety`).
pub const DEFAULT_SAFETY_FRACTION: f64 = 0.6;

/// Thomas et al.'s (and seldonian-engine's) widening of the predicted bound's radius.
pub const DEFAULT_INFLATION: f64 = 2.0;

/// A high-confidence fit (Thomas et al., "Preventing undesirable behavior of intelligent
/// machines", Science 2019): the entry point to its parameters.
///
/// ```
/// use fairfit::data::synthetic::BiasedParams;
/// use fairfit::eval::guarantee::{BoundMethod, HighConfidence, Outcome, PenaltyCandidates};
/// use fairfit::prelude::*;
/// let data = BiasedParams::new(4_000, 3).label_bias("b", 0.4).seed(1).generate()?.data;
/// let base = FairLogisticRegression::params().check()?;
/// let outcome = HighConfidence::params(Notion::demographic_parity(), 0.1, 0.05)
///     .candidates(PenaltyCandidates::new(base, PenaltyPath::<fairfit::train::Logistic>::log_spaced(0.1, 100.0, 6))?)
///     .bound(BoundMethod::StudentT)
///     .seed(7)
///     .fit(&data)?;
/// match &outcome {
///     Outcome::Certified(model) => {
///         assert!(model.safety.bound <= 0.1); // the (1 − δ) upper bound of the DP gap
///         assert!(!model.is_constant_rule());
///         let decisions = model.decide(&data)?;
///         assert_eq!(decisions.len(), data.nrows());
///     }
///     Outcome::NoSolution(none) => assert!(none.safety.bound > 0.1),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct HighConfidence;

impl HighConfidence {
    /// Parameters asking that the `notion`'s hard-decision gap be within `epsilon` (at most a
    /// difference, at least a ratio) with probability at least `1 − delta`. Defaults: safety
    /// fraction 0.6, Student's t, inflation 2, seed 0, no generator (add one with
    /// [`HighConfidenceParams::candidates`]).
    pub fn params(notion: Notion, epsilon: f64, delta: f64) -> HighConfidenceParams {
        HighConfidenceParams(HighConfidenceValidParams {
            notion,
            epsilon,
            delta,
            safety_fraction: DEFAULT_SAFETY_FRACTION,
            bound: BoundMethod::StudentT,
            inflation: DEFAULT_INFLATION,
            seed: 0,
            generators: Vec::new(),
        })
    }
}

/// Checked parameters of a high-confidence fit (from [`HighConfidenceParams`] through
/// [`linfa::ParamGuard`]).
#[derive(Debug, Clone)]
pub struct HighConfidenceValidParams {
    notion: Notion,
    epsilon: f64,
    delta: f64,
    safety_fraction: f64,
    bound: BoundMethod,
    inflation: f64,
    seed: u64,
    generators: Vec<Arc<dyn CandidateGenerator>>,
}

/// Unchecked parameters of a high-confidence fit (a builder, in linfa's style).
#[derive(Debug, Clone)]
pub struct HighConfidenceParams(HighConfidenceValidParams);

impl HighConfidenceParams {
    /// Adds a candidate generator; candidates of all generators compete in selection.
    pub fn candidates(mut self, generator: impl CandidateGenerator + 'static) -> Self {
        self.0.generators.push(Arc::new(generator));
        self
    }

    /// Adds a shared candidate generator.
    pub fn candidates_shared(mut self, generator: Arc<dyn CandidateGenerator>) -> Self {
        self.0.generators.push(generator);
        self
    }

    /// The share of each group × label stratum held out for the safety test, in (0, 1).
    pub fn safety_fraction(mut self, fraction: f64) -> Self {
        self.0.safety_fraction = fraction;
        self
    }

    /// How group rates are bounded.
    pub fn bound(mut self, method: BoundMethod) -> Self {
        self.0.bound = method;
        self
    }

    /// The factor on the predicted bound's radius in candidate selection (≥ 1; 1 predicts the
    /// safety bound as is, 2 hedges as Thomas et al. do).
    pub fn inflation(mut self, inflation: f64) -> Self {
        self.0.inflation = inflation;
        self
    }

    /// The seed of the candidate / safety split.
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }

    /// Checks the parameters, then fits (see [`HighConfidenceValidParams::fit`]).
    pub fn fit(&self, data: &FairDataset) -> Result<Outcome> {
        linfa::ParamGuard::check_ref(self)?.fit(data)
    }
}

impl linfa::ParamGuard for HighConfidenceParams {
    type Checked = HighConfidenceValidParams;
    type Error = GuaranteeError;

    fn check_ref(&self) -> Result<&HighConfidenceValidParams> {
        let p = &self.0;
        check_notion(&p.notion)?;
        if !(p.delta > 0.0 && p.delta < 1.0) {
            return Err(GuaranteeError::InvalidDelta(p.delta));
        }
        let invalid = |reason| GuaranteeError::InvalidEpsilon {
            value: p.epsilon,
            notion: p.notion.label(),
            reason,
        };
        match p.notion.aggregate() {
            Aggregate::Ratio if !(0.0..=1.0).contains(&p.epsilon) => {
                return Err(invalid("a ratio bound lies in [0, 1]"))
            }
            _ if !(p.epsilon.is_finite() && p.epsilon >= 0.0) => {
                return Err(invalid("a difference bound is finite and ≥ 0"))
            }
            _ => {}
        }
        if !(p.safety_fraction > 0.0 && p.safety_fraction < 1.0) {
            return Err(GuaranteeError::InvalidParameter {
                name: "safety_fraction",
                reason: format!("{} is not in (0, 1)", p.safety_fraction),
            });
        }
        if !(p.inflation.is_finite() && p.inflation >= 1.0) {
            return Err(GuaranteeError::InvalidParameter {
                name: "inflation",
                reason: format!("{} is not a finite number ≥ 1", p.inflation),
            });
        }
        if p.generators.is_empty() {
            return Err(GuaranteeError::NoCandidates(
                "no candidate generator was given".into(),
            ));
        }
        Ok(p)
    }

    fn check(self) -> Result<HighConfidenceValidParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

impl HighConfidenceValidParams {
    /// The notion bounded.
    pub fn notion(&self) -> &Notion {
        &self.notion
    }

    /// ε.
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }

    /// δ.
    pub fn delta(&self) -> f64 {
        self.delta
    }

    /// The safety part's share of the rows.
    pub fn safety_fraction(&self) -> f64 {
        self.safety_fraction
    }

    /// How group rates are bounded.
    pub fn bound_method(&self) -> BoundMethod {
        self.bound
    }

    /// The predicted bound's radius factor.
    pub fn inflation(&self) -> f64 {
        self.inflation
    }

    /// The split's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The candidate generators.
    pub fn generators(&self) -> &[Arc<dyn CandidateGenerator>] {
        &self.generators
    }

    /// Splits `data` into candidate and safety parts, selects a candidate on the first and
    /// tests it on the second.
    ///
    /// Errors: weighted data, labels that are not 0/1, fewer than two groups, a part that
    /// leaves a group too few rows in a cell the notion needs, no candidate that could be
    /// fitted. A failed safety test is [`Outcome::NoSolution`], not an error.
    pub fn fit(&self, data: &FairDataset) -> Result<Outcome> {
        let split = SafetySplit::new(data, self.safety_fraction, self.seed)?;
        // Both parts must hold every cell the bounds read, before anything is fitted.
        for part in [&split.candidate, &split.safety] {
            let none = vec![false; part.nrows()];
            NotionBound::safety(&self.notion, part, &none, self.bound, self.delta)?;
        }
        let selection = select(self, &split.candidate, &split.safety)?;
        let decisions = selection.rule.decide(&split.safety)?;
        let safety = NotionBound::safety(
            &self.notion,
            &split.safety,
            &decisions,
            self.bound,
            self.delta,
        )?;
        if !safety.within(self.epsilon) {
            return Ok(Outcome::NoSolution(NoSolution {
                chosen: selection.chosen,
                tried: selection.tried,
                predicted: selection.predicted,
                safety,
                epsilon: self.epsilon,
            }));
        }
        let labels = split.safety.labels()?;
        let correct = decisions
            .iter()
            .zip(&labels)
            .filter(|(d, y)| d == y)
            .count();
        let positives = labels.iter().filter(|&&y| y).count();
        let n = labels.len() as f64;
        let all = selection.rule.decide(data)?;
        Ok(Outcome::Certified(Certified {
            rule: selection.rule,
            chosen: selection.chosen,
            tried: selection.tried,
            predicted: selection.predicted,
            safety,
            safety_accuracy: correct as f64 / n,
            majority_accuracy: positives.max(labels.len() - positives) as f64 / n,
            decisions: DecisionProfile::of(data, &all)?,
            epsilon: self.epsilon,
        }))
    }
}

/// linfa's `Fit`, on a data set whose records are (or borrow) a [`FairDataset`], exactly as
/// [`HighConfidenceValidParams::fit`].
impl<R> Fit<R, (), GuaranteeError> for HighConfidenceValidParams
where
    R: Records + Borrow<FairDataset>,
{
    type Object = Outcome;

    fn fit(&self, dataset: &DatasetBase<R, ()>) -> Result<Outcome> {
        HighConfidenceValidParams::fit(self, dataset.records.borrow())
    }
}
