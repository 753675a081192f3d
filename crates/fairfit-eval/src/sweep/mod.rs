//! Sweeps: run many mitigation methods on one train / validation / test split and collect every
//! fitted model as a point of one [`TradeoffCurve`], ready for Pareto fronts, plots and
//! "best accuracy at gap ≤ x" tables.
//!
//! A [`Sweep`] holds a list of [`Method`]s — the unmitigated model, warm-started penalty paths
//! over λ, warm-started fairness targets over ε, any pre-processing method of fairfit-data followed by the model, group-specific
//! thresholds over a tolerance grid — and the model's parameters (a
//! [`FairLogisticRegression`] builder). [`Sweep::run`] fits them all on the training split and
//! evaluates every model on train, validation and test with [`classification_metrics`]; on
//! validation and test every metric but the ROC AUC also gets a percentile bootstrap interval
//! ([`Sweep::resamples`], default [`DEFAULT_RESAMPLES`]; the model's decisions are resampled by
//! group, the model is not refitted). Choices
//! among the points are then made on validation and reported on test: [`SelectionTable`] (and
//! [`crate::pareto::best_at_gap`]) never look at the test metrics to choose. When one validation
//! split is too small to choose under a tight bound, [`Sweep::cross_validate`] gives every point
//! metrics of its pooled out-of-fold decisions, and [`CrossValidation::selection_curve`] puts
//! them in the validation metrics' place.
//!
//! ```
//! use fairfit_data::{split, synthetic::BiasedParams};
//! use fairfit_data::mitigation::Reweighing;
//! use fairfit_eval::curve::{names, Split};
//! use fairfit_eval::sweep::{Method, Sweep};
//! use fairfit_train::postprocess::Constraint;
//! let data = BiasedParams::new(1_200, 3)
//!     .groups(&[("a", 0.5), ("b", 0.5)])
//!     .label_bias("b", 0.6)
//!     .seed(3)
//!     .generate()?
//!     .data;
//! let splits = split::train_validation_test(&data, 0.25, 0.25, 7)?;
//! let outcome = Sweep::new(vec![
//!     Method::unmitigated(),
//!     Method::demographic_parity_path(vec![1.0, 10.0]),
//!     Method::preprocess(Reweighing::params()),
//!     Method::thresholds(Constraint::DemographicParity, vec![0.0, 0.05]),
//! ])
//! .run(&splits)?;
//! assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
//! assert_eq!(outcome.curve.len(), 6);
//! let baseline = &outcome.curve.points()[0];
//! assert!(baseline.metric(Split::Validation, names::DP_DIFFERENCE).is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod catalogue;
mod cross_validation;
mod intervals;
mod method;
mod metrics;
mod select;
#[cfg(test)]
mod tests;

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fairfit_data::split::TrainValTest;
use fairfit_data::FairDataset;
use fairfit_train::postprocess::{Constraint, Randomization, ThresholdOptimizer};
use fairfit_train::{
    FairLogisticRegression, FairParams, FittedLogistic, Logistic, ParamGuard, Target, TargetedFit,
    TargetedModel, TrainError, ValidFairParams,
};
use indicatif::{ProgressBar, ProgressStyle};
use ndarray::{Array1, ArrayView1};

use crate::bootstrap::{Bootstrap, BootstrapParams};
use crate::curve::{CurvePoint, Split, TradeoffCurve};
use crate::estimate::Estimate;
use intervals::SplitReplicates;

use crate::error::{EvalError, Result};
pub use catalogue::{every_method, Grids};
pub use cross_validation::{CrossValidation, Pooling};
pub use method::{FeatureRepair, Method, MethodKind, ScoreSource};
pub use metrics::{classification_metrics, decision_metrics};
pub use select::{SelectionRow, SelectionTable, ANY_METHOD};

/// Whether [`Sweep::run`] shows a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Progress {
    /// A bar on standard error when it is a terminal, nothing otherwise (the default).
    #[default]
    Auto,
    /// Never a bar.
    Hidden,
}

/// Bootstrap resamples per split and point unless [`Sweep::resamples`] says otherwise: enough for
/// stable 95% percentile intervals. Predictions are resampled, models are not refitted, and each
/// split's replicates are drawn once for all points: on Adult (the 143 points of
/// `compare_methods`, 7.5k validation and 15k test rows) the intervals add about 2 s to a 6.5 s
/// sweep on two cores; `resamples(0)` skips them.
pub const DEFAULT_RESAMPLES: usize = 200;

/// The splits whose metrics get bootstrap intervals: the held-out ones, on which models are
/// chosen and reported (training metrics describe the fit, not a sample of new cases).
pub const INTERVAL_SPLITS: [Split; 2] = [Split::Validation, Split::Test];

