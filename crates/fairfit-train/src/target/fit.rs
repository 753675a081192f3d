//! [`TargetedFit`]: meets fairness targets on the training data.
//!
//! **Inner solve** (augmented Lagrangian on the smooth statistic). A gap target is the set of
//! smooth constraints `v_g − v_h − ε ≤ 0` for every ordered pair of groups (exactly
//! `max − min ≤ ε`), a ratio target `r·v_h − v_g ≤ 0`, a bound target `v_g − bound ≤ 0`. Each
//! round minimises `J(θ) + Σ_k (max(0, μ_k + ρ c_k)² − μ_k²) / (2ρ)`, then updates
//! `μ_k ← max(0, μ_k + ρ c_k)` and raises ρ tenfold when the violation did not shrink fourfold.
//! It stops when `max_k |min(−c_k, μ_k/ρ)|` (violation and complementary slackness) is within
//! the tolerance, which follows ε (`min(tolerance, max(ε/100, 1e-7))`) so a small ε is not lost
//! in the solver's slack.
//!
//! **Outer loop** ([`Binding::Decisions`], the default). The smooth rate `mean σ(s)` is not the
//! rate of the decisions `s ≥ 0`: a model can meet `ε` on the one and miss it on the other (on
//! Adult, soft demographic parity leaves the decisions 0.02 apart, the other way round). So
//! each group's smooth value is shifted by its offset from the hard value at the last model,
//! `d_g = v_g − h_g`, and the constraint bounds `v_g − d_g`: were the offsets fixed, the next
//! solve's decisions would meet the limit exactly. The offsets are re-read after every solve
//! (up to six), and among the solves whose decisions meet the limits the most accurate on the
//! training data is returned. Decisions are discrete, so the offsets can settle with the
//! decisions still just over a limit: the missed rate is then aimed inside its limit by the
//! overshoot and the corrections run again (up to two such passes; on COMPAS, equalized odds at
//! 0.05 ended 0.0013 over before). When none does, or the best is degenerate (constant within a
//! group, or no more accurate than the majority class), the surrogate is sharpened (rates taken
//! on `σ(c·s)`, `c = 4, 16`), which shrinks the offsets; a degenerate best is returned only when
//! no sharpness finds better (on COMPAS, a demographic-parity ratio of 0.8 met at `c = 1` by a
//! model less accurate than the majority class is met at `c = 4` by one of accuracy 0.62). A model whose decisions are constant for
//! everyone is never returned as a success. Statistics that are not rates of decisions (mean
//! score, margin, loss, a regression's mean prediction) have no separate hard value and are
//! met by the inner solve alone.

use std::time::Instant;

mod soft_solve;

use fairfit_data::fairness::{decide, DecisionProfile, GroupCells};
use fairfit_data::FairDataset;
use ndarray::Array1;

use super::binding::on_decisions;
use super::excess::Miss;
use super::outcome::{TargetOutcome, TargetedModel};
use super::{Binding, Target, RATE_SLACK};
use crate::error::{Result, TrainError};
use crate::lagrangian::{LagrangianTerm, TargetBound};
use crate::loss::ModelKind;
use crate::model::FittedModel;
use crate::objective::Objective;
use crate::params::ValidFairParams;
use crate::statistic::{check_statistic, name_for, GroupValues};

/// The largest penalty parameter ρ; a constraint still violated there is not met by the inner
/// solve.
const MAX_RHO: f64 = 1e6;
/// The sharpness ladder of the surrogate `σ(c·s)`, tried in turn.
const SHARPNESS: [f64; 3] = [1.0, 4.0, 16.0];
/// Shift corrections (inner solves) tried at one sharpness.
const MAX_CORRECTIONS: usize = 6;
/// A shift that moves less than this between solves has settled.
const SHIFT_MOVE: f64 = 1e-4;
/// The floor of the tolerance that follows ε.
const MIN_TOLERANCE: f64 = 1e-7;
/// Passes at one sharpness that aim a missed rate further inside its limit.
const MARGIN_PASSES: usize = 2;

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
    pub(super) params: ValidFairParams<K>,
    pub(super) targets: Vec<Target>,
    pub(super) tolerance: f64,
    pub(super) max_outer_iterations: usize,
    pub(super) initial_rho: f64,
    pub(super) binding: Binding,
}

