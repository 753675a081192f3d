//! [`Strategy`]: what a sweep runs. A strategy fits its models along its own grid on the
//! training split (through [`Context`]) and hands each grid point to the sweep as a [`Fitted`]:
//! its decisions on every split, whether they are randomised, and the time the fit took. The
//! sweep evaluates the points, adds intervals and collects them into one curve.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use fairfit_data::split::TrainValTest;
use fairfit_data::FairDataset;
use fairfit_train::{FittedModel, Logistic, ModelKind, TrainError, ValidFairParams};
use ndarray::Array1;

use crate::error::{EvalError, Result};

/// A mitigation strategy: a named grid of models (or decision rules) that a
/// [`Sweep`](super::Sweep) fits on the training split and evaluates on every split.
///
/// fairfit implements it for the unmitigated model ([`super::Unmitigated`]), penalty paths
/// ([`super::Penalised`]), target paths ([`super::Targeted`]), pre-processing
/// ([`super::Preprocessed`], [`super::Repaired`]), group-specific thresholds
/// ([`super::Thresholded`]) and decoupled classifiers ([`super::Decoupled`]). A strategy of
/// one's own joins a sweep the same way:
///
/// ```
/// use fairfit::eval::sweep::{Context, Fitted, Points, Strategy};
/// /// Selects everybody: the constant rule a comparison should beat.
/// struct SelectAll;
/// impl Strategy for SelectAll {
///     fn name(&self) -> &str {
///         "select-all"
///     }
///     fn run(&self, context: &Context<'_>, points: &mut Points<'_>) {
///         let ones = context.splits_each(|d| ndarray::Array1::ones(d.nrows()));
///         points.push(&[], Ok(Fitted::rule(ones, false, std::time::Duration::ZERO)));
///     }
/// }
/// assert_eq!(SelectAll.grid_size(), 1);
/// ```
pub trait Strategy<K: ModelKind = Logistic>: Send + Sync {
    /// The name its points carry.
    fn name(&self) -> &str;

    /// How many points it yields when every fit succeeds (default 1), for progress.
    fn grid_size(&self) -> usize {
        1
    }

    /// Checks its grid and settings before anything is fitted (default: nothing to check).
    fn check(&self) -> Result<()> {
        Ok(())
    }

    /// Fits on `context`'s training split and pushes one point per grid value to `points`, in
    /// grid order; a value that fails is pushed as its error and the strategy goes on.
    fn run(&self, context: &Context<'_, K>, points: &mut Points<'_>);
}

/// Whether a point's decisions are a deterministic function of the row or may be a coin flip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Every row gets one decision.
    Deterministic,
    /// Some rows may get the favourable decision with a probability strictly between 0 and 1;
    /// the metrics are expectations over the coin flips.
    Randomised,
}

/// What a strategy produced at one grid point, on train, validation and test (in
/// [`Split::ALL`](crate::curve::Split::ALL) order).
#[derive(Debug, Clone)]
pub enum Decisions {
    /// A model's predictions: probabilities for a logistic model (decided at 1/2, the ROC AUC
    /// ranks by them), values for a linear one.
    Model([Array1<f64>; 3]),
    /// A decision rule's probability of the favourable decision for each row (0 or 1 unless
    /// the rule randomises).
    Rule {
        /// The probabilities per split.
        probabilities: [Array1<f64>; 3],
        /// Whether the rule may randomise.
        randomised: bool,
    },
}

/// One point of a strategy: its decisions on every split and the time its fit took.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The decisions.
    pub decisions: Decisions,
    /// Wall time of the fit (not of the evaluation).
    pub fit_time: Duration,
}

impl Fitted {
    /// A model's predictions on each split (see [`Decisions::Model`]).
    pub fn model(predictions: [Array1<f64>; 3], fit_time: Duration) -> Self {
        Self {
            decisions: Decisions::Model(predictions),
            fit_time,
        }
    }

    /// A rule's decision probabilities on each split (see [`Decisions::Rule`]).
    pub fn rule(probabilities: [Array1<f64>; 3], randomised: bool, fit_time: Duration) -> Self {
        Self {
            decisions: Decisions::Rule {
                probabilities,
                randomised,
            },
            fit_time,
        }
    }

    /// Whether the point is a randomised rule: one that may flip a coin for some rows (even if
    /// on these splits it happens not to), whose metrics are expectations.
    pub fn rule_kind(&self) -> Rule {
        match &self.decisions {
            Decisions::Rule {
                randomised: true, ..
            } => Rule::Randomised,
            _ => Rule::Deterministic,
        }
    }
}

/// A grid point of a strategy: its parameters and what was fitted, or why not.
pub(crate) struct GridPoint {
    /// Parameter names and values, e.g. `[("lambda", 0.1)]`.
    pub(crate) params: Vec<(String, f64)>,
    pub(crate) fitted: Result<Fitted>,
}

/// Where a strategy puts its points (see [`Strategy::run`]).
pub struct Points<'a> {
    sink: &'a mut dyn FnMut(GridPoint),
}

impl<'a> Points<'a> {
    /// Points handed to `sink` as they come.
    pub(crate) fn new(sink: &'a mut dyn FnMut(GridPoint)) -> Self {
        Self { sink }
    }

    /// Adds the point at parameters `params` (e.g. `&[("lambda", 0.1)]`; empty for a strategy
    /// without a grid), or its failure.
    pub fn push(&mut self, params: &[(&str, f64)], fitted: Result<Fitted>) {
        (self.sink)(GridPoint {
            params: params.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
            fitted,
        });
    }
}