/// A sweep: methods to run and the model they train (builder; [`Sweep::run`] checks and runs).
#[derive(Debug)]
pub struct Sweep {
    methods: Vec<Method>,
    model: FairParams<Logistic>,
    progress: Progress,
    resamples: usize,
    level: f64,
    seed: u64,
}

/// One method at one parameter that could not be fitted or evaluated; the sweep went on.
#[derive(Debug)]
pub struct Failure {
    /// The method's name.
    pub method: String,
    /// The parameter, e.g. `lambda=100` (empty for methods without one).
    pub params: String,
    /// What went wrong.
    pub error: EvalError,
}

/// What a sweep produced: the curve of every point that succeeded, the failures, the time.
#[derive(Debug)]
pub struct SweepOutcome {
    /// One point per method and parameter, in method order (a path in the order of its grid),
    /// with metrics on train, validation and test and the fit time.
    pub curve: TradeoffCurve,
    /// The points that could not be produced, with the reason.
    pub failures: Vec<Failure>,
    /// Wall time of the whole run (fits and evaluations).
    pub elapsed: Duration,
}

impl Sweep {
    /// A sweep of `methods` training the default [`FairLogisticRegression`].
    pub fn new(methods: Vec<Method>) -> Self {
        Self {
            methods,
            model: FairLogisticRegression::params(),
            progress: Progress::Auto,
            resamples: DEFAULT_RESAMPLES,
            level: 0.95,
            seed: 0,
        }
    }

    /// Bootstrap resamples for the intervals of every point's metrics on [`INTERVAL_SPLITS`]
    /// (default [`DEFAULT_RESAMPLES`]); 0 computes no intervals, for fast runs.
    pub fn resamples(mut self, resamples: usize) -> Self {
        self.resamples = resamples;
        self
    }

    /// Confidence level of the intervals, in (0, 1) (default 0.95).
    pub fn interval_level(mut self, level: f64) -> Self {
        self.level = level;
        self
    }

    /// Seed of the bootstrap (default 0). Every point of a split is resampled with the same
    /// seed, hence the same resampled rows: the intervals of two points are comparable.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The parameters of the model every method trains (L2, solver, tolerance, ...). It must
    /// not carry penalties itself: the unmitigated model is fitted from it as given.
    pub fn model(mut self, params: FairParams<Logistic>) -> Self {
        self.model = params;
        self
    }

    /// Whether to show a progress bar.
    pub fn progress(mut self, progress: Progress) -> Self {
        self.progress = progress;
        self
    }

    /// The methods, in run order.
    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    /// Runs every method: fits on `data.train`, evaluates on all three splits.
    ///
    /// The unmitigated model is always fitted first: threshold methods post-process its scores
    /// and penalty paths start warm from it. Set-up errors stop the run (invalid grids or model
    /// parameters, splits with different columns or groups, an unmitigated model that cannot be
    /// fitted or evaluated); a method failing at one parameter is recorded in
    /// [`SweepOutcome::failures`] and the run goes on (a path then continues from its last
    /// successful fit).
    pub fn run(&self, data: &TrainValTest) -> Result<SweepOutcome> {
        self.check()?;
        let boot = self.bootstrap()?;
        let bar = self.bar(1);
        let outcome = self.run_keeping_decisions(data, boot.as_ref(), &bar);
        bar.finish_and_clear();
        Ok(outcome?.0)
    }

