//! [`ThresholdOptimizer`]: the parameters of group-specific thresholds, checked, and the fit.

use fairfit_data::fairness::{Condition, Statistic};
use fairfit_data::{FairDataset, Groups, Scorer};
use ndarray::ArrayView1;
use serde::{Deserialize, Serialize};

use super::constraint::Constraint;
use super::error::{PostprocessError, Result};
use super::fitted::FittedThresholds;
use super::objective::LinearUtility;
use super::objective::Objective;
use super::roc::GroupRoc;
use super::rule::ThresholdRule;
use super::{odds, rate};

/// Whether the fitted rules may randomise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Randomization {
    /// Rules may mix two or more thresholds (Hardt et al.'s derived predictor): the constraint
    /// then holds exactly in expectation, and the optimum is over the groups' ROC hulls. A group
    /// whose optimal point is one of its threshold points still gets a single threshold.
    Allowed,
    /// One threshold per group: the best such rule whose rates lie within the tolerance. With a
    /// tolerance below the groups' rate granularity this may be a trivial rule (select all or
    /// none); equalized odds in particular needs a tolerance, since single thresholds of
    /// different groups rarely reach exactly equal (FPR, TPR) points.
    Forbidden,
}

/// Post-processing by group-specific thresholds (Hardt, Price & Srebro 2016) for any scorer: the
/// entry point to its parameters.
///
/// ```
/// use fairfit::data::Groups;
/// use fairfit::train::postprocess::{Constraint, ThresholdOptimizer};
/// use ndarray::array;
///
/// let scores = array![0.9, 0.8, 0.3, 0.2, 0.7, 0.6, 0.5, 0.1];
/// let labels = [true, true, false, false, true, true, false, true];
/// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 0, 1, 1, 1, 1])?;
/// let fitted = ThresholdOptimizer::params()
///     .constraint(Constraint::DemographicParity)
///     .fit(scores.view(), &labels, &groups, None)?;
/// // Both groups select half of their rows, and every row is classified correctly but one.
/// let p = fitted.decision_probability(scores.view(), &groups)?;
/// assert_eq!(p.slice(ndarray::s![..4]).sum(), 2.0);
/// assert_eq!(p.slice(ndarray::s![4..]).sum(), 2.0);
/// assert_eq!(fitted.training_objective(), 7.0 / 8.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ThresholdOptimizer;

impl ThresholdOptimizer {
    /// The default parameters: demographic parity, maximal accuracy, exact (tolerance 0),
    /// randomisation allowed.
    pub fn params() -> ThresholdOptimizerParams {
        ThresholdOptimizerParams(ThresholdOptimizerValidParams {
            constraint: Constraint::DemographicParity,
            objective: Objective::Accuracy,
            tolerance: 0.0,
            randomization: Randomization::Allowed,
        })
    }
}

/// Checked parameters of the threshold optimiser; obtained from [`ThresholdOptimizerParams`]
/// through [`linfa::ParamGuard`], which also checks them when they are loaded from JSON.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ParamsFile")]
pub struct ThresholdOptimizerValidParams {
    constraint: Constraint,
    objective: Objective,
    tolerance: f64,
    randomization: Randomization,
}

/// [`ThresholdOptimizerValidParams`] as saved, checked into them on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamsFile {
    constraint: Constraint,
    objective: Objective,
    tolerance: f64,
    randomization: Randomization,
}

impl TryFrom<ParamsFile> for ThresholdOptimizerValidParams {
    type Error = PostprocessError;

    fn try_from(file: ParamsFile) -> Result<Self> {
        linfa::ParamGuard::check(ThresholdOptimizerParams(ThresholdOptimizerValidParams {
            constraint: file.constraint,
            objective: file.objective,
            tolerance: file.tolerance,
            randomization: file.randomization,
        }))
    }
}

/// Unchecked parameters of the threshold optimiser (a builder), in linfa's style.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdOptimizerParams(ThresholdOptimizerValidParams);

impl ThresholdOptimizerParams {
    /// The fairness notion to enforce.
    pub fn constraint(mut self, constraint: Constraint) -> Self {
        self.0.constraint = constraint;
        self
    }

    /// What to optimise subject to the constraint.
    pub fn objective(mut self, objective: Objective) -> Self {
        self.0.objective = objective;
        self
    }

