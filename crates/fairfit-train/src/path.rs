//! Trade-off paths: one penalty traced over a sequence of weights λ (or a list of target sets
//! traced over bounds ε), each solve warm-started from the previous optimum on one prepared
//! objective (the design matrix is built once).
//!
//! Both paths are lazy: [`PenaltyPath::steps`] and [`TargetSteps`] fit one point per call of
//! `next`, so that a caller can time, evaluate or report each point as it comes. A point that
//! fails is yielded as an error and the path goes on from the last point that succeeded.

use std::time::Duration;

use fairfit_data::FairDataset;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::loss::ModelKind;
use crate::model::FittedModel;
use crate::objective::{penalty_terms, Objective};
use crate::params::{non_negative, solve, ValidFairParams};
use crate::penalty::Penalty;
use crate::scaling::Scaling;
use crate::statistic::{training_gaps, GroupValues};
use crate::target::{Target, TargetedFit, TargetedModel};

/// What the training data says about one model of a path (or a target solve).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingStats {
    /// Solver iterations of this solve.
    pub iterations: u64,
    /// Passes over the data of this solve.
    pub evaluations: usize,
    /// Wall-clock time of this solve.
    pub elapsed: Duration,
    /// The penalised statistics on the training data, soft and on hard decisions.
    pub gaps: Vec<GroupValues>,
}

/// One model of a path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct PathPoint<K: ModelKind> {
    /// The penalty weight.
    pub lambda: f64,
    /// The fitted model.
    pub model: FittedModel<K>,
    /// Its training statistics.
    pub stats: TrainingStats,
}

/// A penalty traced over weights λ (in the given order), each fit warm-started from the
/// previous one; the base parameters' own penalties stay in every fit.
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use fairfit::train::{FairLogisticRegression, ParamGuard, Penalty, PenaltyPath};
/// use ndarray::array;
/// let g = SensitiveAttribute::from_values("g", &["a", "a", "a", "b", "b", "b"], None)?;
/// let data = FairDataset::new(
///     array![[2.0], [1.0], [-1.0], [0.5], [-1.5], [-2.0]],
///     array![1.0, 1.0, 0.0, 1.0, 0.0, 0.0],
///     vec![g],
/// )?;
/// let params = FairLogisticRegression::params().l2(1e-2).check()?;
/// let path = PenaltyPath::new(params, Penalty::demographic_parity(), vec![0.0, 1.0, 10.0])?;
/// let points = path.fit(&data)?;
/// let gaps: Vec<f64> = points.iter().map(|p| p.stats.gaps[0].soft_gap()).collect();
/// assert!(gaps[2] < gaps[1] && gaps[1] < gaps[0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PenaltyPath<K: ModelKind> {
    params: ValidFairParams<K>,
    penalty: Penalty,
    lambdas: Vec<f64>,
    start: Option<FittedModel<K>>,
}

impl<K: ModelKind> PenaltyPath<K> {
    /// A path of `penalty` over `lambdas` (each finite and non-negative).
    pub fn new(params: ValidFairParams<K>, penalty: Penalty, lambdas: Vec<f64>) -> Result<Self> {
        for &lambda in &lambdas {
            non_negative("lambda", lambda)?;
        }
        penalty.validate(K::LOSS, K::NAME)?;
        Ok(Self {
            params,
            penalty,
            lambdas,
            start: None,
        })
    }

    /// Starts the first solve from `model` instead of zero (e.g. the unpenalised model, when
    /// the first weight is small). Later solves start from the path's own optima.
    pub fn warm_start(mut self, model: FittedModel<K>) -> Self {
        self.start = Some(model);
        self
    }

    /// The weights λ, in path order.
    pub fn lambdas(&self) -> &[f64] {
        &self.lambdas
    }

    /// `count` weights spaced evenly in log scale from `low` to `high` (both > 0), preceded by
    /// λ = 0: the usual shape of a trade-off sweep.
    pub fn log_spaced(low: f64, high: f64, count: usize) -> Vec<f64> {
        let mut lambdas = vec![0.0];
        if count == 1 {
            lambdas.push(low);
        } else if count > 1 {
            let (a, b) = (low.ln(), high.ln());
            lambdas.extend((0..count).map(|i| (a + (b - a) * i as f64 / (count - 1) as f64).exp()));
        }
        lambdas
    }

