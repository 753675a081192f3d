//! Hyper-parameters in linfa's style: a builder ([`FairParams`]) checked into
//! [`ValidFairParams`] (via linfa's [`ParamGuard`]), whose `fit` returns a model or a typed error.
//!
//! Both implement linfa's own [`Fit`] and [`FitWith`] (the warm start), on a
//! [`linfa::DatasetBase`] whose records are a [`FairDataset`] (borrowed without copying by
//! [`FairDataset::as_linfa`]) and whose targets are `()`: the labels, the sensitive groups a
//! penalty compares and the `f64` weights travel together in the records. The inherent
//! [`FairParams::fit`] and [`ValidFairParams::fit_warm`] take a [`FairDataset`] directly and do
//! the same; in method-call syntax the inherent `fit` is the one found, so generic linfa code
//! reaches the trait through its bound (or as `Fit::fit(&params, &data.as_linfa())`).
//!
//! ```
//! use fairfit::data::{FairDataset, SensitiveAttribute};
//! use fairfit::train::{FairLogisticRegression, FittedLogistic, Penalty, TrainError};
//! use linfa::traits::{Fit, FitWith};
//! use ndarray::array;
//! let g = SensitiveAttribute::from_values("g", &["a", "a", "b", "b", "a", "b"], None)?;
//! let data = FairDataset::new(
//!     array![[0.0], [1.0], [2.0], [3.0], [1.5], [0.5]],
//!     array![0.0, 0.0, 1.0, 1.0, 1.0, 0.0],
//!     vec![g],
//! )?;
//! let params = FairLogisticRegression::params().penalty(Penalty::demographic_parity(), 0.5);
//! let cold: FittedLogistic = Fit::fit(&params, &data.as_linfa())?;
//! let warm = params.fit_with(Some(&cold), &data.as_linfa())?; // starts at the optimum
//! assert!(warm.report().is_some_and(|r| r.iterations <= 1));
//! # Ok::<(), TrainError>(())
//! ```

use std::borrow::Borrow;
use std::marker::PhantomData;

use fairfit_data::FairDataset;
use linfa::dataset::Records;
use linfa::traits::{Fit, FitWith};
use linfa::{DatasetBase, ParamGuard};
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use crate::design::Layout;
use crate::error::{Result, TrainError};
use crate::loss::{Linear, Logistic, Loss, ModelKind};
use crate::model::FittedModel;
use crate::objective::{Objective, ObjectiveParams};
use crate::penalty::Penalty;
use crate::solver::{minimize, Settings, Solver};

/// Fairness-penalised logistic regression (binary labels): the entry point to its parameters.
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use fairfit::train::{FairLogisticRegression, Penalty};
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

/// Checked hyper-parameters of a fair linear or logistic model; `fit` trains it. Loaded from
/// JSON they are checked as [`ParamGuard`] checks them (unknown fields are refused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "", try_from = "ParamsFile")]
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

/// [`ValidFairParams`] as saved, checked into them on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamsFile {
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
}

impl<K: ModelKind> TryFrom<ParamsFile> for ValidFairParams<K> {
    type Error = TrainError;

    fn try_from(file: ParamsFile) -> Result<Self> {
        FairParams(ValidFairParams {
            l2: file.l2,
            l1: file.l1,
            l1_smoothing: file.l1_smoothing,
            penalties: file.penalties,
            max_iterations: file.max_iterations,
            gradient_tolerance: file.gradient_tolerance,
            solver: file.solver,
            layout: file.layout,
            kind: PhantomData,
        })
        .check()
    }
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

    /// Converged means: the Euclidean norm of the objective's gradient with respect to the
    /// coefficients of the *standardised* features (each column centred and divided by its
    /// standard deviation; the intercept as is) is at most this. For features already
    /// standardised this is the plain gradient norm; for others it does not depend on their
    /// units, so a feature in millimetres converges as one in metres.
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

impl<K: ModelKind> ObjectiveParams for ValidFairParams<K> {
    type Kind = K;

    fn l2_penalty(&self) -> f64 {
        self.l2
    }

    fn l1_penalty(&self) -> (f64, f64) {
        (self.l1, self.l1_smoothing)
    }

    fn layout(&self) -> Layout {
        self.layout
    }

