//! Fairness targets instead of weights: the user states `gap ≤ ε` (or `value ≤ bound` per
//! group) for one or more statistics, and an augmented-Lagrangian outer loop around
//! warm-started solves meets it on the training data, or says it cannot.
//!
//! A gap target is the set of smooth constraints `v_g − v_h ≤ ε` for every ordered pair of
//! groups (exactly `max − min ≤ ε`); a bound target is `v_g ≤ bound` for every group (bounded
//! group loss). Each round minimises `J(θ) + Σ_k (max(0, μ_k + ρ c_k)² − μ_k²) / (2ρ)`, then
//! updates `μ_k ← max(0, μ_k + ρ c_k)` and raises ρ tenfold when the violation did not shrink
//! fourfold. It stops when `max_k |min(−c_k, μ_k/ρ)|` (violation and complementary slackness)
//! is within the tolerance.

use std::time::{Duration, Instant};

use fairfit_data::FairDataset;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};
use crate::lagrangian::{LagrangianTerm, TargetBound};
use crate::loss::ModelKind;
use crate::model::FittedModel;
use crate::objective::{penalty_terms, GroupFn, Objective, Term};
use crate::params::{non_negative, solve, ValidFairParams};
use crate::statistic::{check_statistic, name_for, range, training_gaps, GroupValues};
use fairfit_data::fairness::{Aggregate, Notion, Statistic};

/// The largest penalty parameter ρ; a target still violated there is declared infeasible.
const MAX_RHO: f64 = 1e6;

/// A fairness target on one statistic, on the training data's soft values.
///
/// ```
/// use fairfit::train::{Statistic, Target, TargetBound};
/// let t = Target::gap(Statistic::positive_rate(), 0.02);
/// assert_eq!(t.bound, TargetBound::Gap(0.02));
/// assert_eq!(Target::equalized_odds(0.05).len(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The statistic constrained.
    pub statistic: Statistic,
    /// The bound.
    pub bound: TargetBound,
}

impl Target {
    /// `max − min` of the statistic over groups at most `epsilon`.
    pub fn gap(statistic: Statistic, epsilon: f64) -> Self {
        Self {
            statistic,
            bound: TargetBound::Gap(epsilon),
        }
    }

    /// The statistic at most `bound` in every group (e.g. bounded group loss).
    pub fn max(statistic: Statistic, bound: f64) -> Self {
        Self {
            statistic,
            bound: TargetBound::Max(bound),
        }
    }

    /// The targets of a notion at `bound`: a gap `≤ bound` on each statistic of a difference
    /// (equalized odds: on the TPR and the FPR), every group's value `≤ bound` for a group
    /// maximum (bounded group loss).
    ///
    /// Errors: [`TrainError::Unsupported`] for a notion whose statistics are not smooth in the
    /// scores or whose aggregate has no target form here (ratios, minima, comparisons to the
    /// overall value).
    ///
    /// ```
    /// use fairfit::train::{Notion, Target};
    /// assert_eq!(Target::for_notion(&Notion::equalized_odds(), 0.05)?, Target::equalized_odds(0.05));
    /// assert!(Target::for_notion(&Notion::demographic_parity().ratio(), 0.8).is_err());
    /// # Ok::<(), fairfit::train::TrainError>(())
    /// ```
    pub fn for_notion(notion: &Notion, bound: f64) -> Result<Vec<Self>> {
        let unsupported = |reason| TrainError::Unsupported {
            statistic: notion.label(),
            model: "a fairness target",
            reason,
        };
        if !notion.is_smooth() {
            return Err(unsupported(
                "its statistics are not smooth in the model's scores",
            ));
        }
        let target = match notion.aggregate() {
            Aggregate::Difference => Self::gap,
            Aggregate::Max => Self::max,
            _ => {
                return Err(unsupported(
                    "only differences and group maxima can be targets",
                ))
            }
        };
        Ok(notion
            .statistics()
            .iter()
            .map(|s| target(*s, bound))
            .collect())
    }

