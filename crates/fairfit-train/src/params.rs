//! Hyper-parameters in linfa's style: a builder ([`FairParams`]) checked into
//! [`ValidFairParams`] (via linfa's [`ParamGuard`]), whose `fit` returns a model or a typed error.

use std::marker::PhantomData;

use fairfit_data::FairDataset;
use linfa::ParamGuard;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use crate::design::Layout;
use crate::error::{Result, TrainError};
use crate::loss::{Linear, Logistic, ModelKind};
use crate::model::FittedModel;
use crate::objective::Objective;
use crate::penalty::Penalty;
use crate::solver::{minimize, Settings, Solver};

/// Fairness-penalised logistic regression (binary labels): the entry point to its parameters.
///
/// ```
/// use fairfit_data::{FairDataset, SensitiveAttribute};
/// use fairfit_train::{FairLogisticRegression, Penalty};
/// use linfa::traits::Predict;
/// use ndarray::{array, Array1};
/// let group = SensitiveAttribute::from_values("g", &["a", "a", "b", "b", "a", "b"], None)?;
/// let data = FairDataset::new(
///     array![[0.0], [1.0], [2.0], [3.0], [1.5], [0.5]],
///     array![0.0, 0.0, 1.0, 1.0, 1.0, 0.0],
///     vec![group],
/// )?;
/// let model = FairLogisticRegression::params()
///     .l2(1e-2)
///     .penalty(Penalty::demographic_parity(), 0.5)
///     .fit(&data)?;
/// assert!(model.report().is_some_and(|r| r.converged()));
/// let labels: Array1<bool> = model.predict(&array![[3.0], [-3.0]]);
/// assert_eq!(labels.to_vec(), vec![true, false]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct FairLogisticRegression;

impl FairLogisticRegression {
    /// Default parameters: `l2 = 1e-4`, no penalty, gradient tolerance `1e-6`, 1,000 iterations.
    pub fn params() -> FairParams<Logistic> {
        FairParams::default()
    }
}

/// Fairness-penalised linear regression (least squares on real targets).
#[derive(Debug, Clone, Copy, Default)]
pub struct FairLinearRegression;

impl FairLinearRegression {
    /// Default parameters: `l2 = 1e-4`, no penalty, gradient tolerance `1e-6`, 1,000 iterations.
    pub fn params() -> FairParams<Linear> {
        FairParams::default()
    }
}

/// Checked hyper-parameters of a fair linear or logistic model; `fit` trains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct ValidFairParams<K: ModelKind> {
    l2: f64,
    #[serde(default)]
    l1: f64,
    #[serde(default = "default_l1_smoothing")]
    l1_smoothing: f64,
    penalties: Vec<(Penalty, f64)>,
    max_iterations: u64,
    gradient_tolerance: f64,
    solver: Solver,
    layout: Layout,
    #[serde(skip)]
    kind: PhantomData<K>,
}

/// Unchecked hyper-parameters (a builder); [`ParamGuard::check`] validates them, and
/// [`FairParams::fit`] checks then fits.
#[derive(Debug, Clone, PartialEq)]
pub struct FairParams<K: ModelKind>(ValidFairParams<K>);

impl<K: ModelKind> Default for FairParams<K> {
    fn default() -> Self {
        Self(ValidFairParams {
            l2: 1e-4,
            l1: 0.0,
            l1_smoothing: default_l1_smoothing(),
            penalties: Vec::new(),
            max_iterations: 1000,
            gradient_tolerance: 1e-6,
            solver: Solver::Auto,
            layout: Layout::Auto,
            kind: PhantomData,
        })
    }
}

impl<K: ModelKind> FairParams<K> {
    /// The L2 weight on the coefficients (not the intercept), relative to the *mean* loss:
    /// `(l2/2)‖w‖²`. linfa's `alpha` on a summed loss corresponds to `alpha = n · l2`.
    pub fn l2(mut self, l2: f64) -> Self {
        self.0.l2 = l2;
        self
    }

    /// The L1 weight on the coefficients (not the intercept), relative to the mean loss, in its
    /// smooth (pseudo-Huber) form `l1 · Σ_j (√(w_j² + δ²) − δ)` with δ the
    /// [`smoothing`](FairParams::l1_smoothing): `l1·|w_j|` away from 0, quadratic within δ of
    /// it. Smooth, so the same solvers (and the Newton Hessian) apply; coefficients the data do
    /// not support end within about δ of 0 rather than exactly at 0. Default 0 (no L1).
    pub fn l1(mut self, l1: f64) -> Self {
        self.0.l1 = l1;
        self
    }

    /// The width δ > 0 of the L1 term's quadratic zone (default 1e-4); smaller is closer to
    /// `|w|` and harder for the solver.
    pub fn l1_smoothing(mut self, delta: f64) -> Self {
        self.0.l1_smoothing = delta;
        self
    }

    /// Adds a fairness penalty with weight λ (several may be added; they sum).
    pub fn penalty(mut self, penalty: Penalty, lambda: f64) -> Self {
        self.0.penalties.push((penalty, lambda));
        self
    }

    /// Removes every penalty.
    pub fn without_penalties(mut self) -> Self {
        self.0.penalties.clear();
        self
    }

    /// The solver's iteration cap.
    pub fn max_iterations(mut self, max_iterations: u64) -> Self {
        self.0.max_iterations = max_iterations;
        self
    }

