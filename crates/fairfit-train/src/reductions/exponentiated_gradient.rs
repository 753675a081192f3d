//! Exponentiated gradient (Agarwal et al. 2018, Algorithm 1, with Fairlearn's refinements):
//! the multipliers follow `λ_t = B e^{θ_t} / (1 + Σ e^{θ_t})`, the learner answers each with
//! a cost-sensitive best response, and the averages `(Q̂_t, λ̂_t)` approach a saddle point of
//! the Lagrangian. Each round also solves the saddle point over the hypotheses found so far
//! (a small linear program) and keeps whichever pair has the smaller duality gap; the run stops
//! once that gap is below ν (after at least five rounds), or at the round cap.
//!
//! Guarantee at a ν-approximate saddle point (Agarwal et al., Theorem 1): the randomised model's
//! training error is within 2ν of the best feasible mixture's, and every constraint is violated
//! by at most `(1 + 2ν)/B` (with the default `B = 1/ε`, `(1 + 2ν)ε`).

use std::time::Instant;

use fairfit_data::fairness::{decide, Notion};
use fairfit_data::FairDataset;
use linfa::ParamGuard;

use super::best_response::{BestResponse, Learner};
use super::lagrangian::{Lagrangian, PRECISION};
use super::moments::{check_epsilon, Constraint, Moments};
use super::randomized::RandomizedModel;
use super::report::{EgReport, Iteration};
use crate::error::{Result, TrainError};
use crate::loss::ModelKind;
use crate::params::{FairParams, ValidFairParams};

/// Rounds before the run may stop on the gap.
const MIN_ROUNDS: usize = 5;
/// Fairlearn's multiplier for ν's default.
const ACCURACY_MUL: f64 = 0.5;
/// The step shrinks by `SHRINK_ETA` when the best gap has not fallen below `SHRINK_REGRET` of
/// its value at the last check; checks start at round 5 and space out by a factor 1.6.
const REGRET_CHECK_START: f64 = 5.0;
const REGRET_CHECK_INCREASE: f64 = 1.6;
const SHRINK_REGRET: f64 = 0.8;
const SHRINK_ETA: f64 = 0.8;

/// Exponentiated gradient: the entry point to its parameters.
///
/// ```
/// use fairfit::data::synthetic::BiasedParams;
/// use fairfit::train::reductions::ExponentiatedGradient;
/// use fairfit::train::{Logistic, Notion};
/// let data = BiasedParams::new(400, 3).label_bias("b", 0.4).seed(1).generate()?.data;
/// let fit = ExponentiatedGradient::params::<Logistic>(Notion::demographic_parity(), 0.02)
///     .fit(&data)?;
/// let gap = fit.model().training_gamma().iter().fold(f64::MIN, |a, &b| a.max(b));
/// assert!(gap <= 0.02 + fit.report().nu + 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct ExponentiatedGradient;

impl ExponentiatedGradient {
    /// Parameters for `notion` bounded by `epsilon` (see [`super::Moments`] for how each
    /// aggregate becomes constraints), with Fairlearn's defaults: 50 rounds, `η₀ = 2`,
    /// `B = 1/ε`, ν from the data, the linear-program step on, and the model kind's default
    /// learner.
    pub fn params<K: ModelKind>(notion: Notion, epsilon: f64) -> EgParams<K> {
        EgParams(ValidEgParams {
            notion,
            epsilon,
            max_iterations: 50,
            nu: None,
            eta0: 2.0,
            lp_step: true,
            multiplier_bound: None,
            learner: FairParams::default()
                .check()
                .expect("the default learner parameters are valid"),
        })
    }
}

/// Checked parameters of exponentiated gradient; [`ValidEgParams::fit`] runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEgParams<K: ModelKind> {
    notion: Notion,
    epsilon: f64,
    max_iterations: usize,
    nu: Option<f64>,
    eta0: f64,
    lp_step: bool,
    multiplier_bound: Option<f64>,
    learner: ValidFairParams<K>,
}

/// Unchecked parameters of exponentiated gradient (a builder).
#[derive(Debug, Clone, PartialEq)]
pub struct EgParams<K: ModelKind>(ValidEgParams<K>);

impl<K: ModelKind> EgParams<K> {
    /// The round cap (default 50).
    pub fn max_iterations(mut self, rounds: usize) -> Self {
        self.0.max_iterations = rounds;
        self
    }

