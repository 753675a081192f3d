//! [`Lagrangian`]: `L(Q, λ) = err(Q) + Σ_j λ_j (γ_j(Q) − β_j)` over mixtures `Q` of the
//! hypotheses found so far and multipliers `λ ≥ 0` with `‖λ‖₁ ≤ B` (Agarwal et al. 2018): the
//! learner's best response, the duality gap of a pair `(Q, λ)`, and the saddle point over the
//! hypotheses found so far (a linear program, solved by the crate's simplex method).

use ndarray::Array1;
use serde::{Deserialize, Serialize};

use super::best_response::{BestResponse, Response};
use super::moments::Moments;
use crate::error::Result;
use crate::loss::ModelKind;
use crate::model::FittedModel;
use crate::postprocess::lp::maximise;

/// Improvements of the Lagrangian smaller than this do not add a hypothesis.
pub(crate) const PRECISION: f64 = 1e-8;

/// A best response found during the game, with its training error and constraint values.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Hypothesis<K: ModelKind> {
    /// The model (for a constant decision: zero coefficients and intercept ±1).
    pub model: FittedModel<K>,
    /// `Some(decision)` when every row got the same decision (a constant rule, not a model).
    pub constant: Option<bool>,
    /// Training objective (error rate, or mean loss).
    pub error: f64,
    /// Training constraint values `γ_j`.
    pub gamma: Vec<f64>,
    /// The multipliers it answered.
    pub lambda: Vec<f64>,
}

/// The value of a pair `(Q, λ)` and the bounds that make its duality gap.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gap {
    /// `L(Q, λ)`.
    pub(crate) value: f64,
    /// `min_h L(h, λ)` over the best responses tried (a lower bound of the game's value).
    pub(crate) lower: f64,
    /// `max_λ' L(Q, λ')`: the error plus `B` times the largest violation.
    pub(crate) upper: f64,
    pub(crate) error: f64,
    pub(crate) gamma: Vec<f64>,
}

impl Gap {
    /// `max(L − L_low, L_high − L)`.
    pub(crate) fn gap(&self) -> f64 {
        (self.value - self.lower).max(self.upper - self.value)
    }
}

/// The saddle point over the hypotheses: the mixture `Q`, the multipliers and their gap.
pub(crate) type Saddle = (Vec<f64>, Vec<f64>, Gap);

/// The game between the learner and the multipliers on one data set. The learner is borrowed,
/// so that games on the same rows (a path over ε) share its design and its warm starts.
pub(crate) struct Lagrangian<'a, 'o, K: ModelKind> {
    pub(crate) moments: Moments<'a>,
    oracle: &'o mut BestResponse<'a>,
    pub(crate) bound: f64,
    pub(crate) hypotheses: Vec<Hypothesis<K>>,
    /// The learner's Newton iterations before this game.
    iterations_before: u64,
    costs: Vec<f64>,
    bounds: Vec<f64>,
    lp_cache: Option<(usize, Option<Saddle>)>,
    pub(crate) oracle_calls: usize,
    /// Training scores of the first best response (for ν's default).
    pub(crate) first_scores: Option<Vec<f64>>,
}

impl<'a, 'o, K: ModelKind> Lagrangian<'a, 'o, K> {
    pub(crate) fn new(moments: Moments<'a>, oracle: &'o mut BestResponse<'a>, bound: f64) -> Self {
        let bounds = moments.bounds();
        Self {
            moments,
            iterations_before: oracle.iterations,
            oracle,
            bound,
            hypotheses: Vec::new(),
            costs: Vec::new(),
            bounds,
            lp_cache: None,
            oracle_calls: 0,
            first_scores: None,
        }
    }

    /// Newton iterations over this game's best responses.
    pub(crate) fn learner_iterations(&self) -> u64 {
        self.oracle.iterations - self.iterations_before
    }

