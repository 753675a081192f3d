//! [`TargetedFit`]: meets fairness targets on the training data.
//!
//! **Inner solve** (augmented Lagrangian on the smooth statistic). A gap target is the set of
//! smooth constraints `v_g − v_h − ε' ≤ 0` for every ordered pair of groups (exactly
//! `max − min ≤ ε'`), a ratio target `r'·v_h − v_g ≤ 0`, a bound target `v_g − bound' ≤ 0`. Each
//! round minimises `J(θ) + Σ_k (max(0, μ_k + ρ c_k)² − μ_k²) / (2ρ)`, then updates
//! `μ_k ← max(0, μ_k + ρ c_k)` and raises ρ tenfold when the violation did not shrink fourfold.
//! It stops when `max_k |min(−c_k, μ_k/ρ)|` (violation and complementary slackness) is within
//! the tolerance, which follows ε (`min(tolerance, max(ε/100, 1e-7))`) so a small ε is not lost
//! in the solver's slack.
//!
//! **Outer loop** ([`Binding::Decisions`], the default). The smooth rate `mean σ(s)` is not the
//! rate of the decisions `s ≥ 0`: a model can meet `ε` on the one and miss it on the other. So
//! after each inner solve the hard-decision value is checked against the user's limit; where
//! it is missed by `e`, the smooth limit is tightened by `e` (for a ratio, raised) and the
//! problem re-solved from the last point; once one smooth limit has missed and a tighter one
//! has met, up to three bisections between them keep the loosest that meets (an overshooting
//! tightening would cost accuracy). When the smooth limit can go no further (a gap of 0,
//! a ratio of 1), the surrogate is sharpened (rates taken on `σ(c·s)`, `c = 4, 16`), which
//! brings the smooth rate towards the hard one. A model whose decisions are constant for
//! everyone is never returned as a success. Statistics that are not rates of decisions (mean
//! score, margin, loss, a regression's mean prediction) have no separate hard value: the inner
//! solve's slack is the only difference, and one tightening removes it.

use std::time::Instant;

use fairfit_data::fairness::{decide, DecisionProfile, GroupCells};
use fairfit_data::FairDataset;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use super::outcome::{TargetOutcome, TargetedModel};
use super::{Target, RATE_SLACK};
use crate::error::{Result, TrainError};
use crate::lagrangian::{LagrangianTerm, TargetBound};
use crate::loss::ModelKind;
use crate::model::FittedModel;
use crate::objective::{penalty_terms, GroupFn, Objective, Term};
use crate::params::{solve, ValidFairParams};
use crate::statistic::{check_statistic, name_for, training_gaps, GroupValues};
use fairfit_data::fairness::Statistic;

/// The largest penalty parameter ρ; a constraint still violated there is not met by the inner
/// solve.
const MAX_RHO: f64 = 1e6;
/// The sharpness ladder of the surrogate `σ(c·s)`, tried in turn.
const SHARPNESS: [f64; 3] = [1.0, 4.0, 16.0];
/// Smooth-limit tightenings tried at one sharpness.
const MAX_TIGHTENINGS: usize = 8;
/// Bisections of the smooth limit between one that missed and one that met.
const MAX_BISECTIONS: usize = 3;
/// The floor of the tolerance that follows ε.
const MIN_TOLERANCE: f64 = 1e-7;

/// What a target's limit binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Binding {
    /// The decisions the fitted model makes on its training data (at its threshold `s ≥ 0`):
    /// what the metric of the same name reports, and what a user means by `gap ≤ ε`.
    #[default]
    Decisions,
    /// The smooth statistic the optimiser sees (mean probabilities): the classic soft
    /// constraint, whose decisions may miss the limit.
    Scores,
}

