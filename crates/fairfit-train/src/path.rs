//! Trade-off paths: one penalty traced over a sequence of weights λ, each solve warm-started
//! from the previous optimum on one prepared objective (the design matrix is built once).

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
use crate::statistic::{EvaluateOnScores, GroupValues};
use fairfit_data::fairness::Statistic;

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
        })
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
        let mut objective = Objective::new(data, &self.params)?;
        let mut theta = Array1::zeros(objective.dim());
        // The optimum at the weight before the last one, once two weights are done.
        let mut before: Option<Array1<f64>> = None;
        let mut points = Vec::with_capacity(self.lambdas.len());
        for (k, &lambda) in self.lambdas.iter().enumerate() {
            let mut penalties = self.params.penalties().to_vec();
            penalties.push((self.penalty.clone(), lambda));
            objective.set_terms(penalty_terms(&penalties))?;
            let start = match &before {
                Some(theta_before) => predict_start(
                    &objective,
                    (self.lambdas[k - 2], theta_before),
                    (self.lambdas[k - 1], &theta),
                    lambda,
                )?,
                None => theta.clone(),
            };
            let model = solve(&objective, &self.params, start)?;
            let next = model.parameters_for(objective.dim())?;
            let last = std::mem::replace(&mut theta, next);
            if k > 0 {
                // `last` was the optimum at the previous weight (at k = 0, only the zero start).
                before = Some(last);
            }
            let report = model.report().cloned();
            let gaps = training_gaps::<K>(&objective, &theta, data, self.penalty.statistics())?;
            points.push(PathPoint {
                lambda,
                stats: TrainingStats {
                    iterations: report.as_ref().map_or(0, |r| r.iterations),
                    evaluations: report.as_ref().map_or(0, |r| r.evaluations),
                    elapsed: report.as_ref().map_or(Duration::ZERO, |r| r.elapsed),
                    gaps,
                },
                model,
            });
        }
        Ok(points)
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
    // check is free; the line search guards against a secant that overshoots.
    let (cost_secant, _) = objective.value_and_gradient(&secant)?;
    Ok(if cost_secant.is_finite() {
        secant
    } else {
        theta_last.clone()
    })
}

/// The statistics of `theta`'s model on the training data the objective was built from (scored
/// through the objective's own design matrix: sparse where it is, on both cores).
pub(crate) fn training_gaps<K: ModelKind>(
    objective: &Objective<'_>,
    theta: &Array1<f64>,
    data: &FairDataset,
    statistics: &[Statistic],
) -> Result<Vec<GroupValues>> {
    let scores = objective.scores(theta)?;
    statistics
        .iter()
        .map(|s| s.evaluate(K::LOSS, data, scores.view()))
        .collect()
}
