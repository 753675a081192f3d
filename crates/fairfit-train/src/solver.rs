//! Running argmin on an [`Objective`]: the solver choice, the stopping rule (the gradient norm,
//! checked by us whatever the solver); the [`FitReport`] says what happened.

use std::time::Instant;

use argmin::core::{
    Executor, IterState, Problem as ArgminProblem, Solver as ArgminSolver, State,
    TerminationReason, TerminationStatus, KV,
};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};
use crate::fit_report::{FitReport, Termination};
use crate::newton::CholeskyNewton;
use crate::objective::{Objective, Problem};

/// Which argmin solver minimises the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Solver {
    /// Newton when the features are stored sparse (the exact Hessian then costs a few
    /// passes' worth), L-BFGS otherwise: the faster of the two in the crate's benches.
    #[default]
    Auto,
    /// Limited-memory BFGS with a More–Thuente line search, keeping `memory` pairs.
    Lbfgs {
        /// Number of correction pairs (5–20 is usual).
        memory: usize,
    },
    /// Newton's method on the exact Hessian (Cholesky, shifted where not positive definite)
    /// with a More–Thuente line search: few iterations, each needing one `d × d` Hessian pass.
    Newton,
}

/// Stopping settings of one solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Settings {
    pub(crate) solver: Solver,
    pub(crate) max_iterations: u64,
    pub(crate) gradient_tolerance: f64,
}

/// Minimises the objective from `init`. Returns the parameters and the report, whether or not
/// the tolerance was reached (callers turn an unconverged report into an error).
pub(crate) fn minimize(
    objective: &Objective<'_>,
    init: Array1<f64>,
    settings: &Settings,
) -> Result<(Array1<f64>, FitReport)> {
    let start = Instant::now();
    let evaluations_before = objective.evaluations();
    let budget = settings
        .max_iterations
        .saturating_mul(30)
        .saturating_add(100);
    objective.set_budget(
        evaluations_before.saturating_add(usize::try_from(budget).unwrap_or(usize::MAX)),
    );
    let use_newton = match settings.solver {
        Solver::Auto => objective.is_sparse(),
        Solver::Lbfgs { .. } => false,
        Solver::Newton => true,
    };
    let memory = match settings.solver {
        Solver::Lbfgs { memory } => memory,
        _ => 10,
    };
    let linesearch = MoreThuenteLineSearch::new();
    let stop = |solver_name: &'static str| (solver_name, settings.gradient_tolerance);
    let outcome = if use_newton {
        let newton = CholeskyNewton::new(linesearch);
        run(objective, init.clone(), newton, settings, stop("Newton"))
    } else {
        let lbfgs = LBFGS::new(linesearch, memory)
            .with_tolerance_grad(settings.gradient_tolerance)
            .and_then(|s| s.with_tolerance_cost(0.0))
            .map_err(|e| TrainError::Solver(e.to_string()))?;
        run(objective, init.clone(), lbfgs, settings, stop("L-BFGS"))
    };
    let (name, iterations, theta, termination) = match outcome {
        Ok(o) => o,
        Err((name, error)) => {
            let theta = objective.best_seen().map_or(init, |(_, theta)| theta);
            (name, 0, theta, Termination::Failed(error))
        }
    };
    objective.set_budget(usize::MAX);
    let (cost, gradient) = objective.value_and_gradient(&theta)?;
    let gradient_norm = gradient.dot(&gradient).sqrt();
    let termination = if gradient_norm <= settings.gradient_tolerance {
        Termination::Converged
    } else if termination == Termination::Converged {
        Termination::Stalled("the solver's own criterion stopped it".into())
    } else {
        termination
    };
    Ok((
        theta,
        FitReport {
            solver: name.to_string(),
            iterations,
            evaluations: objective.evaluations() - evaluations_before,
            gradient_norm,
            objective: cost,
            termination,
            elapsed: start.elapsed(),
        },
    ))
}

type Outcome =
    std::result::Result<(&'static str, u64, Array1<f64>, Termination), (&'static str, String)>;

fn run<'o, 'a, S, I>(
    objective: &'o Objective<'a>,
    init: Array1<f64>,
    solver: S,
    settings: &Settings,
    (name, tolerance): (&'static str, f64),
) -> Outcome
where
    S: ArgminSolver<Problem<'o, 'a>, I>,
    I: State<Param = Array1<f64>, Float = f64> + Default,
    GradientStop<'o, 'a, S>: ArgminSolver<Problem<'o, 'a>, I>,
    I: ParamInit,
{
    let wrapped = GradientStop {
        inner: solver,
        objective,
        tolerance,
    };
    let result = Executor::new(objective.problem(), wrapped)
        .configure(|state| {
            state
                .with_param(init)
                .with_max_iters(settings.max_iterations)
        })
        .run()
        .map_err(|e| (name, e.to_string()))?;
    let state = result.state();
    let theta = state
        .get_best_param()
        .or_else(|| state.get_param())
        .cloned()
        .ok_or((name, "the solver returned no parameters".to_string()))?;
    let termination = match state.get_termination_reason() {
        Some(TerminationReason::SolverConverged) => Termination::Converged,
        Some(TerminationReason::MaxItersReached) => Termination::MaxIterations,
        Some(other) => Termination::Stalled(other.text().to_string()),
        None => Termination::Stalled("not terminated".into()),
    };
    Ok((name, state.get_iter(), theta, termination))
}

/// Setting the initial point and the iteration cap on the two state types the solvers use.
pub(crate) trait ParamInit: Sized {
    fn with_param(self, theta: Array1<f64>) -> Self;
    fn with_max_iters(self, max: u64) -> Self;
}

impl<H> ParamInit for IterState<Array1<f64>, Array1<f64>, (), H, (), f64> {
    fn with_param(self, theta: Array1<f64>) -> Self {
        self.param(theta)
    }
    fn with_max_iters(self, max: u64) -> Self {
        self.max_iters(max)
    }
}

/// Wraps an argmin solver so that it stops once the objective's gradient norm is within the
/// tolerance (argmin's Newton-CG only watches the change of the cost).
pub(crate) struct GradientStop<'o, 'a, S> {
    inner: S,
    objective: &'o Objective<'a>,
    tolerance: f64,
}

impl<'o, 'a, S, I> ArgminSolver<Problem<'o, 'a>, I> for GradientStop<'o, 'a, S>
where
    S: ArgminSolver<Problem<'o, 'a>, I>,
    I: State<Param = Array1<f64>>,
{
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn init(
        &mut self,
        problem: &mut ArgminProblem<Problem<'o, 'a>>,
        state: I,
    ) -> std::result::Result<(I, Option<KV>), argmin::core::Error> {
        self.inner.init(problem, state)
    }

    fn next_iter(
        &mut self,
        problem: &mut ArgminProblem<Problem<'o, 'a>>,
        state: I,
    ) -> std::result::Result<(I, Option<KV>), argmin::core::Error> {
        self.inner.next_iter(problem, state)
    }

    fn terminate(&mut self, state: &I) -> TerminationStatus {
        if let Some(theta) = state.get_param() {
            if let Ok((_, g)) = self.objective.value_and_gradient(theta) {
                if g.dot(&g).sqrt() <= self.tolerance {
                    return TerminationStatus::Terminated(TerminationReason::SolverConverged);
                }
            }
        }
        self.inner.terminate(state)
    }
}