/// The state carried from one inner solve to the next.
struct Rounds {
    theta: Array1<f64>,
    multipliers: Vec<Vec<f64>>,
    outer: usize,
    inner: u64,
}

/// One inner solve's result.
#[derive(Clone)]
struct SoftSolve<K: ModelKind> {
    model: FittedModel<K>,
    values: Vec<GroupValues>,
    /// The values the terms saw: on `σ(c·s)` when sharpened, else `values`.
    seen: Vec<GroupValues>,
    /// Whether the smooth constraints were met within the tolerance.
    met: bool,
}

/// A solve whose decisions meet the targets, with the state to report it.
struct Accepted<K: ModelKind> {
    solve: SoftSolve<K>,
    multipliers: Vec<Vec<f64>>,
    shifts: Vec<Vec<f64>>,
    profile: Option<DecisionProfile>,
    /// Training accuracy of the decisions (0 for a regression), which picks among solves.
    accuracy: f64,
}

impl<K: ModelKind> Accepted<K> {
    /// Whether its decisions are degenerate (see [`DecisionProfile::is_degenerate`]).
    fn degenerate(&self) -> bool {
        self.profile
            .as_ref()
            .is_some_and(DecisionProfile::is_degenerate)
    }
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

    /// The slack a target's achieved value may have over its limit. Bound on decisions, none
    /// beyond rounding: rates of decisions are held by the shifts, and a statistic the solver
    /// meets directly (a regression's mean prediction or group loss) is aimed inside its limit
    /// ([`TargetedFit::aim`]). Bound on scores, or where no aim inside is possible (ε = 0), the
    /// inner tolerance.
    pub(super) fn slack(&self, target: &Target) -> f64 {
        match self.binding {
            Binding::Decisions
                if on_decisions::<K>(&target.statistic)
                    || self.aim(target, 0.0) != target.bound =>
            {
                RATE_SLACK
            }
            _ => self.inner_tolerance(),
        }
    }