    fn penalties(&self) -> &[(Penalty, f64)] {
        &self.penalties
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
            unregularised_logistic: K::LOSS == Loss::Logistic && self.l2 == 0.0 && self.l1 == 0.0,
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

/// linfa's `Fit`: trains from zero on a data set whose records are (or borrow) a
/// [`FairDataset`], exactly as [`ValidFairParams::fit`]. The unchecked [`FairParams`] get `Fit`
/// from linfa's blanket implementation over [`ParamGuard`].
impl<K, R> Fit<R, (), TrainError> for ValidFairParams<K>
where
    K: ModelKind,
    R: Records + Borrow<FairDataset>,
{
    type Object = FittedModel<K>;

    fn fit(&self, dataset: &DatasetBase<R, ()>) -> Result<FittedModel<K>> {
        ValidFairParams::fit(self, dataset.records.borrow())
    }
}

/// linfa's `FitWith`: `Some(previous)` warm-starts from a previous model's coefficients (as
/// [`ValidFairParams::fit_warm`]), `None` trains from zero.
impl<'a, K, R> FitWith<'a, R, (), TrainError> for ValidFairParams<K>
where
    K: ModelKind,
    R: Records + Borrow<FairDataset>,
{
    type ObjectIn = Option<&'a FittedModel<K>>;
    type ObjectOut = FittedModel<K>;

    fn fit_with(
        &self,
        previous: Self::ObjectIn,
        dataset: &'a DatasetBase<R, ()>,
    ) -> Result<FittedModel<K>> {
        let data: &FairDataset = dataset.records.borrow();
        match previous {
            Some(previous) => self.fit_warm(data, previous),
            None => ValidFairParams::fit(self, data),
        }
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

#[cfg(test)]
mod tests {
    use fairfit_data::synthetic::BiasedParams;
    use linfa::traits::{Fit, FitWith};
    use linfa::DatasetBase;

    use super::*;
    use crate::FairLinearRegression;

    fn data() -> FairDataset {
        BiasedParams::new(300, 3)
            .label_bias("b", 0.4)
            .seed(5)
            .generate()
            .expect("valid synthetic parameters")
            .data
    }

    /// Saved parameters are checked as the builder checks them (issue 13).
    #[test]
    fn saved_parameters_are_checked_on_load() {
        let params = FairLogisticRegression::params()
            .penalty(Penalty::demographic_parity(), 2.0)
            .check()
            .unwrap();
        let json = serde_json::to_string(&params).unwrap();
        assert_eq!(
            serde_json::from_str::<ValidFairParams<Logistic>>(&json).unwrap(),
            params
        );
        for (from, to, expected) in [
            (r#""l2":0.0001"#, r#""l2":-1.0"#, "invalid parameter `l2`"),
            (
                r#""max_iterations":1000"#,
                r#""max_iterations":0"#,
                "`max_iterations`",
            ),
            (
                r#""gradient_tolerance":1e-6"#,
                r#""gradient_tolerance":0.0"#,
                "`gradient_tolerance`",
            ),
            (r#""l2":"#, r#""alpha":1,"l2":"#, "unknown field `alpha`"),
            (
                r#""aggregate":"SquaredGap""#,
                r#""aggregate":{"SmoothMax":{"temperature":-1.0}}"#,
                "`temperature`",
            ),
            (
                r#""aggregate":"SquaredGap""#,
                r#""aggregate":"SquaredGap","weight":2"#,
                "unknown field `weight`",
            ),
        ] {
            assert!(json.contains(from), "{json} lacks {from}");
            let err =
                serde_json::from_str::<ValidFairParams<Logistic>>(&json.replacen(from, to, 1))
                    .unwrap_err()
                    .to_string();
            assert!(err.contains(expected), "{from} → {to}: {err}");
        }
    }

    #[test]
    fn linfa_fit_and_fit_with_match_the_inherent_fits() {
        let data = data();
        let params = FairLogisticRegression::params().penalty(Penalty::demographic_parity(), 2.0);
        let inherent = params.fit(&data).unwrap();
        // Borrowed and owned records, unchecked and checked params: one model.
        let borrowed: FittedModel<Logistic> = Fit::fit(&params, &data.as_linfa()).unwrap();
        let owned: FittedModel<Logistic> =
            Fit::fit(&params, &DatasetBase::new(data.clone(), ())).unwrap();
        let checked = params.clone().check().unwrap();
        let from_checked: FittedModel<Logistic> = Fit::fit(&checked, &data.as_linfa()).unwrap();
        for model in [&borrowed, &owned, &from_checked] {
            assert_eq!(model.coefficients(), inherent.coefficients());
            assert_eq!(model.intercept(), inherent.intercept());
        }
        let cold = params.fit_with(None, &data.as_linfa()).unwrap();
        assert_eq!(cold.coefficients(), inherent.coefficients());
        // A warm start from a less penalised model is the inherent warm start.
        let start = FairLogisticRegression::params().fit(&data).unwrap();
        let warm = params.fit_with(Some(&start), &data.as_linfa()).unwrap();
        let inherent_warm = checked.fit_warm(&data, &start).unwrap();
        assert_eq!(warm.coefficients(), inherent_warm.coefficients());
        let iterations = |m: &FittedModel<Logistic>| m.report().map(|r| r.iterations);
        assert!(iterations(&warm) < iterations(&inherent));
    }

    #[test]
    fn linfa_fit_reports_the_typed_errors() {
        let data = data();
        let bad = FairLogisticRegression::params().l2(-1.0);
        let err = Fit::fit(&bad, &data.as_linfa()).unwrap_err();
        assert!(
            matches!(err, TrainError::InvalidParameter { name: "l2", .. }),
            "{err}"
        );
        let real = data
            .clone()
            .with_targets(Array1::linspace(0.0, 1.0, data.nrows()))
            .unwrap();
        let err = Fit::fit(&FairLogisticRegression::params(), &real.as_linfa()).unwrap_err();
        assert!(matches!(err, TrainError::NotBinary { .. }), "{err}");
        // The linear model takes the same real targets.
        let linear: FittedModel<Linear> =
            Fit::fit(&FairLinearRegression::params(), &real.as_linfa()).unwrap();
        assert_eq!(linear.coefficients().len(), data.nfeatures());
    }
}