    /// Fits every point, warm-starting each from the previous solution. Stops at the first
    /// error (e.g. [`crate::TrainError::NotConverged`] at some λ).
    pub fn fit(&self, data: &FairDataset) -> Result<Vec<PathPoint<K>>> {
        self.steps(data)?.collect()
    }

    /// The path's points one by one, each fitted when asked for (see [`PenaltySteps`]). Fails
    /// when the objective cannot be built on `data` (or the warm start does not fit it).
    pub fn steps<'a>(&'a self, data: &'a FairDataset) -> Result<PenaltySteps<'a, K>> {
        let objective = Objective::new(data, &self.params)?;
        let theta = match &self.start {
            Some(model) => model.parameters_for(objective.dim())?,
            None => Array1::zeros(objective.dim()),
        };
        Ok(PenaltySteps {
            path: self,
            data,
            objective,
            next: 0,
            last: (None, theta),
            before: None,
        })
    }
}

/// The points of a [`PenaltyPath`], fitted lazily in path order on one prepared objective.
///
/// Each solve starts from the last optimum, moved along the secant through the last two optima
/// when there are two. A weight at which the fit fails yields the error, and the next weight
/// starts from the last optimum found, as if the failed weight were not on the path.
#[derive(Debug)]
pub struct PenaltySteps<'a, K: ModelKind> {
    path: &'a PenaltyPath<K>,
    data: &'a FairDataset,
    objective: Objective<'a>,
    next: usize,
    /// The last optimum and its weight (`None` for the path's starting point).
    last: (Option<f64>, Array1<f64>),
    /// The optimum before the last one, with its weight.
    before: Option<(f64, Array1<f64>)>,
}

impl<K: ModelKind> PenaltySteps<'_, K> {
    /// Fits the point at weight `lambda`.
    fn fit_at(&mut self, lambda: f64) -> Result<PathPoint<K>> {
        let path = self.path;
        let mut penalties = path.params.penalties().to_vec();
        penalties.push((path.penalty.clone(), lambda));
        self.objective.set_terms(penalty_terms(&penalties))?;
        let start = match (&self.before, &self.last) {
            (Some((before, theta_before)), (Some(last), theta_last)) => predict_start(
                &self.objective,
                (*before, theta_before),
                (*last, theta_last),
                lambda,
            )?,
            (_, (_, theta_last)) => theta_last.clone(),
        };
        let model = solve(&self.objective, &path.params, start)?;
        let theta = model.parameters_for(self.objective.dim())?;
        let gaps = training_gaps::<K>(
            self.objective.scores(&theta),
            self.data,
            path.penalty.statistics(),
        )?;
        let (last_lambda, last_theta) = std::mem::replace(&mut self.last, (Some(lambda), theta));
        // The path's starting point (no weight) never serves a secant.
        self.before = last_lambda.map(|l| (l, last_theta));
        let report = model.report().cloned();
        Ok(PathPoint {
            lambda,
            stats: TrainingStats {
                iterations: report.as_ref().map_or(0, |r| r.iterations),
                evaluations: report.as_ref().map_or(0, |r| r.evaluations),
                elapsed: report.as_ref().map_or(Duration::ZERO, |r| r.elapsed),
                gaps,
            },
            model,
        })
    }
}

impl<K: ModelKind> Iterator for PenaltySteps<'_, K> {
    type Item = Result<PathPoint<K>>;

    fn next(&mut self) -> Option<Self::Item> {
        let lambda = *self.path.lambdas.get(self.next)?;
        self.next += 1;
        Some(self.fit_at(lambda))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.path.lambdas.len() - self.next;
        (left, Some(left))
    }
}

/// The warm start for weight `lambda`: the optimum at the last weight, moved along the secant
/// through the last two optima, extrapolated linearly in `ln λ` (the path is smooth in the log of
/// the weight, and the weights of a path are usually log-spaced). Newton's line search
/// keeps an overshooting secant safe; a secant where the objective is not finite falls back to
/// the last optimum.
fn predict_start(
    objective: &Objective<'_>,
    (before, theta_before): (f64, &Array1<f64>),
    (last, theta_last): (f64, &Array1<f64>),
    lambda: f64,
) -> Result<Array1<f64>> {
    let usable = before > 0.0 && last > before && lambda > last;
    if !usable {
        return Ok(theta_last.clone());
    }
    let ratio = (lambda / last).ln() / (last / before).ln();
    let secant = theta_last + &((theta_last - theta_before) * ratio);
    // The solver's first step evaluates its start anyway (the objective caches it), so this
    // check is free; the line search guards against a secant that overshoots. The solver works
    // in standardised coordinates and evaluates the start mapped there and back, which need not
    // be the same bits: the check evaluates that point, so the solver's first evaluation is the
    // cached one and not a second pass.
    let scaling = Scaling::of(objective);
    let solver_start = scaling.to_raw(&scaling.to_standardised(&secant));
    let (cost_secant, _) = objective.value_and_gradient(&solver_start)?;
    Ok(if cost_secant.is_finite() {
        secant
    } else {
        theta_last.clone()
    })
}