/// Fits a model subject to fairness targets (see the module documentation for the method).
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use fairfit::train::{FairLogisticRegression, ParamGuard, Target, TargetedFit};
/// use ndarray::array;
/// let g = SensitiveAttribute::from_values("g", &["a", "a", "a", "a", "b", "b", "b", "b"], None)?;
/// let data = FairDataset::new(
///     array![[2.0], [1.0], [-1.0], [0.3], [0.5], [-1.5], [-2.0], [1.2]],
///     array![1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0],
///     vec![g],
/// )?;
/// let params = FairLogisticRegression::params().l2(1e-2).check()?;
/// let fit = TargetedFit::new(params, vec![Target::demographic_parity(0.3)])?.fit(&data)?;
/// // The promise is about decisions: the positive-decision rates differ by at most 0.3.
/// assert!(fit.outcomes[0].achieved_hard <= 0.3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TargetedFit<K: ModelKind> {
    params: ValidFairParams<K>,
    targets: Vec<Target>,
    tolerance: f64,
    max_outer_iterations: usize,
    initial_rho: f64,
    binding: Binding,
}

/// The state carried from one inner solve to the next.
struct Rounds {
    theta: Array1<f64>,
    multipliers: Vec<Vec<f64>>,
    outer: usize,
    inner: u64,
}

/// One inner solve's result.
struct SoftSolve<K: ModelKind> {
    model: FittedModel<K>,
    values: Vec<GroupValues>,
    /// Whether the smooth constraints were met within the tolerance.
    met: bool,
}

/// A solve whose decisions meet the targets, with the state to report it.
struct Accepted<K: ModelKind> {
    solve: SoftSolve<K>,
    multipliers: Vec<Vec<f64>>,
    smooth: Vec<f64>,
    profile: Option<DecisionProfile>,
}

/// The closest miss so far: the worst target's excess over its limit and its achieved value.
#[derive(Clone, Copy)]
struct Miss {
    excess: f64,
    target: usize,
    achieved: f64,
}