    /// The one target of a named single-statistic notion.
    fn single(notion: Notion, epsilon: f64) -> Self {
        Self::for_notion(&notion, epsilon)
            .ok()
            .and_then(|t| t.into_iter().next())
            .expect("the vocabulary's named notions have one smooth statistic")
    }

    /// Demographic parity: positive-rate gap ≤ ε.
    pub fn demographic_parity(epsilon: f64) -> Self {
        Self::single(Notion::demographic_parity(), epsilon)
    }

    /// Equal opportunity: true-positive-rate gap ≤ ε.
    pub fn equal_opportunity(epsilon: f64) -> Self {
        Self::single(Notion::equal_opportunity(), epsilon)
    }

    /// Equalized odds: true- and false-positive-rate gaps ≤ ε.
    pub fn equalized_odds(epsilon: f64) -> Vec<Self> {
        Self::for_notion(&Notion::equalized_odds(), epsilon)
            .expect("equalized odds is a smooth difference")
    }

    fn validate(&self) -> Result<()> {
        match self.bound {
            TargetBound::Gap(eps) => non_negative("epsilon", eps),
            TargetBound::Max(bound) if !bound.is_finite() => Err(TrainError::InvalidParameter {
                name: "bound",
                reason: format!("must be finite, got {bound}"),
            }),
            TargetBound::Max(_) => Ok(()),
        }
    }

    /// The achieved value the target compares: the gap, or the largest group value.
    fn achieved(&self, values: &[f64]) -> f64 {
        match self.bound {
            TargetBound::Gap(_) => range(values),
            TargetBound::Max(_) => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }

    fn limit(&self) -> f64 {
        match self.bound {
            TargetBound::Gap(v) | TargetBound::Max(v) => v,
        }
    }
}

/// How one target ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetOutcome {
    /// The target.
    pub target: Target,
    /// The Lagrange multipliers of its constraints (ordered pairs `(g, h)`, `g ≠ h`, row-major,
    /// for a gap; one per group for a bound): the marginal objective cost of tightening each.
    pub multipliers: Vec<f64>,
    /// The statistic per group on the training data, soft and on hard decisions.
    pub values: GroupValues,
    /// The achieved soft value (gap or maximum) the target compares with its limit.
    pub achieved: f64,
    /// The same on hard decisions (what the corresponding metric reports).
    pub achieved_hard: f64,
}

/// A model that meets its targets on the training data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct TargetedModel<K: ModelKind> {
    /// The fitted model (its report is the last inner solve's).
    pub model: FittedModel<K>,
    /// One outcome per target.
    pub outcomes: Vec<TargetOutcome>,
    /// Augmented-Lagrangian rounds.
    pub outer_iterations: usize,
    /// Solver iterations over all rounds.
    pub inner_iterations: u64,
    /// Wall-clock time of all rounds.
    pub elapsed: Duration,
}

/// Fits a model subject to fairness targets (see the module documentation for the method).
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use fairfit::train::{FairLogisticRegression, ParamGuard, Target, TargetedFit};
/// use ndarray::array;
/// let g = SensitiveAttribute::from_values("g", &["a", "a", "a", "b", "b", "b"], None)?;
/// let data = FairDataset::new(
///     array![[2.0], [1.0], [-1.0], [0.5], [-1.5], [-2.0]],
///     array![1.0, 1.0, 0.0, 1.0, 0.0, 0.0],
///     vec![g],
/// )?;
/// let params = FairLogisticRegression::params().l2(1e-2).check()?;
/// let fit = TargetedFit::new(params, vec![Target::demographic_parity(0.05)])?.fit(&data)?;
/// assert!(fit.outcomes[0].achieved <= 0.05 + 1e-4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TargetedFit<K: ModelKind> {
    params: ValidFairParams<K>,
    targets: Vec<Target>,
    tolerance: f64,
    max_outer_iterations: usize,
    initial_rho: f64,
}