    /// [`Sweep::run`] once [`Sweep::check`] has passed, with the bootstrap and the progress bar
    /// given, also returning each point's decisions on the validation split (aligned with the
    /// curve's points), which cross-validation pools.
    fn run_keeping_decisions(
        &self,
        data: &TrainValTest,
        boot: Option<&Bootstrap>,
        bar: &ProgressBar,
    ) -> Result<(SweepOutcome, Vec<Array1<f64>>)> {
        let started = Instant::now();
        check_splits(data)?;
        let base = self.model.clone().check()?;
        let replicates = per_split(data, |k, d| match boot {
            Some(b) if INTERVAL_SPLITS.contains(&Split::ALL[k]) => {
                Ok(Some(SplitReplicates::new(b, d)?))
            }
            _ => Ok(None),
        })?;
        let replicates = &replicates;
        let evaluate = |model: &FittedLogistic, data: &TrainValTest, seconds: Duration| {
            evaluate(replicates, model, data, seconds)
        };

        let timer = Instant::now();
        let baseline = base.fit(&data.train)?;
        let baseline_scores = per_split(data, |_, d| Ok(baseline.predict_proba(d.records())?))?;
        let baseline_point = evaluate(&baseline, data, timer.elapsed())?;
        // Decoupled models are fitted once, when a method asks for them; a failure (a group
        // with one class) is recorded against each method that needed them.
        let mut decoupled: Option<std::result::Result<Scored, Arc<TrainError>>> = None;

        let mut curve = TradeoffCurve::new();
        let mut failures = Vec::new();
        let mut decisions = Vec::new();
        let mut record = |method: &Method, param: Option<(&str, f64)>, outcome: Result<Point>| {
            let params = param.map(|(n, v)| format!("{n}={v}")).unwrap_or_default();
            let pushed = outcome.and_then(|evaluated| {
                let Point {
                    metrics,
                    seconds,
                    held_out,
                } = evaluated;
                let mut point = CurvePoint::new(method.name()).with_fit_time(seconds);
                if let Some((name, value)) = param {
                    point = point.with_param(name, value);
                }
                for (split, values) in Split::ALL.into_iter().zip(metrics) {
                    for (name, value) in values {
                        point = point.with_metric(split, name, value);
                    }
                }
                curve.push(point)?;
                decisions.push(held_out);
                Ok(())
            });
            if let Err(error) = pushed {
                failures.push(Failure {
                    method: method.name().to_string(),
                    params,
                    error,
                });
            }
            bar.inc(1);
        };

        for method in &self.methods {
            bar.set_message(method.name().to_string());
            match method.kind() {
                MethodKind::Unmitigated => {
                    record(method, None, Ok(baseline_point.clone()));
                }
                MethodKind::PenaltyPath { penalty, lambdas } => {
                    let mut previous = baseline.clone();
                    for &lambda in lambdas {
                        let fitted = (|| {
                            let params = self
                                .model
                                .clone()
                                .penalty(penalty.clone(), lambda)
                                .check()?;
                            let timer = Instant::now();
                            let model = params.fit_warm(&data.train, &previous)?;
                            let point = evaluate(&model, data, timer.elapsed())?;
                            Ok((model, point))
                        })();
                        let point = fitted.map(|(model, point)| {
                            previous = model;
                            point
                        });
                        record(method, Some(("lambda", lambda)), point);
                    }
                }
                MethodKind::TargetPath {
                    statistics,
                    epsilons,
                    thresholds,
                } => {
                    let mut previous: Option<TargetedModel<Logistic>> = None;
                    for &epsilon in epsilons {
                        let fitted = (|| {
                            let targets = statistics
                                .iter()
                                .map(|&s| Target::gap(s, epsilon))
                                .collect();
                            let fit = TargetedFit::new(base.clone(), targets)?;
                            let timer = Instant::now();
                            let model = match &previous {
                                Some(prev) => fit.fit_warm(&data.train, prev)?,
                                None => fit.fit(&data.train)?,
                            };
                            let seconds = timer.elapsed();
                            let point = match thresholds {
                                None => evaluate(&model.model, data, seconds)?,
                                Some(constraint) => {
                                    let scores = per_split(data, |_, d| {
                                        Ok(model.model.predict_proba(d.records())?)
                                    })?;
                                    let rule = ThresholdRule {
                                        constraint: *constraint,
                                        randomization: Randomization::Forbidden,
                                        tolerance: epsilon,
                                    };
                                    let mut point = rule.evaluate(replicates, &scores, data)?;
                                    point.seconds += seconds;
                                    point
                                }
                            };
                            Ok((model, point))
                        })();
                        let point = fitted.map(|(model, point)| {
                            previous = Some(model);
                            point
                        });
                        record(method, Some(("epsilon", epsilon)), point);
                    }
                }
                MethodKind::Preprocess(pre) => {
                    let point = (|| {
                        let timer = Instant::now();
                        let train = pre.fit_transform(&data.train)?;
                        let model = base.fit(&train)?;
                        evaluate(&model, data, timer.elapsed())
                    })();
                    record(method, None, point);
                }
                MethodKind::Repair(repair) => {
                    let point = (|| {
                        let timer = Instant::now();
                        let fitted = repair.fit_repair(&data.train)?;
                        let repaired = TrainValTest {
                            train: fitted.transform(&data.train)?,
                            validation: fitted.transform(&data.validation)?,
                            test: fitted.transform(&data.test)?,
                        };
                        let model = base.fit(&repaired.train)?;
                        evaluate(&model, &repaired, timer.elapsed())
                    })();
                    record(method, None, point);
                }
                MethodKind::Thresholds {
                    scores,
                    constraint,
                    randomization,
                    tolerances,
                } => {
                    let (source, base_seconds) = match scores {
                        ScoreSource::Pooled => (Ok(&baseline_scores), Duration::ZERO),
                        ScoreSource::Decoupled => {
                            let fitted = decoupled.get_or_insert_with(|| {
                                decoupled_scores(&base, data).map_err(Arc::new)
                            });
                            match fitted {
                                Ok((s, t)) => (Ok(&*s), *t),
                                Err(e) => (Err(e.clone()), Duration::ZERO),
                            }
                        }
                    };
                    for &tolerance in tolerances {
                        let point = (|| {
                            let scores = source.clone().map_err(EvalError::BaseModel)?;
                            let rule = ThresholdRule {
                                constraint: *constraint,
                                randomization: *randomization,
                                tolerance,
                            };
                            let mut point = rule.evaluate(replicates, scores, data)?;
                            point.seconds += base_seconds;
                            Ok(point)
                        })();
                        record(method, Some(("tolerance", tolerance)), point);
                    }
                }
            }
        }
        let outcome = SweepOutcome {
            curve,
            failures,
            elapsed: started.elapsed(),
        };
        Ok((outcome, decisions))
    }

