//! Sweeps: run many mitigation strategies on one train / validation / test split and collect
//! every fitted model as a point of one [`TradeoffCurve`](crate::curve::TradeoffCurve), ready
//! for Pareto fronts, plots and "best accuracy at gap ≤ x" tables.
//!
//! A [`Sweep`] is a thin orchestrator over [`Strategy`]s and the model they train
//! ([`FairParams`] of a logistic or a linear model). It fits the unmitigated model once, lets
//! every strategy fit its own grid — the unmitigated model ([`Unmitigated`]), warm-started
//! penalty paths over λ ([`Penalised`]), warm-started fairness targets over ε ([`Targeted`]),
//! any pre-processing method of fairfit-data followed by the model ([`Preprocessed`],
//! [`Repaired`]), group-specific thresholds ([`Thresholded`]), decoupled classifiers
//! ([`Decoupled`]), the reductions of Agarwal et al. ([`ExpGradient`], [`GridSearched`]) or a
//! strategy of one's own — and evaluates every point on train, validation
//! and test ([`classification_metrics`], or [`regression_metrics`] for a linear model). On
//! validation and test every classification metric but the ROC AUC also gets a percentile
//! bootstrap interval ([`Sweep::resamples`], default [`DEFAULT_RESAMPLES`]; the decisions are
//! resampled by group, the model is not refitted). Choices among the points are then made on
//! validation and reported on test: [`SelectionTable`] (and [`crate::pareto::best_at_gap`])
//! never look at the test metrics to choose. When one validation split is too small to choose
//! under a tight bound, [`Sweep::cross_validate`] gives every point metrics of its pooled
//! out-of-fold decisions, and [`CrossValidation::selection_curve`] puts them in the validation
//! metrics' place.
//!
//! ```
//! use fairfit::data::{split, synthetic::BiasedParams};
//! use fairfit::data::mitigation::Reweighing;
//! use fairfit::eval::curve::{names, Split};
//! use fairfit::eval::sweep::{Penalised, Preprocessed, Sweep, Thresholded, Unmitigated};
//! use fairfit::train::postprocess::Constraint;
//! let data = BiasedParams::new(1_200, 3)
//!     .groups(&[("a", 0.5), ("b", 0.5)])
//!     .label_bias("b", 0.6)
//!     .seed(3)
//!     .generate()?
//!     .data;
//! let splits = split::train_validation_test(&data, 0.25, 0.25, 7)?;
//! let outcome = Sweep::new(vec![
//!     Box::new(Unmitigated::new()),
//!     Box::new(Penalised::demographic_parity(vec![1.0, 10.0])),
//!     Box::new(Preprocessed::new(Reweighing::params())),
//!     Box::new(Thresholded::new(Constraint::DemographicParity, vec![0.0, 0.05])),
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
mod evaluate;
mod intervals;
mod metrics;
mod outcome;
mod penalty;
mod preprocess;
mod reductions;
mod select;
mod strategy;
mod targets;
#[cfg(test)]
mod tests;
mod thresholds;

use std::io::IsTerminal;
use std::time::Instant;

use fairfit_data::split::TrainValTest;
use fairfit_train::{FairLogisticRegression, FairParams, Logistic, ModelKind, ParamGuard};
use indicatif::{ProgressBar, ProgressStyle};
use ndarray::Array1;

use crate::bootstrap::{Bootstrap, BootstrapParams};
use crate::curve::{CurvePoint, Split};
use crate::error::{EvalError, Result};
pub(crate) use evaluate::with_intervals;
use evaluate::{check_splits, evaluate, Replicates};
pub(crate) use intervals::SplitReplicates;
use strategy::{predictions, GridPoint};

pub use catalogue::{every_strategy, Grids};
pub use cross_validation::{CrossValidation, Pooling};
pub use evaluate::PointInfo;
pub use metrics::{classification_metrics, decision_metrics, regression_metrics, regression_names};
pub use outcome::{Failure, SweepOutcome};
pub use penalty::{Penalised, Unmitigated};
pub use preprocess::{FeatureRepair, Preprocessed, Repaired};
pub use reductions::{Choice, ExpGradient, GridSearched, RandomisedPoint};
pub use select::{SelectionRow, SelectionTable, ANY_METHOD};
pub use strategy::{Context, Decisions, Fitted, Points, Rule, Strategy};
pub use targets::Targeted;
pub use thresholds::{Decoupled, Thresholded};

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

/// A sweep: the strategies to run and the model they train (builder; [`Sweep::run`] checks and
/// runs).
pub struct Sweep<K: ModelKind = Logistic> {
    strategies: Vec<Box<dyn Strategy<K>>>,
    model: FairParams<K>,
    progress: Progress,
    resamples: usize,
    level: f64,
    seed: u64,
}

impl<K: ModelKind> std::fmt::Debug for Sweep<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.strategies.iter().map(|s| s.name()).collect();
        f.debug_struct("Sweep")
            .field("strategies", &names)
            .field("model", &self.model)
            .field("resamples", &self.resamples)
            .field("level", &self.level)
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

impl Sweep<Logistic> {
    /// A sweep of `strategies` training the default [`FairLogisticRegression`].
    pub fn new(strategies: Vec<Box<dyn Strategy<Logistic>>>) -> Self {
        Self::of_model(FairLogisticRegression::params(), strategies)
    }
}