impl<K: ModelKind> TargetedFit<K> {
    /// Targets on top of the base parameters (their penalties stay in the objective).
    /// Defaults: tolerance `1e-4`, 30 rounds, initial ρ = 10.
    pub fn new(params: ValidFairParams<K>, targets: Vec<Target>) -> Result<Self> {
        for t in &targets {
            t.validate()?;
            check_statistic(&t.statistic, K::LOSS, K::NAME)?;
        }
        Ok(Self {
            params,
            targets,
            tolerance: 1e-4,
            max_outer_iterations: 30,
            initial_rho: 10.0,
        })
    }

    /// The slack allowed on each constraint (in the statistic's units).
    pub fn tolerance(mut self, tolerance: f64) -> Result<Self> {
        if !(tolerance.is_finite() && tolerance > 0.0) {
            return Err(TrainError::InvalidParameter {
                name: "tolerance",
                reason: format!("must be finite and positive, got {tolerance}"),
            });
        }
        self.tolerance = tolerance;
        Ok(self)
    }

    /// The cap on augmented-Lagrangian rounds.
    pub fn max_outer_iterations(mut self, rounds: usize) -> Self {
        self.max_outer_iterations = rounds.max(1);
        self
    }

    /// Fits from zero.
    ///
    /// Errors: [`TrainError::Infeasible`] when the targets are not met within the rounds (ρ
    /// grows tenfold whenever progress stalls, so an unreachable target ends here), plus the
    /// errors of [`ValidFairParams::fit`].
    pub fn fit(&self, data: &FairDataset) -> Result<TargetedModel<K>> {
        let mut objective = Objective::new(data, &self.params)?;
        let theta = Array1::zeros(objective.dim());
        self.fit_prepared(&mut objective, data, theta, None)
    }

    /// Fits starting from a previous targeted model (parameters and multipliers): the step of
    /// an ε path.
    pub fn fit_warm(
        &self,
        data: &FairDataset,
        previous: &TargetedModel<K>,
    ) -> Result<TargetedModel<K>> {
        let mut objective = Objective::new(data, &self.params)?;
        let theta = previous.model.parameters_for(objective.dim())?;
        self.fit_prepared(&mut objective, data, theta, Some(previous))
    }