    /// The duality-gap threshold ν (default: `½ sd(|h₀(x) − y|)/√n`, `h₀` the first best
    /// response, as Fairlearn).
    pub fn nu(mut self, nu: f64) -> Self {
        self.0.nu = Some(nu);
        self
    }

    /// The initial step `η₀` (default 2; the step is `η₀/B`).
    pub fn eta0(mut self, eta0: f64) -> Self {
        self.0.eta0 = eta0;
        self
    }

    /// Whether each round also solves the saddle point over the hypotheses so far (default on).
    pub fn lp_step(mut self, on: bool) -> Self {
        self.0.lp_step = on;
        self
    }

    /// The bound `B` on `‖λ‖₁` (default `1/ε`; required when ε = 0).
    pub fn multiplier_bound(mut self, bound: f64) -> Self {
        self.0.multiplier_bound = Some(bound);
        self
    }

    /// The learner's parameters (L2 weight, tolerance, iteration cap, layout); they must carry
    /// no penalty, since the reduction supplies the costs.
    pub fn learner(mut self, learner: ValidFairParams<K>) -> Self {
        self.0.learner = learner;
        self
    }

    /// Checks, then runs (see [`ValidEgParams::fit`]).
    pub fn fit(&self, data: &FairDataset) -> Result<EgFit<K>> {
        self.check_ref()?.fit(data)
    }
}

impl<K: ModelKind> EgParams<K> {
    /// Checks every setting but the bound ε (which [`super::EgPath::fit`] checks per run).
    pub(super) fn check_settings(&self) -> Result<&ValidEgParams<K>> {
        let p = &self.0;
        let invalid =
            |name: &'static str, reason: String| Err(TrainError::InvalidParameter { name, reason });
        if p.max_iterations == 0 {
            return invalid("max_iterations", "must be at least 1".into());
        }
        if let Some(nu) = p.nu {
            if !(nu.is_finite() && nu >= 0.0) {
                return invalid("nu", format!("must be finite and non-negative, got {nu}"));
            }
        }
        if !(p.eta0.is_finite() && p.eta0 > 0.0) {
            return invalid(
                "eta0",
                format!("must be finite and positive, got {}", p.eta0),
            );
        }
        if let Some(b) = p.multiplier_bound {
            if !(b.is_finite() && b > 0.0) {
                return invalid(
                    "multiplier_bound",
                    format!("must be finite and positive, got {b}"),
                );
            }
        }
        if !p.learner.penalties().is_empty() {
            return invalid(
                "learner",
                "the learner must carry no penalty: the reduction supplies its costs".into(),
            );
        }
        Ok(p)
    }
}

impl<K: ModelKind> ParamGuard for EgParams<K> {
    type Checked = ValidEgParams<K>;
    type Error = TrainError;

    fn check_ref(&self) -> Result<&ValidEgParams<K>> {
        let p = &self.0;
        check_epsilon(&p.notion, p.epsilon)?;
        self.check_settings()?;
        if p.multiplier_bound.is_none() && p.epsilon == 0.0 {
            return Err(TrainError::InvalidParameter {
                name: "epsilon",
                reason: "ε = 0 needs an explicit multiplier bound B (the default is B = 1/ε)"
                    .into(),
            });
        }
        Ok(p)
    }

    fn check(self) -> Result<ValidEgParams<K>> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// What exponentiated gradient returns: the randomised model, its constraints and the record
/// of the run.
#[derive(Debug, Clone)]
pub struct EgFit<K: ModelKind> {
    model: RandomizedModel<K>,
    constraints: Vec<Constraint>,
    report: EgReport,
}

impl<K: ModelKind> EgFit<K> {
    /// The randomised model (and its deterministic options).
    pub fn model(&self) -> &RandomizedModel<K> {
        &self.model
    }

    /// The constraints, in the order of the multipliers and of each hypothesis's `gamma`.
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// The record of the run.
    pub fn report(&self) -> &EgReport {
        &self.report
    }

    /// The randomised model, dropping the record.
    pub fn into_model(self) -> RandomizedModel<K> {
        self.model
    }
}

impl<K: ModelKind> ValidEgParams<K> {
    /// The bound ε.
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }

    /// The notion.
    pub fn notion(&self) -> &Notion {
        &self.notion
    }