/// Sets of fairness targets fitted one after the other on one prepared objective (e.g. the
/// gaps of several statistics bounded by ε, over a list of ε from loose to tight), each fit
/// warm-started in parameters and multipliers from the last one that succeeded. A set that
/// cannot be met yields its error ([`crate::TrainError::Infeasible`]) and the next set starts
/// from the last success.
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use fairfit::train::{FairLogisticRegression, ParamGuard, Target, TargetSteps};
/// use ndarray::array;
/// let g = SensitiveAttribute::from_values("g", &["a", "a", "a", "b", "b", "b"], None)?;
/// let data = FairDataset::new(
///     array![[2.0], [1.0], [-1.0], [0.5], [-1.5], [-2.0]],
///     array![1.0, 1.0, 0.0, 1.0, 0.0, 0.0],
///     vec![g],
/// )?;
/// let params = FairLogisticRegression::params().l2(1e-2).check()?;
/// // Three rows a group: decision rates move in steps of 1/3, so a gap of at most 0.4 is one
/// // step, and at most 0.05 would need equal rates.
/// let sets = [0.7, 0.4].map(|e| vec![Target::demographic_parity(e)]).to_vec();
/// let fits: Vec<_> = TargetSteps::new(&params, &data, sets)?.collect::<Result<_, _>>()?;
/// assert!(fits[1].outcomes[0].achieved_hard <= 0.4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct TargetSteps<'a, K: ModelKind> {
    params: &'a ValidFairParams<K>,
    data: &'a FairDataset,
    objective: Objective<'a>,
    sets: std::vec::IntoIter<Vec<Target>>,
    last: Option<TargetedModel<K>>,
}

impl<'a, K: ModelKind> TargetSteps<'a, K> {
    /// The target sets `sets`, in order, on `data` with the base parameters `params` (their
    /// penalties stay in every fit). Fails when a target is invalid for the model kind or the
    /// objective cannot be built on `data`.
    pub fn new(
        params: &'a ValidFairParams<K>,
        data: &'a FairDataset,
        sets: Vec<Vec<Target>>,
    ) -> Result<Self> {
        for set in &sets {
            TargetedFit::new(params.clone(), set.clone())?;
        }
        Ok(Self {
            params,
            data,
            objective: Objective::new(data, params)?,
            sets: sets.into_iter(),
            last: None,
        })
    }

    /// Fits one set of targets from the last success (or from zero).
    fn fit_set(&mut self, targets: Vec<Target>) -> Result<TargetedModel<K>> {
        let fit = TargetedFit::new(self.params.clone(), targets)?;
        let theta = match &self.last {
            Some(model) => model.model.parameters_for(self.objective.dim())?,
            None => Array1::zeros(self.objective.dim()),
        };
        let model = fit.fit_prepared(&mut self.objective, self.data, theta, self.last.as_ref())?;
        self.last = Some(model.clone());
        Ok(model)
    }
}

