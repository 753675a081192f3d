//! [`CrossValidation`]: K-fold cross-validated metrics of every point of a sweep, so that models
//! are chosen on every training row rather than on one validation split.
//!
//! One validation split is often too small to choose among models under a gap bound: on
//! COMPAS's 922 validation rows a demographic-parity difference carries a standard error near
//! 0.03, as large as the bounds a comparison reports. [`Sweep::cross_validate`] runs the sweep
//! once per fold (fitting on the other folds) and combines the folds two ways ([`Pooling`]):
//!
//! - **pooled decisions**: every row is decided once by a model that did not see it, and the
//!   metrics of all these decisions together rest on all rows. A gap is then that of the fold
//!   models' *mixture*: when their own gaps differ in sign (as rules fitted to a tolerance often
//!   do) they cancel, and the pooled gap can be smaller than every fold model's own.
//! - **fold mean**: each fold's metrics on its own held-out rows, averaged. A gap is each model's
//!   own, but each fold's sampling noise adds to its |gap|, so the mean errs the other way.
//!
//! Neither is right for every method; choosing on both and comparing is the honest reading.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fairfit_data::split::{strata, KFold, TrainValTest};
use fairfit_data::FairDataset;
use ndarray::Array1;
use rayon::prelude::*;

use fairfit_train::ModelKind;

use super::evaluate::with_intervals;
use super::intervals::SplitReplicates;
use super::metrics::{decision_metrics, regression_metrics};
use super::{Failure, Sweep};
use crate::curve::{names, CurvePoint, Split, TradeoffCurve};
use crate::error::{EvalError, Result};

/// How [`CrossValidation`] combines the folds' held-out metrics (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    /// The metrics of all out-of-fold decisions together ([`CrossValidation::curve`]).
    Decisions,
    /// The mean over folds of each fold's metrics ([`CrossValidation::fold_mean`]).
    FoldMean,
}

impl std::fmt::Display for Pooling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Pooling::Decisions => "pooled decisions",
            Pooling::FoldMean => "fold mean",
        })
    }
}

/// Cross-validated metrics of every strategy and parameter of a sweep
/// ([`Sweep::cross_validate`]).
#[derive(Debug)]
pub struct CrossValidation {
    /// One point per method and parameter that succeeded in every fold, in sweep order. Its
    /// [`Split::Validation`] metrics are those of the pooled out-of-fold decisions (with
    /// bootstrap intervals when the sweep asks for them), every metric of a sweep point but
    /// the ROC AUC (decisions are pooled, not scores); it has no train or test metrics.
    pub curve: TradeoffCurve,
    /// The same points with the mean over folds of each fold's held-out metrics (every metric
    /// of a sweep point, without intervals) as [`Split::Validation`] metrics.
    pub fold_mean: TradeoffCurve,
    /// The points that failed in some fold (and are therefore not on the curve).
    pub failures: Vec<Failure>,
    /// The number of folds.
    pub folds: usize,
    /// Wall time of all folds.
    pub elapsed: Duration,
}