    /// Runs exponentiated gradient on `data`.
    ///
    /// Errors: those of [`super::Moments::new`] (unsupported notion, single group, a group
    /// lacking a statistic's cell) and of a best response (non-finite features, a learner that
    /// does not converge).
    pub fn fit(&self, data: &FairDataset) -> Result<EgFit<K>> {
        let moments = Moments::new(data, &self.notion, self.epsilon, K::LOSS)?;
        let mut oracle = self.oracle(data)?;
        self.play(moments, &mut oracle)
    }

    /// These parameters at bound `epsilon`, checked.
    pub(super) fn at(&self, epsilon: f64) -> Result<ValidEgParams<K>> {
        EgParams(ValidEgParams {
            epsilon,
            ..self.clone()
        })
        .check()
    }

    /// The cost-sensitive learner over `data`'s features, with these learner settings.
    pub(super) fn oracle<'a>(&self, data: &'a FairDataset) -> Result<BestResponse<'a>> {
        let targets = data.targets().to_vec();
        BestResponse::new(data.records(), &targets, K::LOSS, learner(&self.learner))
    }

    /// Runs exponentiated gradient at every bound of `epsilons` on `data`, in order, with these
    /// parameters otherwise (a multiplier bound set here applies to every ε; unset, each run
    /// takes `1/ε`), on one [`EgPath`](super::EgPath): the runs share one learner, and each fit is the one
    /// [`ValidEgParams::fit`] returns at that ε, up to the learner's gradient tolerance. Every ε
    /// is checked before the first run; the first run that fails ends the path (an
    /// [`EgPath`](super::EgPath) goes on past it).
    ///
    /// Errors: an invalid ε (as [`EgParams::check`](linfa::ParamGuard::check)), and those of
    /// [`ValidEgParams::fit`].
    ///
    /// ```
    /// use fairfit::data::synthetic::BiasedParams;
    /// use fairfit::train::reductions::ExponentiatedGradient;
    /// use fairfit::train::{Logistic, Notion, ParamGuard};
    /// let data = BiasedParams::new(400, 3).label_bias("b", 0.4).seed(1).generate()?.data;
    /// let params = ExponentiatedGradient::params::<Logistic>(Notion::demographic_parity(), 0.02)
    ///     .check()?;
    /// let epsilons = [0.01, 0.02, 0.05];
    /// let fits = params.fit_path(&data, &epsilons)?;
    /// for (fit, epsilon) in fits.iter().zip(epsilons) {
    ///     assert!(fit.constraints().iter().all(|c| c.bound == epsilon));
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fit_path(&self, data: &FairDataset, epsilons: &[f64]) -> Result<Vec<EgFit<K>>> {
        for &epsilon in epsilons {
            self.at(epsilon)?;
        }
        let mut path = EgParams(self.clone()).path(data)?;
        epsilons.iter().map(|&epsilon| path.fit(epsilon)).collect()
    }

    /// The game on `moments`, answered by `oracle`.
    pub(super) fn play<'a>(
        &self,
        moments: Moments<'a>,
        oracle: &mut BestResponse<'a>,
    ) -> Result<EgFit<K>> {
        let timer = Instant::now();
        let constraints = moments.constraints().to_vec();
        let bounds = moments.bounds();
        let targets = moments.data().targets().to_vec();
        let bound = self.multiplier_bound.unwrap_or(1.0 / self.epsilon);
        let mut game: Lagrangian<'_, '_, K> = Lagrangian::new(moments, oracle, bound);
        let m = constraints.len();
        let mut theta = vec![0.0; m];
        let mut lambda_sum = vec![0.0; m];
        let mut counts: Vec<f64> = Vec::new();
        let (mut gaps_eg, mut gaps, mut qs) = (Vec::new(), Vec::new(), Vec::new());
        let mut iterations = Vec::new();
        let (mut last_checked, mut last_gap) = (REGRET_CHECK_START, f64::INFINITY);
        let (mut nu, mut eta) = (self.nu.unwrap_or(0.0), self.eta0 / bound);
        let mut converged = false;
        for t in 0..self.max_iterations {
            let lambda = multipliers(&theta, bound);
            lambda_sum
                .iter_mut()
                .zip(&lambda)
                .for_each(|(s, l)| *s += l);
            let lambda_avg: Vec<f64> = lambda_sum.iter().map(|s| s / (t + 1) as f64).collect();
            let h = game.best_response(&lambda)?;
            if t == 0 && self.nu.is_none() {
                nu = default_nu(&game.first_scores, &targets, K::LOSS.is_classification());
            }
            counts.resize(game.hypotheses.len(), 0.0);
            counts[h] += 1.0;
            let total: f64 = counts.iter().sum();
            let q_eg: Vec<f64> = counts.iter().map(|c| c / total).collect();
            let eg = game.gap(&q_eg, &lambda_avg, nu)?;
            gaps_eg.push(eg.gap());
            let lp = if t == 0 || !self.lp_step {
                None
            } else {
                game.solve_lp(nu)?
            };
            let lp_gap = lp.as_ref().map(|(_, _, g)| g.gap());
            match lp {
                Some((q_lp, _, g)) if g.gap() <= eg.gap() => {
                    qs.push(q_lp);
                    gaps.push(g.gap());
                }
                _ => {
                    qs.push(q_eg);
                    gaps.push(eg.gap());
                }
            }
            iterations.push(Iteration {
                round: t,
                multipliers: lambda.clone(),
                averaged_multipliers: lambda_avg,
                lagrangian: eg.value,
                lower: eg.lower,
                upper: eg.upper,
                error: eg.error,
                gap: eg.gap(),
                gamma: eg.gamma,
                lp_gap,
                step: eta,
                hypotheses: game.hypotheses.len(),
            });
            if gaps[t] < nu && t >= MIN_ROUNDS {
                converged = true;
                break;
            }
            if t as f64 >= last_checked * REGRET_CHECK_INCREASE {
                let best = gaps_eg.iter().copied().fold(f64::INFINITY, f64::min);
                if best > last_gap * SHRINK_REGRET {
                    eta *= SHRINK_ETA;
                }
                last_checked = t as f64;
                last_gap = best;
            }
            let gamma = &game.hypotheses[h].gamma;
            for ((th, g), b) in theta.iter_mut().zip(gamma).zip(&bounds) {
                *th += eta * (g - b);
            }
        }
        let min_gap = gaps.iter().copied().fold(f64::INFINITY, f64::min);
        let best_round = (0..gaps.len())
            .rev()
            .find(|&t| gaps[t] <= min_gap + PRECISION)
            .expect("at least one round ran");
        let report = EgReport {
            nu,
            best_round,
            best_gap: gaps[best_round],
            converged,
            oracle_calls: game.oracle_calls,
            learner_iterations: game.learner_iterations(),
            iterations,
            elapsed: timer.elapsed(),
        };
        let weights = qs.swap_remove(best_round);
        let notion = self.notion.label();
        Ok(EgFit {
            model: RandomizedModel::new(game.hypotheses, weights, bounds, notion),
            constraints,
            report,
        })
    }
}