    pub(crate) fn fit_prepared(
        &self,
        objective: &mut Objective<'_>,
        data: &FairDataset,
        mut theta: Array1<f64>,
        previous: Option<&TargetedModel<K>>,
    ) -> Result<TargetedModel<K>> {
        let start = Instant::now();
        let n_groups = data.groups().n_groups();
        let mut multipliers: Vec<Vec<f64>> = self
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let n = LagrangianTerm::pairs(t.bound, n_groups).len();
                previous
                    .and_then(|p| p.outcomes.get(i))
                    .filter(|o| o.multipliers.len() == n)
                    .map_or_else(|| vec![0.0; n], |o| o.multipliers.clone())
            })
            .collect();
        let mut rho = self.initial_rho;
        let mut last_violation = f64::INFINITY;
        let mut inner_iterations = 0;
        let statistics: Vec<Statistic> = self.targets.iter().map(|t| t.statistic).collect();
        for round in 1..=self.max_outer_iterations {
            let mut terms = penalty_terms(self.params.penalties());
            terms.extend(self.targets.iter().zip(&multipliers).map(|(t, mu)| Term {
                weight: 1.0,
                statistic: t.statistic,
                function: GroupFn::Lagrangian(LagrangianTerm {
                    bound: t.bound,
                    multipliers: mu.clone(),
                    rho,
                }),
            }));
            objective.set_terms(terms)?;
            let (model, converged) = match solve(objective, &self.params, theta.clone()) {
                Ok(model) => (model, true),
                Err(TrainError::NotConverged {
                    report,
                    coefficients,
                    intercept,
                }) => {
                    inner_iterations += report.iterations;
                    (
                        FittedModel::from_parts(coefficients, intercept, None),
                        false,
                    )
                }
                Err(other) => return Err(other),
            };
            inner_iterations += model.report().map_or(0, |r| r.iterations);
            theta = model.parameters_for(objective.dim())?;
            let values = training_gaps::<K>(objective.scores(&theta), data, &statistics)?;
            // Multiplier update and the stopping measure.
            let mut measure: f64 = 0.0;
            let mut violation: f64 = 0.0;
            for ((t, v), mu) in self.targets.iter().zip(&values).zip(multipliers.iter_mut()) {
                let c = LagrangianTerm::values(t.bound, &v.soft);
                for (m, &ck) in mu.iter_mut().zip(&c) {
                    *m = (*m + rho * ck).max(0.0);
                    measure = measure.max((-ck).min(*m / rho).abs());
                    violation = violation.max(ck);
                }
            }
            if converged && measure <= self.tolerance {
                let outcomes = self
                    .targets
                    .iter()
                    .zip(values)
                    .zip(&multipliers)
                    .map(|((t, v), mu)| TargetOutcome {
                        target: *t,
                        multipliers: mu.clone(),
                        achieved: t.achieved(&v.soft),
                        achieved_hard: t.achieved(&v.hard),
                        values: v,
                    })
                    .collect();
                return Ok(TargetedModel {
                    model,
                    outcomes,
                    outer_iterations: round,
                    inner_iterations,
                    elapsed: start.elapsed(),
                });
            }
            let stalled = violation > 0.25 * last_violation;
            if stalled && rho < MAX_RHO {
                rho *= 10.0;
            }
            last_violation = violation;
            // Infeasible: the penalty weight is at its cap and the violation no longer shrinks.
            if round == self.max_outer_iterations
                || (stalled && rho >= MAX_RHO && violation > self.tolerance)
            {
                // Report the most violated target.
                let mut worst: Option<(Target, f64)> = None;
                for (t, v) in self.targets.iter().zip(&values) {
                    let achieved = t.achieved(&v.soft);
                    if worst.map_or(true, |(w, a)| achieved - t.limit() > a - w.limit()) {
                        worst = Some((*t, achieved));
                    }
                }
                if let Some((t, achieved)) = worst {
                    return Err(TrainError::Infeasible {
                        statistic: name_for(&t.statistic, K::LOSS),
                        target: t.limit(),
                        achieved,
                        outer_iterations: round,
                    });
                }
            }
        }
        Err(TrainError::InvalidParameter {
            name: "targets",
            reason: "at least one target and one round are needed".into(),
        })
    }
}

/// Targets traced over a sequence of ε (one gap target per value), warm-started in parameters
/// and multipliers; the base parameters' penalties stay in every fit.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetPath<K: ModelKind> {
    params: ValidFairParams<K>,
    statistic: Statistic,
    epsilons: Vec<f64>,
}

impl<K: ModelKind> TargetPath<K> {
    /// A path of `gap(statistic) ≤ ε` over `epsilons` (each finite and non-negative; a
    /// decreasing order makes each warm start closest).
    pub fn new(
        params: ValidFairParams<K>,
        statistic: Statistic,
        epsilons: Vec<f64>,
    ) -> Result<Self> {
        for &e in &epsilons {
            non_negative("epsilon", e)?;
        }
        check_statistic(&statistic, K::LOSS, K::NAME)?;
        Ok(Self {
            params,
            statistic,
            epsilons,
        })
    }

    /// Fits every ε on one prepared objective; an infeasible ε stops the path with
    /// [`TrainError::Infeasible`].
    pub fn fit(&self, data: &FairDataset) -> Result<Vec<TargetedModel<K>>> {
        let mut objective = Objective::new(data, &self.params)?;
        let mut theta = Array1::zeros(objective.dim());
        let mut out: Vec<TargetedModel<K>> = Vec::with_capacity(self.epsilons.len());
        for &eps in &self.epsilons {
            let fit =
                TargetedFit::new(self.params.clone(), vec![Target::gap(self.statistic, eps)])?;
            let model = fit.fit_prepared(&mut objective, data, theta.clone(), out.last())?;
            theta = model.model.parameters_for(objective.dim())?;
            out.push(model);
        }
        Ok(out)
    }
}