    /// The learner's best response to `lambda`, warm-started from the previous one. Returns
    /// the index of the hypothesis with the smallest `err + λ·γ` (the new one, unless an earlier
    /// hypothesis is at least as good).
    pub(crate) fn best_response(&mut self, lambda: &[f64]) -> Result<usize> {
        let hypothesis = self.respond(lambda)?;
        let value = hypothesis.error + dot(&hypothesis.gamma, lambda);
        let best = (0..self.hypotheses.len())
            .map(|h| {
                let hyp = &self.hypotheses[h];
                (h, hyp.error + dot(&hyp.gamma, lambda))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((h, best)) if value >= best - PRECISION => Ok(h),
            _ => {
                self.hypotheses.push(hypothesis);
                Ok(self.hypotheses.len() - 1)
            }
        }
    }

    /// The learner's answer to `lambda` with its training error and constraint values,
    /// warm-started from its answers to the nearest costs so far.
    pub(crate) fn respond(&mut self, lambda: &[f64]) -> Result<Hypothesis<K>> {
        self.moments.costs(lambda, &mut self.costs);
        let signature = self.moments.signature(lambda);
        let response = self.oracle.fit(&self.costs, &signature)?;
        self.oracle_calls += 1;
        if self.first_scores.is_none() {
            self.first_scores = Some(self.oracle.scores.clone());
        }
        let (error, gamma) = self.moments.evaluate(&self.oracle.scores);
        let d = self.oracle.dim() - 1;
        let (model, constant) = match response {
            Response::Model { theta, report } => {
                let model = FittedModel::from_parts(
                    theta.slice(ndarray::s![..d]).to_owned(),
                    theta[d],
                    Some(report),
                );
                (model, None)
            }
            Response::Constant(decision) => {
                let intercept = if decision { 1.0 } else { -1.0 };
                (
                    FittedModel::from_parts(Array1::zeros(d), intercept, None),
                    Some(decision),
                )
            }
        };
        Ok(Hypothesis {
            model,
            constant,
            error,
            gamma,
            lambda: lambda.to_vec(),
        })
    }

    /// `(L, L_high, error, γ)` of the mixture `q` (weights over the hypotheses) at `lambda`
    /// (projected).
    pub(crate) fn eval(&self, q: &[f64], lambda: &[f64]) -> (f64, f64, f64, Vec<f64>) {
        let m = self.bounds.len();
        let mut gamma = vec![0.0; m];
        let mut error = 0.0;
        for (hyp, &w) in self.hypotheses.iter().zip(q) {
            if w != 0.0 {
                error += w * hyp.error;
                gamma
                    .iter_mut()
                    .zip(&hyp.gamma)
                    .for_each(|(g, h)| *g += w * h);
            }
        }
        let lambda = self.moments.project(lambda);
        let violation: Vec<f64> = gamma.iter().zip(&self.bounds).map(|(g, b)| g - b).collect();
        let value = error + dot(&lambda, &violation);
        let worst = violation.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let upper = error + if worst > 0.0 { self.bound * worst } else { 0.0 };
        (value, upper, error, gamma)
    }

    /// The duality gap of `(q, lambda)`: the lower bound tries best responses to `mul · λ` for
    /// `mul` in 1, 2, 5, 10 until the gap exceeds `nu`.
    pub(crate) fn gap(&mut self, q: &[f64], lambda: &[f64], nu: f64) -> Result<Gap> {
        let (value, upper, error, gamma) = self.eval(q, lambda);
        let mut result = Gap {
            value,
            lower: value,
            upper,
            error,
            gamma,
        };
        for mul in [1.0, 2.0, 5.0, 10.0] {
            let scaled: Vec<f64> = lambda.iter().map(|l| mul * l).collect();
            let h = self.best_response(&scaled)?;
            let (low, ..) = self.eval(&unit(self.hypotheses.len(), h), lambda);
            result.lower = result.lower.min(low);
            if result.gap() > nu + PRECISION {
                break;
            }
        }
        Ok(result)
    }

    /// The saddle point over the hypotheses found so far (`min_Q max_λ L`, a linear program and
    /// its dual), with its gap; recomputed only when a hypothesis was added. `None` when the
    /// simplex method fails.
    pub(crate) fn solve_lp(&mut self, nu: f64) -> Result<Option<Saddle>> {
        let n = self.hypotheses.len();
        if let Some((cached_n, result)) = &self.lp_cache {
            if *cached_n == n {
                return Ok(result.clone());
            }
        }
        let result = match self.saddle() {
            Some((q, lambda)) => {
                let gap = self.gap(&q, &lambda, nu)?;
                Some((q, lambda, gap))
            }
            None => None,
        };
        // A gap computation may add hypotheses; the cache is keyed by the count it was solved at.
        self.lp_cache = Some((n, result.clone()));
        Ok(result)
    }

    /// Primal `min Σ Q_h err_h + B ξ` s.t. `Σ_h Q_h (γ_hj − β_j) ≤ ξ`, `Σ Q = 1`, and its dual
    /// `max z` s.t. `z ≤ err_h + Σ_j λ_j (γ_hj − β_j)`, `Σ λ ≤ B`, both in the simplex method's
    /// form `max c·v, A v ≤ b, v ≥ 0, b ≥ 0`: `Σ Q = 1` becomes `Σ Q ≤ 1` with a reward `M`
    /// per unit of `Q` larger than any gain from leaving mass out, and `z = u − C` with `C`
    /// larger than any `−z`.
    fn saddle(&self) -> Option<(Vec<f64>, Vec<f64>)> {
        let n = self.hypotheses.len();
        let m = self.bounds.len();
        let excess = |h: &Hypothesis<K>, j: usize| h.gamma[j] - self.bounds[j];
        let spread = self
            .hypotheses
            .iter()
            .flat_map(|h| (0..m).map(move |j| excess(h, j).abs()))
            .fold(0.0, f64::max);
        let max_error = self.hypotheses.iter().map(|h| h.error).fold(0.0, f64::max);
        let reward = max_error + self.bound * spread + 1.0;
        // Primal: v = (Q_1..Q_n, ξ).
        let c: Vec<f64> = self
            .hypotheses
            .iter()
            .map(|h| reward - h.error)
            .chain([-self.bound])
            .collect();
        let mut a: Vec<Vec<f64>> = (0..m)
            .map(|j| {
                self.hypotheses
                    .iter()
                    .map(|h| excess(h, j))
                    .chain([-1.0])
                    .collect()
            })
            .collect();
        a.push(vec![1.0; n].into_iter().chain([0.0]).collect());
        let b: Vec<f64> = vec![0.0; m].into_iter().chain([1.0]).collect();
        let primal = maximise(&c, &a, &b)?;
        let total: f64 = primal[..n].iter().sum();
        if total <= 0.0 {
            return None;
        }
        let q: Vec<f64> = primal[..n].iter().map(|v| v / total).collect();
        // Dual: v = (λ_1..λ_m, u).
        let shift = self.bound * spread + 1.0;
        let c: Vec<f64> = vec![0.0; m].into_iter().chain([1.0]).collect();
        let mut a: Vec<Vec<f64>> = self
            .hypotheses
            .iter()
            .map(|h| (0..m).map(|j| -excess(h, j)).chain([1.0]).collect())
            .collect();
        a.push(vec![1.0; m].into_iter().chain([0.0]).collect());
        let b: Vec<f64> = self
            .hypotheses
            .iter()
            .map(|h| h.error + shift)
            .chain([self.bound])
            .collect();
        let dual = maximise(&c, &a, &b)?;
        Some((q, dual[..m].to_vec()))
    }
}

/// The point mass on hypothesis `h` among `n`.
pub(crate) fn unit(n: usize, h: usize) -> Vec<f64> {
    let mut q = vec![0.0; n];
    q[h] = 1.0;
    q
}

pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