    /// Converged means: Euclidean norm of the objective's gradient at most this.
    pub fn gradient_tolerance(mut self, tolerance: f64) -> Self {
        self.0.gradient_tolerance = tolerance;
        self
    }

    /// The argmin solver.
    pub fn solver(mut self, solver: Solver) -> Self {
        self.0.solver = solver;
        self
    }

    /// How the features are stored while fitting.
    pub fn layout(mut self, layout: Layout) -> Self {
        self.0.layout = layout;
        self
    }

    /// Checks the parameters, then fits (see [`ValidFairParams::fit`]).
    pub fn fit(&self, data: &FairDataset) -> Result<FittedModel<K>> {
        self.check_ref()?.fit(data)
    }
}

impl<K: ModelKind> ParamGuard for FairParams<K> {
    type Checked = ValidFairParams<K>;
    type Error = TrainError;

    fn check_ref(&self) -> Result<&Self::Checked> {
        let p = &self.0;
        non_negative("l2", p.l2)?;
        non_negative("l1", p.l1)?;
        if !(p.l1_smoothing.is_finite() && p.l1_smoothing > 0.0) {
            return Err(TrainError::InvalidParameter {
                name: "l1_smoothing",
                reason: format!("must be finite and positive, got {}", p.l1_smoothing),
            });
        }
        for (penalty, lambda) in &p.penalties {
            non_negative("lambda", *lambda)?;
            penalty.validate(K::LOSS, K::NAME)?;
        }
        if !(p.gradient_tolerance.is_finite() && p.gradient_tolerance > 0.0) {
            return Err(TrainError::InvalidParameter {
                name: "gradient_tolerance",
                reason: format!("must be finite and positive, got {}", p.gradient_tolerance),
            });
        }
        if p.max_iterations == 0 {
            return Err(TrainError::InvalidParameter {
                name: "max_iterations",
                reason: "must be at least 1".into(),
            });
        }
        if let Solver::Lbfgs { memory: 0 } = p.solver {
            return Err(TrainError::InvalidParameter {
                name: "memory",
                reason: "L-BFGS needs at least one correction pair".into(),
            });
        }
        Ok(p)
    }

    fn check(self) -> Result<Self::Checked> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// The default width of the smooth L1 term's quadratic zone.
fn default_l1_smoothing() -> f64 {
    1e-4
}

/// Fails unless `value` is finite and `≥ 0`.
pub(crate) fn non_negative(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(TrainError::InvalidParameter {
            name,
            reason: format!("must be finite and non-negative, got {value}"),
        })
    }
}

impl<K: ModelKind> ValidFairParams<K> {
    /// The L2 weight.
    pub fn l2_penalty(&self) -> f64 {
        self.l2
    }

    /// The L1 weight and the width of its smoothing.
    pub fn l1_penalty(&self) -> (f64, f64) {
        (self.l1, self.l1_smoothing)
    }

    /// The penalties and their weights λ.
    pub fn penalties(&self) -> &[(Penalty, f64)] {
        &self.penalties
    }

    /// The iteration cap.
    pub fn max_iterations(&self) -> u64 {
        self.max_iterations
    }

    /// The gradient-norm tolerance.
    pub fn gradient_tolerance(&self) -> f64 {
        self.gradient_tolerance
    }

    /// The solver.
    pub fn solver(&self) -> Solver {
        self.solver
    }

    /// The feature layout.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    pub(crate) fn settings(&self) -> Settings {
        Settings {
            solver: self.solver,
            max_iterations: self.max_iterations,
            gradient_tolerance: self.gradient_tolerance,
        }
    }

    /// Fits from zero coefficients and zero intercept.
    ///
    /// Errors: invalid data for the model kind ([`TrainError::NotBinary`],
    /// [`TrainError::SingleClass`], [`TrainError::NonFinite`]), a group lacking the rows a
    /// penalty needs ([`TrainError::EmptyCell`]), or [`TrainError::NotConverged`] carrying the
    /// last iterate and the report.
    pub fn fit(&self, data: &FairDataset) -> Result<FittedModel<K>> {
        let objective = Objective::new(data, self)?;
        solve(&objective, self, Array1::zeros(objective.dim()))
    }

    /// Fits starting from a previous model's coefficients (a warm start: along a λ path this
    /// cuts the iterations several-fold).
    pub fn fit_warm(
        &self,
        data: &FairDataset,
        previous: &FittedModel<K>,
    ) -> Result<FittedModel<K>> {
        let objective = Objective::new(data, self)?;
        solve(&objective, self, previous.parameters_for(objective.dim())?)
    }
}

/// Minimises a prepared objective from `init` and wraps the result.
pub(crate) fn solve<K: ModelKind>(
    objective: &Objective<'_>,
    params: &ValidFairParams<K>,
    init: Array1<f64>,
) -> Result<FittedModel<K>> {
    let (theta, report) = minimize(objective, init, &params.settings())?;
    let d = theta.len() - 1;
    let coefficients = theta.slice(ndarray::s![..d]).to_owned();
    let intercept = theta[d];
    if report.converged() {
        Ok(FittedModel::from_parts(
            coefficients,
            intercept,
            Some(report),
        ))
    } else {
        Err(TrainError::NotConverged {
            report: Box::new(report),
            coefficients,
            intercept,
        })
    }
}
