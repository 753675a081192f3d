//! [`FitReport`]: what one solve did and how it ended ([`Termination`]). Below every module
//! that fits (and below the errors that carry it), so that it depends on nothing above it.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a solve ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Termination {
    /// The (standardised) gradient norm reached the tolerance.
    Converged,
    /// The iteration cap was hit first.
    MaxIterations,
    /// The solver stopped on its own criterion (no further progress in the cost, a line search
    /// that found no decrease) before the gradient tolerance was reached.
    Stalled(String),
    /// The solver returned an error; the best point seen is kept.
    Failed(String),
}

impl std::fmt::Display for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Termination::Converged => write!(f, "converged"),
            Termination::MaxIterations => write!(f, "iteration cap reached"),
            Termination::Stalled(why) => write!(f, "stalled ({why})"),
            Termination::Failed(why) => write!(f, "failed ({why})"),
        }
    }
}

/// What one solve did: always attached to a fitted model, and to a
/// [`TrainError::NotConverged`](crate::TrainError::NotConverged).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitReport {
    /// The solver that ran (`L-BFGS` or `Newton`).
    pub solver: String,
    /// Solver iterations.
    pub iterations: u64,
    /// Passes over the data (cost + gradient evaluations, cache hits excluded).
    pub evaluations: usize,
    /// Euclidean norm of the objective's gradient at the returned parameters, with respect to
    /// the coefficients of the standardised features (what the tolerance bounds).
    pub gradient_norm: f64,
    /// The objective's value at the returned parameters.
    pub objective: f64,
    /// How the solve ended.
    pub termination: Termination,
    /// Wall-clock time of the solve.
    pub elapsed: Duration,
}

impl FitReport {
    /// Whether the gradient tolerance was reached.
    pub fn converged(&self) -> bool {
        self.termination == Termination::Converged
    }
}

impl std::fmt::Display for FitReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} after {} iterations ({} evaluations, {:.1} ms): objective {:.8}, gradient norm {:.3e}",
            self.solver,
            self.termination,
            self.iterations,
            self.evaluations,
            self.elapsed.as_secs_f64() * 1e3,
            self.objective,
            self.gradient_norm
        )
    }
}