    /// The bound the inner solves hold a target to: its own, or moved inside it. Bound on
    /// decisions, a statistic the solver meets directly is moved by the inner tolerance, since
    /// the augmented Lagrangian stops within that tolerance of the bound it is given; a rate of
    /// decisions by `margin`, what its decisions overshot on an earlier pass (none at first).
    fn aim(&self, target: &Target, margin: f64) -> TargetBound {
        let by = match self.binding == Binding::Decisions && !on_decisions::<K>(&target.statistic) {
            true => self.inner_tolerance(),
            false => margin,
        };
        (by > 0.0)
            .then(|| target.bound.tightened(by))
            .flatten()
            .unwrap_or(target.bound)
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
        // Warm start: the previous model's shifts, where they fit.
        let mut shifts: Vec<Vec<f64>> = self
            .targets
            .iter()
            .enumerate()
            .map(|(i, _)| {
                previous
                    .and_then(|p| p.outcomes.get(i))
                    .filter(|o| o.shifts.len() == n_groups)
                    .map_or_else(Vec::new, |o| o.shifts.clone())
            })
            .collect();
        let (ladder, budget): (&[f64], usize) = match self.binding {
            Binding::Decisions => (&SHARPNESS, MAX_CORRECTIONS),
            Binding::Scores => (&SHARPNESS[..1], 1),
        };
        // Sharpening and shifting change only rates of decisions.
        let on_decisions: Vec<bool> = self
            .targets
            .iter()
            .map(|t| self.binding == Binding::Decisions && on_decisions::<K>(&t.statistic))
            .collect();
        let rungs = if on_decisions.contains(&true) {
            ladder.len()
        } else {
            1
        };
        let mut closest: Option<Miss> = None;
        let mut constant: Option<bool> = None;
        let mut fallback: Option<(Accepted<K>, f64)> = None;
        for &sharpness in &ladder[..rungs] {
            let mut best: Option<Accepted<K>> = None;
            let mut margins = vec![0.0; self.targets.len()];
            for pass in 0..=MARGIN_PASSES {
                let mut pass_miss: Option<Miss> = None;
                for _ in 0..budget {
                    let solve = self.soft_solve(
                        objective,
                        data,
                        &mut rounds,
                        &shifts,
                        &margins,
                        sharpness,
                    )?;
                    let excess = self.excess(&solve.values);
                    let met = excess.iter().all(|&e| e <= 0.0)
                        && (self.binding == Binding::Decisions || solve.met);
                    let mut near = false;
                    if met {
                        let profile = self.profile(objective, data, &rounds.theta)?;
                        // With no target, nothing was met trivially: the plain fit is the answer.
                        let trivial = profile.as_ref().and_then(DecisionProfile::constant);
                        match trivial.filter(|_| !self.targets.is_empty()) {
                            Some(decision) => constant = Some(decision),
                            None => {
                                let accuracy = profile.as_ref().map_or(0.0, |p| p.accuracy);
                                if best.as_ref().map_or(true, |b| accuracy > b.accuracy) {
                                    best = Some(Accepted {
                                        solve: solve.clone(),
                                        multipliers: rounds.multipliers.clone(),
                                        shifts: shifts.clone(),
                                        profile,
                                        accuracy,
                                    });
                                }
                                near = self.near(&excess);
                            }
                        }
                    } else {
                        let miss = self.miss(&solve.values, &excess);
                        if closest.map_or(true, |c| miss.excess < c.excess) {
                            closest = Some(miss);
                        }
                        if pass_miss.map_or(true, |c| miss.excess < c.excess) {
                            pass_miss = Some(miss);
                        }
                    }
                    // Correct the shifts to the offsets between smooth and hard values at the new
                    // model; stop when they no longer move.
                    let next: Vec<Vec<f64>> = solve
                        .seen
                        .iter()
                        .zip(&solve.values)
                        .zip(&on_decisions)
                        .map(|((seen, plain), &on)| match on {
                            true => seen
                                .soft
                                .iter()
                                .zip(&plain.hard)
                                .map(|(s, h)| s - h)
                                .collect(),
                            false => Vec::new(),
                        })
                        .collect();
                    let moved = next.iter().zip(&shifts).any(|(n, o)| {
                        n.len() != o.len()
                            || n.iter().zip(o).any(|(a, b)| (a - b).abs() > SHIFT_MOVE)
                    });
                    shifts = next;
                    if near || !moved || self.binding == Binding::Scores {
                        break;
                    }
                }
                // No solve met the limits on decisions: the shifts settled where the decisions
                // still overshoot. Aim the worst-missed rate inside its limit by the overshoot and
                // solve again from where the corrections stopped.
                let Some(miss) = pass_miss.filter(|_| best.is_none() && pass < MARGIN_PASSES)
                else {
                    break;
                };
                let target = &self.targets[miss.target];
                let margin = margins[miss.target] + miss.excess + RATE_SLACK;
                if !on_decisions[miss.target] || target.bound.tightened(margin).is_none() {
                    break;
                }
                margins[miss.target] = margin;
            }
            // A degenerate best is kept as a fallback while a sharper surrogate may still find
            // an informative model.
            match best {
                Some(best) if !best.degenerate() => {
                    return Ok(self.finish(best, &rounds, sharpness, start));
                }
                Some(best)
                    if fallback
                        .as_ref()
                        .map_or(true, |f| best.accuracy > f.0.accuracy) =>
                {
                    fallback = Some((best, sharpness));
                }
                _ => {}
            }
        }
        if let Some((best, sharpness)) = fallback {
            return Ok(self.finish(best, &rounds, sharpness, start));
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
            .zip(accepted.shifts)
            .map(|(((t, v), multipliers), shifts)| TargetOutcome {
                target: *t,
                shifts,
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