impl<K: ModelKind> Sweep<K> {
    /// Cross-validates every strategy and parameter on `data` (normally all rows a study may fit
    /// or choose on, never its test rows): for each fold of `folds` (stratified by group ×
    /// label, by group alone for a linear model's real targets), the sweep is fitted on the
    /// other folds and decides the held-out rows; the out-of-fold decisions of each point are
    /// pooled over the folds and evaluated on `data` as a whole.
    ///
    /// Each fold's run also evaluates its held-out rows as a test split, which costs an
    /// evaluation and no fit. A point that fails in any fold is reported in
    /// [`CrossValidation::failures`], its error saying which fold.
    ///
    /// ```
    /// use fairfit::data::{split::KFold, synthetic::BiasedParams};
    /// use fairfit::eval::curve::{names, Split};
    /// use fairfit::eval::sweep::{Penalised, Progress, Sweep, Unmitigated};
    /// let data = BiasedParams::new(900, 3)
    ///     .groups(&[("a", 0.5), ("b", 0.5)])
    ///     .label_bias("b", 0.6)
    ///     .proxy("b", 0.8)
    ///     .seed(1)
    ///     .generate()?
    ///     .data;
    /// let sweep = Sweep::new(vec![
    ///     Box::new(Unmitigated::new()),
    ///     Box::new(Penalised::demographic_parity(vec![1.0, 10.0])),
    /// ])
    /// .resamples(0)
    /// .progress(Progress::Hidden);
    /// let cv = sweep.cross_validate(&data, &KFold::new(3, 7)?)?;
    /// assert_eq!(cv.curve.len(), 3);
    /// let dp = |i| cv.curve.estimate(i, Split::Validation, names::DP_DIFFERENCE).unwrap().value;
    /// assert!(dp(2) < dp(0), "the penalty lowers the out-of-fold gap");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cross_validate(&self, data: &FairDataset, folds: &KFold) -> Result<CrossValidation> {
        let started = Instant::now();
        self.check()?;
        let boot = self.bootstrap()?;
        // Folds keep each group × label cell's share (each group's for real targets).
        let cells = match K::LOSS.is_classification() {
            true => strata(data)?,
            false => data.groups().of_row().to_vec(),
        };
        let held_out = folds.folds(&cells)?;
        let k = held_out.len();
        // Per point (method, parameters): its first fold's point and its decisions so far.
        let mut pooled: Vec<(CurvePoint, Array1<f64>)> = Vec::new();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        let mut seen = Vec::new();
        let mut failures = Vec::new();
        // Per point: the sum over folds of each held-out metric, in the point's metric order.
        let mut sums: Vec<Vec<(String, f64)>> = Vec::new();
        // The folds run side by side: much of a sweep (threshold searches, evaluation) is
        // sequential, so a second fold fills the idle cores.
        let bar = self.bar(k);
        let runs: Vec<Result<_>> = held_out
            .par_iter()
            .map(|rows| {
                let mut in_fold = vec![false; data.nrows()];
                for &r in rows {
                    in_fold[r] = true;
                }
                let fitting: Vec<usize> = (0..data.nrows()).filter(|&r| !in_fold[r]).collect();
                let part = data.select(rows)?;
                let split = TrainValTest {
                    train: data.select(&fitting)?,
                    validation: part.clone(),
                    test: part,
                };
                self.run_keeping_decisions(&split, None, &bar)
            })
            .collect();
        bar.finish_and_clear();
        for (fold, (rows, run)) in held_out.iter().zip(runs).enumerate() {
            let (outcome, decisions) = run?;
            failures.extend(outcome.failures.into_iter().map(|f| Failure {
                error: EvalError::InFold {
                    fold: fold + 1,
                    folds: k,
                    source: Box::new(f.error),
                },
                ..f
            }));
            for (point, decided) in outcome.curve.points().iter().zip(decisions) {
                let key = (point.method().to_string(), point.param_label());
                let slot = *index.entry(key).or_insert_with(|| {
                    pooled.push((point.clone(), Array1::from_elem(data.nrows(), f64::NAN)));
                    seen.push(0);
                    sums.push(
                        point
                            .metrics(Split::Validation)
                            .iter()
                            .map(|m| (m.name.clone(), 0.0))
                            .collect(),
                    );
                    pooled.len() - 1
                });
                for (sum, m) in sums[slot].iter_mut().zip(point.metrics(Split::Validation)) {
                    sum.1 += m.estimate.value;
                }
                for (&r, &d) in rows.iter().zip(&decided) {
                    pooled[slot].1[r] = d;
                }
                seen[slot] += 1;
            }
        }
        let replicates = boot
            .as_ref()
            .filter(|_| K::LOSS.is_classification())
            .map(|b| SplitReplicates::new(b, data))
            .transpose()?;
        let mut curve = TradeoffCurve::new();
        let mut fold_mean = TradeoffCurve::new();
        for (((point, decided), folds_seen), sums) in pooled.into_iter().zip(seen).zip(sums) {
            if folds_seen < k {
                // Its failure in the other folds is already reported.
                continue;
            }
            let mut mean = bare(&point);
            for (name, sum) in sums {
                mean = mean.with_metric(Split::Validation, name, sum / k as f64);
            }
            fold_mean.push(mean)?;
            let metrics = if K::LOSS.is_classification() {
                // Only hard decisions are pooled: a ROC AUC of decisions would not be the
                // models'.
                let mut metrics = decision_metrics(decided.view(), decided.view(), data)?;
                metrics.retain(|(name, _)| *name != names::ROC_AUC);
                with_intervals(replicates.as_ref(), metrics, decided.view(), data)?
            } else {
                let metrics = regression_metrics(decided.view(), data)?;
                with_intervals(None, metrics, decided.view(), data)?
            };
            let mut cv = bare(&point);
            for (name, estimate) in metrics {
                cv = cv.with_metric(Split::Validation, name, estimate);
            }
            curve.push(cv)?;
        }
        Ok(CrossValidation {
            curve,
            fold_mean,
            failures,
            folds: k,
            elapsed: started.elapsed(),
        })
    }
}

/// A point's method and parameters, without metrics.
fn bare(point: &CurvePoint) -> CurvePoint {
    point
        .params()
        .iter()
        .fold(CurvePoint::new(point.method()), |p, param| {
            p.with_param(param.name.clone(), param.value)
        })
}

impl CrossValidation {
    /// The cross-validated points combined as `pooling` says.
    pub fn points(&self, pooling: Pooling) -> &TradeoffCurve {
        match pooling {
            Pooling::Decisions => &self.curve,
            Pooling::FoldMean => &self.fold_mean,
        }
    }

    /// The points of `curve` (normally the same sweep's run on its train / validation / test
    /// splits) with their validation metrics replaced by the cross-validated ones of the same
    /// method and parameters, combined as `pooling` says, ready for
    /// [`crate::pareto::best_at_gap`] and [`super::SelectionTable`] to choose on them; returned
    /// with the labels (`method params`) of the points left out for lack of cross-validated
    /// metrics.
    pub fn selection_curve(
        &self,
        curve: &TradeoffCurve,
        pooling: Pooling,
    ) -> Result<(TradeoffCurve, Vec<String>)> {
        let by_key: HashMap<(String, String), &CurvePoint> = self
            .points(pooling)
            .points()
            .iter()
            .map(|p| ((p.method().to_string(), p.param_label()), p))
            .collect();
        let mut chosen = TradeoffCurve::new();
        let mut left_out = Vec::new();
        for point in curve.points() {
            match by_key.get(&(point.method().to_string(), point.param_label())) {
                Some(cv) => {
                    let mut p = point.clone().without_metrics(Split::Validation);
                    for m in cv.metrics(Split::Validation) {
                        p = p.with_metric(Split::Validation, m.name.clone(), m.estimate);
                    }
                    chosen.push(p)?;
                }
                None => left_out.push(format!("{} {}", point.method(), point.param_label())),
            }
        }
        Ok((chosen, left_out))
    }
}