    /// The largest allowed difference between the groups' constrained rates (max − min), in
    /// [0, ∞); 0 asks for equality. For equalized odds it bounds both the true- and the
    /// false-positive-rate gap.
    pub fn tolerance(mut self, tolerance: f64) -> Self {
        self.0.tolerance = tolerance;
        self
    }

    /// Whether rules may randomise between thresholds.
    pub fn randomization(mut self, randomization: Randomization) -> Self {
        self.0.randomization = randomization;
        self
    }

    /// Checks the parameters, then fits (see [`ThresholdOptimizerValidParams::fit`]).
    pub fn fit(
        &self,
        scores: ArrayView1<'_, f64>,
        labels: &[bool],
        groups: &Groups,
        weights: Option<ArrayView1<'_, f64>>,
    ) -> Result<FittedThresholds> {
        linfa::ParamGuard::check_ref(self)?.fit(scores, labels, groups, weights)
    }

    /// Checks the parameters, then fits on a scorer's scores of a data set (see
    /// [`ThresholdOptimizerValidParams::fit_dataset`]).
    pub fn fit_dataset<S: Scorer + ?Sized>(
        &self,
        scorer: &S,
        data: &FairDataset,
    ) -> Result<FittedThresholds> {
        linfa::ParamGuard::check_ref(self)?.fit_dataset(scorer, data)
    }
}

impl linfa::ParamGuard for ThresholdOptimizerParams {
    type Checked = ThresholdOptimizerValidParams;
    type Error = PostprocessError;

    fn check_ref(&self) -> Result<&Self::Checked> {
        let p = &self.0;
        if !p.tolerance.is_finite() || p.tolerance < 0.0 {
            return Err(PostprocessError::InvalidParameter {
                name: "tolerance",
                reason: format!("must be finite and >= 0, got {}", p.tolerance),
            });
        }
        p.objective.check()?;
        Ok(p)
    }

    fn check(self) -> Result<Self::Checked> {
        self.check_ref()?;
        Ok(self.0)
    }
}

impl ThresholdOptimizerValidParams {
    /// The fairness notion enforced.
    pub fn constraint(&self) -> Constraint {
        self.constraint
    }

    /// What is optimised.
    pub fn objective(&self) -> Objective {
        self.objective
    }

    /// The allowed gap between the groups' rates.
    pub fn tolerance(&self) -> f64 {
        self.tolerance
    }

    /// Whether rules may randomise.
    pub fn randomization(&self) -> Randomization {
        self.randomization
    }

    /// Fits one rule per group on scores, 0/1 labels, groups and optional sample weights.
    ///
    /// The constraint holds on these rows (exactly in expectation when randomisation is allowed,
    /// within the tolerance otherwise; rates are compared with a slack of 1e-12 for rounding),
    /// and no other rule of the allowed kind does better on the objective. Fails on mismatched
    /// lengths, non-finite scores or weights, negative weights, a group without members of
    /// positive weight, or without the positives (equal opportunity, equalized odds) or negatives
    /// (equalized odds) its rates need.
    pub fn fit(
        &self,
        scores: ArrayView1<'_, f64>,
        labels: &[bool],
        groups: &Groups,
        weights: Option<ArrayView1<'_, f64>>,
    ) -> Result<FittedThresholds> {
        let n = scores.len();
        if n == 0 {
            return Err(PostprocessError::Empty);
        }
        check_len("labels", n, labels.len())?;
        check_len("groups", n, groups.len())?;
        if let Some(w) = &weights {
            check_len("weights", n, w.len())?;
        }
        check_finite("scores", scores)?;
        if let Some(w) = &weights {
            check_finite("weights", *w)?;
            if let Some((row, &value)) = w.iter().enumerate().find(|(_, &v)| v < 0.0) {
                return Err(PostprocessError::NegativeWeight { row, value });
            }
        }

        if let [only] = groups.names() {
            return Err(PostprocessError::SingleGroup {
                group: only.clone(),
                notion: self.constraint.notion().label(),
            });
        }
        let mut rows: Vec<Vec<(f64, bool, f64)>> = vec![Vec::new(); groups.n_groups()];
        for (i, &g) in groups.of_row().iter().enumerate() {
            let w = weights.as_ref().map_or(1.0, |w| w[i]);
            rows[g].push((scores[i], labels[i], w));
        }
        let rocs: Vec<GroupRoc> = rows.into_iter().map(GroupRoc::new).collect();
        let mut rules = Vec::new();
        let utility = self.solve(
            &rocs,
            groups.names(),
            &mut rate::Scratch::default(),
            &mut rules,
        )?;
        FittedThresholds::new(
            *self,
            groups.names().to_vec(),
            rules,
            scores,
            labels,
            groups,
            weights,
            utility,
        )
    }