    /// The checked bootstrap settings, or `None` with 0 resamples.
    fn bootstrap(&self) -> Result<Option<Bootstrap>> {
        if self.resamples == 0 {
            return Ok(None);
        }
        let params = BootstrapParams::default()
            .resamples(self.resamples)
            .level(self.level)
            .seed(self.seed);
        Ok(Some(params.check()?))
    }

    /// Checks the grids and the model parameters before anything is fitted.
    fn check(&self) -> Result<()> {
        let invalid = |method: &str, name, reason: String| EvalError::InvalidMethodParameter {
            method: method.to_string(),
            name,
            reason,
        };
        if self.methods.is_empty() {
            return Err(invalid("sweep", "methods", "no method to run".into()));
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(invalid(
                "sweep",
                "interval_level",
                format!("the interval level must be in (0, 1), got {}", self.level),
            ));
        }
        let base = self.model.clone().check()?;
        if !base.penalties().is_empty() {
            return Err(invalid(
                "sweep",
                "model",
                "the model parameters carry penalties; give the plain model and add penalties \
                 as penalty-path methods"
                    .into(),
            ));
        }
        for method in &self.methods {
            let (name, grid) = match method.kind() {
                MethodKind::PenaltyPath { lambdas, .. } => ("lambdas", lambdas),
                MethodKind::Thresholds { tolerances, .. } => ("tolerances", tolerances),
                MethodKind::TargetPath {
                    statistics,
                    epsilons,
                    ..
                } => {
                    if statistics.is_empty() {
                        return Err(invalid(
                            method.name(),
                            "statistics",
                            "no statistic to bound".into(),
                        ));
                    }
                    if let Some(e) = epsilons.iter().find(|e| !(e.is_finite() && **e > 0.0)) {
                        return Err(invalid(
                            method.name(),
                            "epsilons",
                            format!("{e} is not a finite number > 0"),
                        ));
                    }
                    ("epsilons", epsilons)
                }
                _ => continue,
            };
            if grid.is_empty() {
                return Err(invalid(method.name(), name, "the grid is empty".into()));
            }
            if let Some(v) = grid.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
                return Err(invalid(
                    method.name(),
                    name,
                    format!("{v} is not a finite number ≥ 0"),
                ));
            }
        }
        Ok(())
    }

    /// A progress bar over `runs` runs of every method (hidden unless asked and on a terminal).
    fn bar(&self, runs: usize) -> ProgressBar {
        let total: usize = runs * self.methods.iter().map(Method::points).sum::<usize>();
        if self.progress == Progress::Hidden || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} {msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    }
}