impl<K: ModelKind> TargetedFit<K> {
    /// Targets on top of the base parameters (their penalties stay in the objective).
    /// Defaults: the limits bind hard decisions, tolerance `1e-4` (tighter for a small ε), 30
    /// rounds per inner solve, initial ρ = 10.
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
            binding: Binding::Decisions,
        })
    }

    /// The slack allowed on each smooth constraint (in the statistic's units); a gap target's
    /// own tolerance is never above `max(ε/100, 1e-7)`.
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

    /// The cap on augmented-Lagrangian rounds of one inner solve.
    pub fn max_outer_iterations(mut self, rounds: usize) -> Self {
        self.max_outer_iterations = rounds.max(1);
        self
    }

    /// What the limits bind (default [`Binding::Decisions`]).
    pub fn binding(mut self, binding: Binding) -> Self {
        self.binding = binding;
        self
    }

    /// Fits from zero.
    ///
    /// Errors: [`TrainError::Infeasible`] when the targets are not met (with the closest value
    /// reached on hard decisions, or on the smooth statistic under [`Binding::Scores`]),
    /// [`TrainError::ConstantRule`] when only a model deciding everyone alike meets them, plus
    /// the errors of [`ValidFairParams::fit`].
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

    /// The tolerance of the inner solves: the user's, tightened for a small ε.
    fn inner_tolerance(&self) -> f64 {
        self.targets
            .iter()
            .filter_map(|t| match t.bound {
                TargetBound::Gap(eps) => Some((eps / 100.0).max(MIN_TOLERANCE)),
                _ => None,
            })
            .fold(self.tolerance, f64::min)
    }

    /// The slack a target's achieved value may have over its limit: rounding for a rate of
    /// decisions, the inner tolerance for a statistic the solver meets directly.
    fn slack(&self, target: &Target) -> f64 {
        if self.binding == Binding::Decisions && on_decisions::<K>(&target.statistic) {
            RATE_SLACK
        } else {
            self.inner_tolerance()
        }
    }

    pub(crate) fn fit_prepared(
        &self,
        objective: &mut Objective<'_>,
        data: &FairDataset,
        theta: Array1<f64>,
        previous: Option<&TargetedModel<K>>,
    ) -> Result<TargetedModel<K>> {
        let start = Instant::now();
        let n_groups = data.groups().n_groups();
        let multipliers = self
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
        let mut rounds = Rounds {
            theta,
            multipliers,
            outer: 0,
            inner: 0,
        };
        let limits: Vec<f64> = self.targets.iter().map(Target::limit).collect();
        let (ladder, budget): (&[f64], usize) = match self.binding {
            Binding::Decisions => (&SHARPNESS, MAX_TIGHTENINGS + MAX_BISECTIONS),
            Binding::Scores => (&SHARPNESS[..1], 1),
        };
        let mut closest: Option<Miss> = None;
        let mut constant: Option<bool> = None;
        // Sharpening changes only rates of decisions.
        let sharpens = self.targets.iter().any(|t| on_decisions::<K>(&t.statistic));
        for &sharpness in ladder.iter().take(if sharpens { ladder.len() } else { 1 }) {
            let mut smooth = limits.clone();
            // Smooth limits known to miss on decisions, and known to meet (or to give a constant
            // rule): once both are known, the limit is bisected between them, keeping the
            // loosest that meets, so an overshooting tightening does not cost accuracy.
            let mut loose: Option<Vec<f64>> = None;
            let mut tight: Option<Vec<f64>> = None;
            let mut accepted: Option<Accepted<K>> = None;
            let mut bisections = 0;
            for _ in 0..budget {
                let solve = self.soft_solve(objective, data, &mut rounds, &smooth, sharpness)?;
                let excess = self.excess(&solve.values);
                let solve_met = solve.met;
                let met = excess.iter().all(|&e| e <= 0.0)
                    && (self.binding == Binding::Decisions || solve_met);
                if met {
                    let profile = self.profile(objective, data, &rounds.theta)?;
                    // With no target, nothing was met trivially: the plain fit is the answer.
                    let trivial = profile.as_ref().and_then(DecisionProfile::constant);
                    match trivial.filter(|_| !self.targets.is_empty()) {
                        Some(decision) => constant = Some(decision),
                        None => {
                            let near = self.near(&excess);
                            accepted = Some(Accepted {
                                solve,
                                multipliers: rounds.multipliers.clone(),
                                smooth: smooth.clone(),
                                profile,
                            });
                            if near {
                                break;
                            }
                        }
                    }
                    tight = Some(smooth.clone());
                } else {
                    let miss = self.miss(&solve.values, &excess);
                    if closest.map_or(true, |c| miss.excess < c.excess) {
                        closest = Some(miss);
                    }
                    loose = Some(smooth.clone());
                }
                match (&loose, &tight) {
                    (Some(l), Some(t)) if bisections < MAX_BISECTIONS => {
                        bisections += 1;
                        smooth = l.iter().zip(t).map(|(a, b)| 0.5 * (a + b)).collect();
                    }
                    // Tightening helps only while the smooth constraints themselves are met.
                    (Some(_), None)
                        if solve_met && tighten(&self.targets, &mut smooth, &excess) => {}
                    _ => break,
                }
            }
            if let Some(accepted) = accepted {
                return Ok(self.finish(accepted, &rounds, sharpness, start));
            }
        }
        let Some(miss) = closest else {
            // Every solve met the targets, but only with a constant rule.
            let decision = constant.unwrap_or(false);
            let target = &self.targets[0];
            return Err(TrainError::ConstantRule {
                statistic: name_for(&target.statistic, K::LOSS),
                target: target.limit(),
                decision,
            });
        };
        let target = &self.targets[miss.target];
        if let Some(decision) = constant {
            return Err(TrainError::ConstantRule {
                statistic: name_for(&target.statistic, K::LOSS),
                target: target.limit(),
                decision,
            });
        }
        Err(TrainError::Infeasible {
            statistic: name_for(&target.statistic, K::LOSS),
            target: target.limit(),
            achieved: miss.achieved,
            outer_iterations: rounds.outer,
        })
    }

    /// Augmented-Lagrangian rounds with the targets' smooth limits at `smooth` and rates on
    /// `σ(sharpness·s)`, from the carried parameters and multipliers.
    fn soft_solve(
        &self,
        objective: &mut Objective<'_>,
        data: &FairDataset,
        rounds: &mut Rounds,
        smooth: &[f64],
        sharpness: f64,
    ) -> Result<SoftSolve<K>> {
        let bounds: Vec<TargetBound> = self
            .targets
            .iter()
            .zip(smooth)
            .map(|(t, &l)| t.bound.with_limit(l))
            .collect();
        let statistics: Vec<Statistic> = self.targets.iter().map(|t| t.statistic).collect();
        let tolerance = self.inner_tolerance();
        let mut rho = self.initial_rho;
        let mut last_violation = f64::INFINITY;
        let mut round = 0;
        loop {
            round += 1;
            rounds.outer += 1;
            let mut terms = penalty_terms(self.params.penalties());
            terms.extend(
                self.targets
                    .iter()
                    .zip(&bounds)
                    .zip(&rounds.multipliers)
                    .map(|((t, &bound), mu)| Term {
                        weight: 1.0,
                        statistic: t.statistic,
                        function: GroupFn::Lagrangian(LagrangianTerm {
                            bound,
                            multipliers: mu.clone(),
                            rho,
                        }),
                        sharpness,
                    }),
            );
            objective.set_terms(terms)?;
            let (model, converged) = match solve(objective, &self.params, rounds.theta.clone()) {
                Ok(model) => (model, true),
                Err(TrainError::NotConverged {
                    report,
                    coefficients,
                    intercept,
                }) => {
                    rounds.inner += report.iterations;
                    (FittedModel::new(coefficients, intercept), false)
                }
                Err(other) => return Err(other),
            };
            rounds.inner += model.report().map_or(0, |r| r.iterations);
            rounds.theta = model.parameters_for(objective.dim())?;
            let values = training_gaps::<K>(objective.scores(&rounds.theta), data, &statistics)?;
            // The multiplier update and the stopping measure, on the rates the terms see.
            let sharp = sharpened::<K>(objective, data, &statistics, &rounds.theta, sharpness)?;
            let seen = sharp.as_ref().unwrap_or(&values);
            let mut measure: f64 = 0.0;
            let mut violation: f64 = 0.0;
            for ((bound, v), mu) in bounds.iter().zip(seen).zip(rounds.multipliers.iter_mut()) {
                for (m, &ck) in mu.iter_mut().zip(&LagrangianTerm::values(*bound, &v.soft)) {
                    *m = (*m + rho * ck).max(0.0);
                    measure = measure.max((-ck).min(*m / rho).abs());
                    violation = violation.max(ck);
                }
            }
            let met = converged && measure <= tolerance;
            let stalled = violation > 0.25 * last_violation;
            if met || round >= self.max_outer_iterations || (stalled && rho >= MAX_RHO) {
                return Ok(SoftSolve { model, values, met });
            }
            if stalled {
                rho = (rho * 10.0).min(MAX_RHO);
            }
            last_violation = violation;
        }
    }

    /// The decision profile on the training data (`None` for a regression).
    fn profile(
        &self,
        objective: &Objective<'_>,
        data: &FairDataset,
        theta: &Array1<f64>,
    ) -> Result<Option<DecisionProfile>> {
        if !K::LOSS.is_classification() {
            return Ok(None);
        }
        let scores = objective.scores(theta)?;
        let labels = data.targets();
        Ok(Some(DecisionProfile::new(&GroupCells::of(data), |i| {
            (labels[i], f64::from(u8::from(decide(scores[i]))))
        })))
    }

    /// Each target's excess over its limit (positive when missed) on what the binding binds,
    /// less its slack.
    fn excess(&self, values: &[GroupValues]) -> Vec<f64> {
        self.targets
            .iter()
            .zip(values)
            .map(|(t, v)| t.bound.excess(t.achieved(self.bound_values(v))) - self.slack(t))
            .collect()
    }

    /// The values the binding holds to the limits.
    fn bound_values<'v>(&self, values: &'v GroupValues) -> &'v [f64] {
        match self.binding {
            Binding::Decisions => &values.hard,
            Binding::Scores => &values.soft,
        }
    }

    /// The worst-missed target of a solve.
    fn miss(&self, values: &[GroupValues], excess: &[f64]) -> Miss {
        let (k, &e) = excess
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("a missed solve has a target");
        Miss {
            excess: e,
            target: k,
            achieved: self.targets[k].achieved(self.bound_values(&values[k])),
        }
    }

    /// Whether every target that binds sits within a tenth of its scale of its limit (a gap or
    /// bound: of ε; a ratio: of `1 − r`), so loosening the smooth limit is not worth a solve.
    fn near(&self, excess: &[f64]) -> bool {
        self.targets.iter().zip(excess).all(|(t, &e)| {
            let scale = match t.bound {
                TargetBound::Gap(v) | TargetBound::Max(v) => v.abs(),
                TargetBound::Ratio(r) => 1.0 - r,
            };
            e >= -0.1 * scale
        })
    }

    fn finish(
        &self,
        accepted: Accepted<K>,
        rounds: &Rounds,
        sharpness: f64,
        start: Instant,
    ) -> TargetedModel<K> {
        let outcomes = self
            .targets
            .iter()
            .zip(accepted.solve.values)
            .zip(accepted.multipliers)
            .zip(&accepted.smooth)
            .map(|(((t, v), multipliers), &smooth_limit)| TargetOutcome {
                target: *t,
                smooth_limit,
                sharpness,
                multipliers,
                achieved: t.achieved(&v.soft),
                achieved_hard: t.achieved(&v.hard),
                values: v,
            })
            .collect();
        TargetedModel {
            model: accepted.solve.model,
            outcomes,
            decisions: accepted.profile,
            outer_iterations: rounds.outer,
            inner_iterations: rounds.inner,
            elapsed: start.elapsed(),
        }
    }
}