impl<K: ModelKind> Sweep<K> {
    /// A sweep of `strategies` training `model` (a logistic or a linear model without
    /// penalties; see [`Sweep::model`]).
    pub fn of_model(model: FairParams<K>, strategies: Vec<Box<dyn Strategy<K>>>) -> Self {
        Self {
            strategies,
            model,
            progress: Progress::Auto,
            resamples: DEFAULT_RESAMPLES,
            level: 0.95,
            seed: 0,
        }
    }

    /// Adds a strategy at the end of the run order.
    pub fn with(mut self, strategy: impl Strategy<K> + 'static) -> Self {
        self.strategies.push(Box::new(strategy));
        self
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

    /// The parameters of the model every strategy trains (L2, solver, tolerance, ...). It must
    /// not carry penalties itself: the unmitigated model is fitted from it as given.
    pub fn model(mut self, params: FairParams<K>) -> Self {
        self.model = params;
        self
    }

    /// Whether to show a progress bar.
    pub fn progress(mut self, progress: Progress) -> Self {
        self.progress = progress;
        self
    }

    /// The strategies, in run order.
    pub fn strategies(&self) -> &[Box<dyn Strategy<K>>] {
        &self.strategies
    }

    /// Runs every strategy: fits on `data.train`, evaluates on all three splits.
    ///
    /// The unmitigated model is always fitted first: threshold strategies post-process its
    /// scores and penalty paths start warm from it. Set-up errors stop the run (invalid grids
    /// or model parameters, splits with different columns or groups, an unmitigated model that
    /// cannot be fitted or evaluated); a strategy failing at one parameter is recorded in
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
        let [train, validation, test] = strategy::parts(data);
        // Intervals are those of classification metrics: a regression sweep has none.
        let boot = boot.filter(|_| K::LOSS.is_classification());
        let draw = |split: Split, d| match boot {
            Some(b) if INTERVAL_SPLITS.contains(&split) => SplitReplicates::new(b, d).map(Some),
            _ => Ok(None),
        };
        let replicates: Replicates<'_> = [
            draw(Split::Train, train)?,
            draw(Split::Validation, validation)?,
            draw(Split::Test, test)?,
        ];

        let timer = Instant::now();
        let baseline = base.fit(train)?;
        let time = timer.elapsed();
        let scored = (
            [
                predictions(&baseline, train)?,
                predictions(&baseline, validation)?,
                predictions(&baseline, test)?,
            ],
            time,
        );
        // An unmitigated model that cannot be evaluated stops the run before anything else.
        evaluate::<K>(
            &strategy::Fitted::model(scored.0.clone(), time),
            data,
            &[None, None, None],
        )?;
        let context = strategy::Context::new(data, &base, &baseline, &scored);

        let mut outcome = SweepOutcome::default();
        let mut decisions = Vec::new();
        for strategy in &self.strategies {
            let name = strategy.name();
            bar.set_message(name.to_string());
            let mut sink = |point: GridPoint| {
                let label = point
                    .params
                    .iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let pushed = point.fitted.and_then(|fitted| {
                    let evaluated = evaluate::<K>(&fitted, data, &replicates)?;
                    let mut curve_point = CurvePoint::new(name).with_fit_time(fitted.fit_time);
                    for (param, value) in point.params {
                        curve_point = curve_point.with_param(param, value);
                    }
                    for (split, values) in Split::ALL.into_iter().zip(evaluated.metrics) {
                        for (metric, value) in values {
                            curve_point = curve_point.with_metric(split, metric, value);
                        }
                    }
                    outcome.curve.push(curve_point)?;
                    outcome.info.push(evaluated.info);
                    decisions.push(evaluated.held_out);
                    Ok(())
                });
                if let Err(error) = pushed {
                    outcome.failures.push(Failure {
                        method: name.to_string(),
                        params: label,
                        error,
                    });
                }
                bar.inc(1);
            };
            strategy.run(&context, &mut strategy::Points::new(&mut sink));
        }
        outcome.elapsed = started.elapsed();
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

    /// Checks the strategies' grids and the model parameters before anything is fitted.
    fn check(&self) -> Result<()> {
        let invalid = |name, reason: String| EvalError::InvalidMethodParameter {
            method: "sweep".to_string(),
            name,
            reason,
        };
        if self.strategies.is_empty() {
            return Err(invalid("strategies", "no strategy to run".into()));
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(invalid(
                "interval_level",
                format!("the interval level must be in (0, 1), got {}", self.level),
            ));
        }
        let base = self.model.clone().check()?;
        if !base.penalties().is_empty() {
            return Err(invalid(
                "model",
                "the model parameters carry penalties; give the plain model and add penalties \
                 as penalty-path strategies"
                    .into(),
            ));
        }
        self.strategies.iter().try_for_each(|s| s.check())
    }

    /// A progress bar over `runs` runs of every strategy (hidden unless asked and on a
    /// terminal).
    fn bar(&self, runs: usize) -> ProgressBar {
        let total: usize = runs * self.strategies.iter().map(|s| s.grid_size()).sum::<usize>();
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