/// Scores of the three splits and the time it took to fit the model that made them.
type Scored = ([Array1<f64>; 3], Duration);

/// What a strategy may use: the splits, the sweep's model parameters and the unmitigated model
/// (fitted once for all strategies), and the decoupled models (fitted once, when first asked).
pub struct Context<'a, K: ModelKind = Logistic> {
    splits: &'a TrainValTest,
    params: &'a ValidFairParams<K>,
    baseline: &'a FittedModel<K>,
    baseline_predictions: &'a Scored,
    decoupled: OnceLock<std::result::Result<Scored, Arc<TrainError>>>,
}

impl<'a, K: ModelKind> Context<'a, K> {
    /// The context of one run.
    pub(crate) fn new(
        splits: &'a TrainValTest,
        params: &'a ValidFairParams<K>,
        baseline: &'a FittedModel<K>,
        baseline_predictions: &'a Scored,
    ) -> Self {
        Self {
            splits,
            params,
            baseline,
            baseline_predictions,
            decoupled: OnceLock::new(),
        }
    }

    /// The train / validation / test splits.
    pub fn splits(&self) -> &TrainValTest {
        self.splits
    }

    /// `f` on each split, in [`Split::ALL`](crate::curve::Split::ALL) order.
    pub fn splits_each<T>(&self, mut f: impl FnMut(&FairDataset) -> T) -> [T; 3] {
        parts(self.splits).map(&mut f)
    }

    /// The parameters of the model every strategy trains (without penalties).
    pub fn params(&self) -> &ValidFairParams<K> {
        self.params
    }

    /// The unmitigated model, fitted on the training split.
    pub fn baseline(&self) -> &FittedModel<K> {
        self.baseline
    }

    /// The unmitigated model's predictions on every split and the time its fit took.
    pub fn baseline_predictions(&self) -> (&[Array1<f64>; 3], Duration) {
        (&self.baseline_predictions.0, self.baseline_predictions.1)
    }

    /// The decoupled classifiers' predictions (one unmitigated model per group, fitted on that
    /// group's training rows, each row predicted by its group's model) on every split, and the
    /// time their fit took; fitted on first use and shared by every strategy of the run.
    pub fn decoupled_predictions(&self) -> Result<(&[Array1<f64>; 3], Duration)> {
        let fitted = self.decoupled.get_or_init(|| {
            let timer = Instant::now();
            let model = self.params.fit_decoupled(&self.splits.train)?;
            let time = timer.elapsed();
            let [train, validation, test] = self
                .splits_each(|d| model.predict_proba(d.records(), d.groups()))
                .map(|p| p.map_err(Arc::new));
            Ok(([train?, validation?, test?], time))
        });
        match fitted {
            Ok((p, t)) => Ok((p, *t)),
            Err(e) => Err(EvalError::BaseModel(e.clone())),
        }
    }

    /// A model's predictions on every split of `splits` (normally [`Context::splits`], or the
    /// same splits transformed as the model's training data was): probabilities for a
    /// logistic model, values for a linear one.
    pub fn predict(
        &self,
        model: &FittedModel<K>,
        splits: &TrainValTest,
    ) -> Result<[Array1<f64>; 3]> {
        let [train, validation, test] = parts(splits).map(|d| predictions(model, d));
        Ok([train?, validation?, test?])
    }
}

/// A model's predictions on one data set (see [`Context::predict`]).
pub(crate) fn predictions<K: ModelKind>(
    model: &FittedModel<K>,
    data: &FairDataset,
) -> Result<Array1<f64>> {
    Ok(model
        .decision_function(data.records())?
        .mapv(|s| K::LOSS.predict(s)))
}

/// The three splits in [`Split::ALL`](crate::curve::Split::ALL) order.
pub(crate) fn parts(data: &TrainValTest) -> [&FairDataset; 3] {
    [&data.train, &data.validation, &data.test]
}

/// Checks a strategy's grid: not empty, every value finite and ≥ 0 (> 0 when `positive`).
pub(crate) fn check_grid(
    strategy: &str,
    name: &'static str,
    grid: &[f64],
    positive: bool,
) -> Result<()> {
    let invalid = |reason: String| EvalError::InvalidMethodParameter {
        method: strategy.to_string(),
        name,
        reason,
    };
    if grid.is_empty() {
        return Err(invalid("the grid is empty".into()));
    }
    let bad = |v: f64| !(v.is_finite() && (v > 0.0 || (!positive && v == 0.0)));
    match grid.iter().find(|v| bad(**v)) {
        Some(v) if positive => Err(invalid(format!("{v} is not a finite number > 0"))),
        Some(v) => Err(invalid(format!("{v} is not a finite number ≥ 0"))),
        None => Ok(()),
    }
}

/// Records a strategy that could not start: `error` at the first value of `grid` (parameter
/// `param`), and at each later value a failure saying why it was not fitted.
pub(crate) fn fail_each(
    points: &mut Points<'_>,
    strategy: &str,
    param: &str,
    grid: &[f64],
    error: EvalError,
) {
    let reason = error.to_string();
    let mut error = Some(error);
    for &value in grid {
        let failure = error
            .take()
            .unwrap_or_else(|| EvalError::InvalidMethodParameter {
                method: strategy.to_string(),
                name: "grid",
                reason: format!("not fitted: {reason}"),
            });
        points.push(&[(param, value)], Err(failure));
    }
}