/// Whether a statistic is a rate of the model's decisions (so its hard value differs from the
/// smooth one): a classifier's prediction or error rates.
fn on_decisions<K: ModelKind>(statistic: &Statistic) -> bool {
    K::LOSS.is_classification() && statistic.reads_decision()
}

/// The statistics on `σ(sharpness·s)` when the surrogate is sharpened (`None` at sharpness 1,
/// where the reported soft values are the ones the terms see): a model scaled by the sharpness
/// has exactly those probabilities.
fn sharpened<K: ModelKind>(
    objective: &Objective<'_>,
    data: &FairDataset,
    statistics: &[Statistic],
    theta: &Array1<f64>,
    sharpness: f64,
) -> Result<Option<Vec<GroupValues>>> {
    if sharpness == 1.0 {
        return Ok(None);
    }
    let scores = objective.scores(theta)? * sharpness;
    let mut values = training_gaps::<K>(Ok(scores), data, statistics)?;
    // Statistics that are not rates of decisions are not sharpened by the terms either.
    let plain = training_gaps::<K>(objective.scores(theta), data, statistics)?;
    for ((v, p), s) in values.iter_mut().zip(plain).zip(statistics) {
        if !on_decisions::<K>(s) {
            *v = p;
        }
    }
    Ok(Some(values))
}

/// Tightens the smooth limit of every target its hard value missed by its excess (a gap or
/// bound down, never below 0 for a gap; a ratio up, never above 1). Returns whether any limit
/// moved.
fn tighten(targets: &[Target], smooth: &mut [f64], excess: &[f64]) -> bool {
    let mut moved = false;
    for ((t, limit), &e) in targets.iter().zip(smooth.iter_mut()).zip(excess) {
        if e <= 0.0 {
            continue;
        }
        let next = match t.bound {
            TargetBound::Gap(_) => (*limit - e).max(0.0),
            TargetBound::Max(_) => *limit - e,
            TargetBound::Ratio(_) => (*limit + e).min(1.0),
        };
        moved |= next != *limit;
        *limit = next;
    }
    moved
}