/// One evaluated point of the curve.
#[derive(Debug, Clone)]
struct Point {
    /// Its metrics on train, validation and test.
    metrics: [Vec<(&'static str, Estimate)>; 3],
    /// The time its fit took.
    seconds: Duration,
    /// Its decisions on the validation split: the probability of the favourable decision of
    /// each row (0 or 1 unless the rule randomises).
    held_out: Array1<f64>,
}

/// Scores of the three splits and the time it took to fit the model that made them.
type Scored = ([Array1<f64>; 3], Duration);

/// Decoupled classifiers: one model per group fitted on the training split (timed), each split
/// scored row by row with its group's model.
fn decoupled_scores(
    base: &ValidFairParams<Logistic>,
    data: &TrainValTest,
) -> std::result::Result<Scored, TrainError> {
    let timer = Instant::now();
    let model = base.fit_decoupled(&data.train)?;
    let seconds = timer.elapsed();
    let [train, validation, test] =
        parts(data).map(|d| model.predict_proba(d.records(), d.groups()));
    Ok(([train?, validation?, test?], seconds))
}

/// Group-specific thresholds of one kind at one tolerance, as a point of the curve.
struct ThresholdRule {
    constraint: Constraint,
    randomization: Randomization,
    tolerance: f64,
}

impl ThresholdRule {
    /// Fits the rule on the training split's scores (`scores[0]`, timed) and returns the
    /// metrics of its decisions on every split, with the time the fit took.
    fn evaluate(
        &self,
        replicates: &Replicates<'_>,
        scores: &[Array1<f64>; 3],
        data: &TrainValTest,
    ) -> Result<Point> {
        let timer = Instant::now();
        let fitted = ThresholdOptimizer::params()
            .constraint(self.constraint)
            .randomization(self.randomization)
            .tolerance(self.tolerance)
            .fit(
                scores[0].view(),
                &data.train.labels()?,
                data.train.groups(),
                data.train.weights(),
            )?;
        let seconds = timer.elapsed();
        let decisions = per_split(data, |k, d| {
            Ok(fitted.decision_probability(scores[k].view(), d.groups())?)
        })?;
        let metrics = per_split(data, |k, d| {
            let p = decisions[k].view();
            with_intervals(replicates[k].as_ref(), decision_metrics(p, p, d)?, p, d)
        })?;
        let [_, held_out, _] = decisions;
        Ok(Point {
            metrics,
            seconds,
            held_out,
        })
    }
}

/// The metrics of a fitted model on train, validation and test, with intervals where asked, and
/// its decisions on validation.
fn evaluate(
    replicates: &Replicates<'_>,
    model: &FittedLogistic,
    data: &TrainValTest,
    seconds: Duration,
) -> Result<Point> {
    let mut held_out = Array1::zeros(0);
    let metrics = per_split(data, |k, d| {
        let p = model.predict_proba(d.records())?;
        let point = classification_metrics(p.view(), d)?;
        let decisions = metrics::decisions(p.view());
        let found = with_intervals(replicates[k].as_ref(), point, decisions.view(), d)?;
        if Split::ALL[k] == Split::Validation {
            held_out = decisions;
        }
        Ok(found)
    })?;
    Ok(Point {
        metrics,
        seconds,
        held_out,
    })
}

/// The bootstrap replicates of each split, in [`Split::ALL`] order: drawn for
/// [`INTERVAL_SPLITS`] when the sweep asks for intervals, `None` otherwise.
type Replicates<'a> = [Option<SplitReplicates<'a>>; 3];

/// The point metrics of `decision` on one split, with bootstrap intervals when the split's
/// `replicates` are given.
fn with_intervals(
    replicates: Option<&SplitReplicates<'_>>,
    point: Vec<(&'static str, f64)>,
    decision: ArrayView1<'_, f64>,
    data: &FairDataset,
) -> Result<Vec<(&'static str, Estimate)>> {
    let found = match replicates {
        Some(r) => r.intervals(decision, data)?,
        None => Vec::new(),
    };
    Ok(point
        .into_iter()
        .map(|(name, value)| {
            let interval = found.iter().find(|(n, _)| *n == name).map(|(_, i)| *i);
            (name, Estimate { value, interval })
        })
        .collect())
}

/// The three splits in [`Split::ALL`] order.
fn parts(data: &TrainValTest) -> [&FairDataset; 3] {
    [&data.train, &data.validation, &data.test]
}

/// `f` on each split, in [`Split::ALL`] order.
fn per_split<T>(
    data: &TrainValTest,
    mut f: impl FnMut(usize, &FairDataset) -> Result<T>,
) -> Result<[T; 3]> {
    let [train, validation, test] = parts(data);
    Ok([f(0, train)?, f(1, validation)?, f(2, test)?])
}

/// Validation and test must have the training split's columns and groups.
fn check_splits(data: &TrainValTest) -> Result<()> {
    for (split, other) in [
        (Split::Validation, &data.validation),
        (Split::Test, &data.test),
    ] {
        let mismatch = |reason: String| EvalError::MismatchedSplits { split, reason };
        if other.nfeatures() != data.train.nfeatures() {
            return Err(mismatch(format!(
                "{} features, training has {}",
                other.nfeatures(),
                data.train.nfeatures()
            )));
        }
        if other.groups().names() != data.train.groups().names() {
            return Err(mismatch(format!(
                "groups {:?}, training has {:?}",
                other.groups().names(),
                data.train.groups().names()
            )));
        }
        if other.nrows() == 0 {
            return Err(mismatch("no rows".into()));
        }
    }
    Ok(())
}