    /// The optimal rule of every group given its operating points, written into `rules`, and
    /// the linear utility they maximise. Fails on a group without members of positive weight,
    /// or without the positives or negatives its constrained rates need.
    pub(crate) fn solve(
        &self,
        rocs: &[GroupRoc],
        names: &[String],
        scratch: &mut rate::Scratch,
        rules: &mut Vec<ThresholdRule>,
    ) -> Result<LinearUtility> {
        // Every group needs members, and the rows its constrained rates are taken over; their
        // weight is the same at every threshold, so a rate defined at the first point is defined
        // at all ([`GroupRoc::checked_rate`]).
        let notion = self.constraint.notion();
        let members = Statistic::positive_rate();
        let needed = std::iter::once(&members).chain(notion.statistics());
        for (roc, name) in rocs.iter().zip(names) {
            if let Some(lacking) = needed.clone().find(|s| roc.rate(**s, 0).is_err()) {
                return Err(PostprocessError::EmptyGroup {
                    group: name.clone(),
                    what: match lacking.condition {
                        Condition::Positives => "positive labels",
                        Condition::Negatives => "negative labels",
                        _ => "members with positive weight",
                    },
                });
            }
        }
        let positives: f64 = rocs.iter().map(GroupRoc::positives).sum();
        let negatives: f64 = rocs.iter().map(GroupRoc::negatives).sum();
        let utility = self.objective.utility(positives, negatives)?;
        let point_utility = |roc: &GroupRoc, k: usize| {
            utility.tp_weight * roc.tp[k] + utility.tn_weight * (roc.negatives() - roc.fp[k])
        };

        *rules = match (self.constraint, self.randomization) {
            (Constraint::EqualizedOdds, Randomization::Forbidden) => {
                odds::deterministic_within(rocs, &point_utility, self.tolerance)
            }
            (Constraint::EqualizedOdds, _) if self.tolerance == 0.0 => {
                odds::randomized(rocs, utility.tp_weight, utility.tn_weight)
            }
            (Constraint::EqualizedOdds, _) => {
                odds::randomized_within(rocs, utility.tp_weight, utility.tn_weight, self.tolerance)?
            }
            (_, r) => {
                // Demographic parity and equal opportunity equalise one statistic of decisions.
                let statistic = notion.statistics()[0];
                let rate_of = &statistic.label_cell_kernel().ok_or_else(|| {
                    PostprocessError::InvalidParameter {
                        name: "constraint",
                        reason: format!("the {} is not a rate of decisions", statistic.name()),
                    }
                })?;
                if r == Randomization::Allowed {
                    rate::randomized_into(
                        scratch,
                        rocs,
                        rate_of,
                        &point_utility,
                        self.tolerance,
                        rules,
                    );
                    return Ok(utility);
                }
                rate::deterministic(rocs, rate_of, &point_utility, self.tolerance)
            }
        };
        Ok(utility)
    }

    /// Fits on `scorer`'s scores of `data`'s records, with its labels, active groups and weights.
    ///
    /// Fails as [`ThresholdOptimizerValidParams::fit`] does, or when the targets are not 0/1.
    pub fn fit_dataset<S: Scorer + ?Sized>(
        &self,
        scorer: &S,
        data: &FairDataset,
    ) -> Result<FittedThresholds> {
        let scores = scorer.score(data.records());
        let labels = data.labels()?;
        self.fit(scores.view(), &labels, data.groups(), data.weights())
    }
}

pub(crate) fn check_len(what: &'static str, expected: usize, found: usize) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(PostprocessError::LengthMismatch {
            what,
            expected,
            found,
        })
    }
}

pub(crate) fn check_finite(what: &'static str, values: ArrayView1<'_, f64>) -> Result<()> {
    match values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        Some((row, &value)) => Err(PostprocessError::NonFinite { what, row, value }),
        None => Ok(()),
    }
}
