//! Running argmin on an [`Objective`]: the solver choice, the stopping rule (the norm of the
//! gradient in standardised coordinates, checked by us whatever the solver, see
//! [`scaling`](crate::scaling)); the [`FitReport`] says what happened.

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
use crate::objective::Objective;
use crate::scaling::{Scaling, Standardised};
use crate::separation::{
    completely_separates, quasi_separated_rows, strictly_separated, Curvature,
};

/// Which argmin solver minimises the objective. Every solver works in the coordinates of
/// standardised features (each column centred and divided by its standard deviation, undone in
/// the reported coefficients), so the stopping rule and the steps do not depend on the units of
/// the features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Solver {
    /// Newton when the features are stored sparse (the exact Hessian then costs a few
    /// passes' worth) and there are at most [`Solver::NEWTON_MAX_DIM`] parameters (the
    /// `d × d` Hessian of 50,000 one-hot columns would need 20 GB), L-BFGS otherwise.
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

impl Solver {
    /// The most parameters for which [`Solver::Auto`] chooses Newton's method: its dense
    /// Hessian then takes at most 32 MB.
    pub const NEWTON_MAX_DIM: usize = 2_000;
}

/// Stopping settings of one solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Settings {
    pub(crate) solver: Solver,
    pub(crate) max_iterations: u64,
    pub(crate) gradient_tolerance: f64,
    /// Whether the objective is an unregularised logistic loss, whose minimum is not attained
    /// when a model classifies every training row correctly (the solve then ends with
    /// [`TrainError::Separable`] instead of coefficients growing with the tolerance).
    pub(crate) unregularised_logistic: bool,
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
        Solver::Auto => objective.is_sparse() && objective.dim() <= Solver::NEWTON_MAX_DIM,
        Solver::Lbfgs { .. } => false,
        Solver::Newton => true,
    };
    let memory = match settings.solver {
        Solver::Lbfgs { memory } => memory,
        _ => 10,
    };
    let linesearch = MoreThuenteLineSearch::new();
    let scaling = Scaling::of(objective);
    let separation = settings.unregularised_logistic && !objective.has_terms();
    let stop = |name: &'static str| Stop {
        name,
        tolerance: settings.gradient_tolerance,
        separation,
    };
    let start_at = scaling.to_standardised(&init);
    let outcome = if use_newton {
        let newton = CholeskyNewton::new(linesearch);
        run(
            objective,
            &scaling,
            start_at,
            newton,
            settings,
            stop("Newton"),
        )
    } else {
        let lbfgs = LBFGS::new(linesearch, memory)
            .with_tolerance_grad(settings.gradient_tolerance)
            .and_then(|s| s.with_tolerance_cost(0.0))
            .map_err(|e| TrainError::Solver(e.to_string()))?;
        run(
            objective,
            &scaling,
            start_at,
            lbfgs,
            settings,
            stop("L-BFGS"),
        )
    };
    let (name, iterations, theta, termination) = match outcome {
        Ok((name, iterations, v, termination)) => {
            (name, iterations, scaling.to_raw(&v), termination)
        }
        Err((name, error)) => {
            let theta = objective.best_seen().map_or(init, |(_, theta)| theta);
            (name, 0, theta, Termination::Failed(error))
        }
    };
    objective.set_budget(usize::MAX);
    if separation {
        // One pass of signed margins serves both checks.
        let margins = objective.signed_margins(&theta)?;
        if strictly_separated(&margins) {
            return Err(TrainError::Separable {
                solver: name.to_string(),
                iterations,
            });
        }
        // Where Newton's dense Hessian would be too large, so is the check's.
        let curvature = if objective.dim() <= Solver::NEWTON_MAX_DIM {
            Curvature::Dense
        } else {
            Curvature::Products
        };
        if let Some(rows) = quasi_separated_rows(objective, &scaling, &theta, &margins, curvature)?
        {
            return Err(TrainError::QuasiSeparable {
                rows,
                solver: name.to_string(),
                iterations,
            });
        }
    }
    let (cost, gradient) = objective.value_and_gradient(&theta)?;
    let gradient = scaling.gradient(&gradient);
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

/// What ends a run besides the solver's own criteria.
#[derive(Debug, Clone, Copy)]
struct Stop {
    name: &'static str,
    /// The largest norm of the standardised gradient that counts as converged.
    tolerance: f64,
    /// Whether to stop as soon as an iterate separates the training data.
    separation: bool,
}

/// Runs `solver` from the standardised point `init`; returns the standardised parameters.
fn run<'s, 'o, 'a, S, I>(
    objective: &'o Objective<'a>,
    scaling: &'s Scaling,
    init: Array1<f64>,
    solver: S,
    settings: &Settings,
    stop: Stop,
) -> Outcome
where
    S: ArgminSolver<Standardised<'s, 'o, 'a>, I>,
    I: State<Param = Array1<f64>, Float = f64> + Default,
    GradientStop<'s, 'o, 'a, S>: ArgminSolver<Standardised<'s, 'o, 'a>, I>,
    I: ParamInit,
{
    let name = stop.name;
    let wrapped = GradientStop {
        inner: solver,
        objective,
        scaling,
        stop,
    };
    let result = Executor::new(Standardised::new(objective, scaling), wrapped)
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

/// Wraps an argmin solver so that it stops once the norm of the standardised gradient is within
/// the tolerance (argmin's Newton-CG only watches the change of the cost), or, for an
/// unregularised logistic loss, once an iterate separates the training data.
pub(crate) struct GradientStop<'s, 'o, 'a, S> {
    inner: S,
    objective: &'o Objective<'a>,
    scaling: &'s Scaling,
    stop: Stop,
}

impl<'s, 'o, 'a, S, I> ArgminSolver<Standardised<'s, 'o, 'a>, I> for GradientStop<'s, 'o, 'a, S>
where
    S: ArgminSolver<Standardised<'s, 'o, 'a>, I>,
    I: State<Param = Array1<f64>>,
{
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn init(
        &mut self,
        problem: &mut ArgminProblem<Standardised<'s, 'o, 'a>>,
        state: I,
    ) -> std::result::Result<(I, Option<KV>), argmin::core::Error> {
        self.inner.init(problem, state)
    }

    fn next_iter(
        &mut self,
        problem: &mut ArgminProblem<Standardised<'s, 'o, 'a>>,
        state: I,
    ) -> std::result::Result<(I, Option<KV>), argmin::core::Error> {
        self.inner.next_iter(problem, state)
    }

    fn terminate(&mut self, state: &I) -> TerminationStatus {
        if let Some(v) = state.get_param() {
            let theta = self.scaling.to_raw(v);
            if let Ok((_, g)) = self.objective.value_and_gradient(&theta) {
                let g = self.scaling.gradient(&g);
                if g.dot(&g).sqrt() <= self.stop.tolerance {
                    return TerminationStatus::Terminated(TerminationReason::SolverConverged);
                }
            }
            if self.stop.separation && completely_separates(self.objective, &theta).unwrap_or(false)
            {
                return TerminationStatus::Terminated(TerminationReason::SolverExit(
                    "an iterate separates the training data".into(),
                ));
            }
        }
        self.inner.terminate(state)
    }
}