impl<K: ModelKind> Iterator for TargetSteps<'_, K> {
    type Item = Result<TargetedModel<K>>;

    fn next(&mut self) -> Option<Self::Item> {
        let targets = self.sets.next()?;
        Some(self.fit_set(targets))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.sets.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use fairfit_data::fairness::Statistic;
    use fairfit_data::synthetic::BiasedParams;

    use super::*;
    use crate::error::TrainError;
    use crate::params::FairLogisticRegression;
    use crate::ParamGuard;

    fn biased() -> FairDataset {
        BiasedParams::new(1_500, 3)
            .groups(&[("a", 0.5), ("b", 0.5)])
            .label_bias("b", 0.6)
            .proxy("b", 0.8)
            .seed(5)
            .generate()
            .expect("valid synthetic parameters")
            .data
    }

    #[test]
    fn the_secant_check_is_the_solvers_first_evaluation() {
        // The solver maps its start to standardised coordinates and back before evaluating it:
        // that point must be the one the check evaluated (a cache hit, not a second pass).
        let data = biased();
        let params = FairLogisticRegression::params()
            .penalty(Penalty::demographic_parity(), 2.0)
            .check()
            .unwrap();
        let objective = Objective::new(&data, &params).unwrap();
        let dim = objective.dim();
        let before = Array1::from_iter((0..dim).map(|j| 0.3 - 0.1 * j as f64));
        let last = Array1::from_iter((0..dim).map(|j| 0.25 + 0.07 * j as f64));
        let start = predict_start(&objective, (1.0, &before), (2.0, &last), 3.7).unwrap();
        let scaling = Scaling::of(&objective);
        let first = scaling.to_raw(&scaling.to_standardised(&start));
        assert_ne!(first, start, "the data must make the round trip inexact");
        let passes = objective.evaluations();
        objective.value_and_gradient(&first).unwrap();
        assert_eq!(
            objective.evaluations(),
            passes,
            "the solver's start was not cached"
        );
    }

    #[test]
    fn steps_are_the_path_and_a_warm_start_reaches_the_same_optima() {
        let data = biased();
        let params = FairLogisticRegression::params().check().unwrap();
        let lambdas = vec![0.1, 1.0, 10.0, 100.0];
        let path = PenaltyPath::new(
            params.clone(),
            Penalty::demographic_parity(),
            lambdas.clone(),
        )
        .unwrap();
        let steps = path.steps(&data).unwrap();
        assert_eq!(steps.size_hint(), (4, Some(4)));
        let lazy: Vec<PathPoint<_>> = steps.collect::<Result<_>>().unwrap();
        let fitted = |points: &[PathPoint<_>]| -> Vec<(f64, Vec<f64>, f64)> {
            points
                .iter()
                .map(|p| {
                    (
                        p.lambda,
                        p.model.coefficients().to_vec(),
                        p.model.intercept(),
                    )
                })
                .collect()
        };
        assert_eq!(fitted(&lazy), fitted(&path.fit(&data).unwrap()));
        let baseline = params.fit(&data).unwrap();
        let warm = path.clone().warm_start(baseline).fit(&data).unwrap();
        for (a, b) in lazy.iter().zip(&warm) {
            assert_eq!(a.lambda, b.lambda);
            for (x, y) in a.model.coefficients().iter().zip(b.model.coefficients()) {
                assert!((x - y).abs() < 1e-5, "λ = {}: {x} vs {y}", a.lambda);
            }
        }
        // A warm start of another width is an error before any fit.
        let narrow = crate::FittedModel::new(Array1::zeros(1), 0.0).unwrap();
        assert!(matches!(
            path.warm_start(narrow).steps(&data),
            Err(TrainError::LengthMismatch { .. })
        ));
    }

    #[test]
    fn an_unmet_target_set_is_yielded_and_the_next_set_starts_from_the_last_success() {
        let data = biased();
        let params = FairLogisticRegression::params().check().unwrap();
        let sets = vec![
            vec![Target::demographic_parity(0.1)],
            // No positive rate is below zero: infeasible.
            vec![Target::max(Statistic::positive_rate(), -0.1)],
            vec![Target::demographic_parity(0.02)],
        ];
        let fits: Vec<_> = TargetSteps::new(&params, &data, sets).unwrap().collect();
        assert_eq!(fits.len(), 3);
        assert!(fits[0].as_ref().unwrap().outcomes[0].achieved_hard <= 0.1 + 1e-12);
        assert!(
            matches!(fits[1], Err(TrainError::Infeasible { .. })),
            "{:?}",
            fits[1]
        );
        let last = fits[2].as_ref().unwrap();
        assert!(last.outcomes[0].achieved_hard <= 0.02 + 1e-12);
        // Started from the first fit (parameters, multipliers and shifts), not from the failed
        // set: the same model as a warm start from the first.
        let warm = TargetedFit::new(params.clone(), vec![Target::demographic_parity(0.02)])
            .unwrap()
            .fit_warm(&data, fits[0].as_ref().unwrap())
            .unwrap();
        assert_eq!(warm.model.coefficients(), last.model.coefficients());
        let bad = vec![vec![Target::demographic_parity(-1.0)]];
        assert!(TargetSteps::new(&params, &data, bad).is_err());
    }
}