/// The learner's settings from a model's parameters.
pub(crate) fn learner<K: ModelKind>(params: &ValidFairParams<K>) -> Learner {
    Learner {
        l2: params.l2_penalty(),
        tolerance: params.gradient_tolerance(),
        max_iterations: params.max_iterations(),
        layout: params.layout(),
    }
}

/// `λ_j = B e^{θ_j} / (1 + Σ_k e^{θ_k})`, computed without overflow.
fn multipliers(theta: &[f64], bound: f64) -> Vec<f64> {
    let top = theta.iter().copied().fold(0.0, f64::max);
    let exp: Vec<f64> = theta.iter().map(|t| (t - top).exp()).collect();
    let denominator = (-top).exp() + exp.iter().sum::<f64>();
    exp.iter().map(|e| bound * e / denominator).collect()
}

/// Fairlearn's ν: half the sample standard deviation of `|h₀(x) − y|` over `√n`.
fn default_nu(scores: &Option<Vec<f64>>, targets: &[f64], classification: bool) -> f64 {
    let Some(scores) = scores else { return 0.0 };
    let n = targets.len() as f64;
    let residual: Vec<f64> = scores
        .iter()
        .zip(targets)
        .map(|(&s, &y)| {
            let prediction = if classification {
                f64::from(u8::from(decide(s)))
            } else {
                s
            };
            (prediction - y).abs()
        })
        .collect();
    let mean = residual.iter().sum::<f64>() / n;
    let var = residual.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    ACCURACY_MUL * var.sqrt() / n.sqrt()
}
