//! [`Iteration`]: what one round of exponentiated gradient did — the Lagrangian's value and
//! bounds, the multipliers played, the constraint values and the duality gap — and
//! [`EgReport`], the whole run's record.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One round of exponentiated gradient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Iteration {
    /// The round, from 0.
    pub round: usize,
    /// The multipliers `λ_t` the learner answered this round (one per constraint).
    pub multipliers: Vec<f64>,
    /// The averaged multipliers `λ̂_t` at which the gap was measured.
    pub averaged_multipliers: Vec<f64>,
    /// `L(Q̂_t, λ̂_t)`, with `Q̂_t` the average of the best responses so far.
    pub lagrangian: f64,
    /// The lower bound `min_h L(h, λ̂_t)` over the best responses tried.
    pub lower: f64,
    /// The upper bound `max_λ L(Q̂_t, λ)`.
    pub upper: f64,
    /// The training objective of `Q̂_t` (error rate, or mean loss).
    pub error: f64,
    /// The constraint values `γ_j(Q̂_t)`.
    pub gamma: Vec<f64>,
    /// The duality gap of the averaged pair.
    pub gap: f64,
    /// The duality gap of the linear program's saddle point over the hypotheses so far
    /// (`None` in round 0, without the step, or when the simplex method failed).
    pub lp_gap: Option<f64>,
    /// The step size η.
    pub step: f64,
    /// Hypotheses found so far.
    pub hypotheses: usize,
}

/// What a run of exponentiated gradient did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EgReport {
    /// Every round.
    pub iterations: Vec<Iteration>,
    /// The duality-gap threshold ν (given, or Fairlearn's default `½ sd(|h₀ − y|)/√n`).
    pub nu: f64,
    /// The round whose pair was kept (the last of those with the smallest gap).
    pub best_round: usize,
    /// The kept pair's duality gap.
    pub best_gap: f64,
    /// Whether the run stopped because the gap fell below ν (otherwise the round cap ended it).
    pub converged: bool,
    /// Best responses computed.
    pub oracle_calls: usize,
    /// Newton iterations over all best responses.
    pub learner_iterations: u64,
    /// Wall time of the run.
    pub elapsed: Duration,
}
