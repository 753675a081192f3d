//! [`BestResponse`]: the learner's side of the game — fairfit's L2-regularised logistic (or
//! linear) model fitted to the Lagrangian's per-row costs, warm-started from the previous
//! response.
//!
//! For a classifier, row `i` with cost difference `c_i` (deciding 1 minus deciding 0) becomes a
//! row with label `[c_i < 0]` and weight `|c_i|` (Agarwal et al. 2018, §3.2), and the model
//! minimises `Σ_i |c_i| ℓ(s_i, ỹ_i) / Σ_i |c_i| + (l2/2)‖w‖²`, the same weighted-mean objective
//! as [`crate::FairLogisticRegression`] with the sweep's `l2`. For a regression the costs are the
//! rows' loss weights on the original targets (bounded group loss). Each call is a few Newton
//! steps over the design matrix built once for the whole game (the full objective would re-read
//! and re-lay out the features on every call, which is most of a warm-started call's time).
//!
//! The learner remembers its answers by the costs' [signature](super::Moments::signature), not by
//! the multipliers (many multiplier vectors give the same costs), scaled by the costs' total
//! (costs in proportion have the same answer, so `λ` and `2λ` are near when `λ` is large), and
//! starts each call from the nearest answer, moved along the line through the two nearest when the new costs lie on it (grid
//! search's points, and exponentiated gradient's scaled multipliers); the first call starts from
//! the best constant score. One learner can serve several games on the same rows (a path over ε),
//! so later games start next to the earlier games' answers.

use std::time::Instant;

use ndarray::{Array1, Array2};
use rayon::prelude::*;

use crate::design::{Design, Layout};
use crate::error::{Result, TrainError};
use crate::fit_report::{FitReport, Termination};
use crate::loss::Loss;
use crate::newton::newton_direction;

/// Rows per parallel work item (as the objective's pass).
const CHUNK: usize = 4096;
/// Armijo's sufficient-decrease constant.
const ARMIJO: f64 = 1e-4;

/// What one call returned: a fitted `[w, b]` with its report, or a constant decision when every
/// row prefers the same one (Fairlearn's `DummyClassifier`).
#[derive(Debug, Clone)]
pub(crate) enum Response {
    Model {
        theta: Array1<f64>,
        report: FitReport,
    },
    Constant(bool),
}

/// The settings of the learner, from the sweep's (or the user's) model parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Learner {
    pub(crate) l2: f64,
    pub(crate) tolerance: f64,
    pub(crate) max_iterations: u64,
    pub(crate) layout: Layout,
}

/// Answers that keep their last Hessian (the most recent ones); older answers keep only `[w, b]`.
const KEPT_HESSIANS: usize = 64;

/// An answer kept for warm starts: the key of the costs it answered, its `[w, b]` and the
/// Hessian of its last Newton step.
#[derive(Debug, Clone)]
struct Answer {
    key: Vec<f64>,
    theta: Array1<f64>,
    hessian: Option<Array2<f64>>,
}

/// The cost-sensitive learner over one data set's features.
#[derive(Debug)]
pub(crate) struct BestResponse<'a> {
    design: Design<'a>,
    loss: Loss,
    learner: Learner,
    targets: Vec<f64>,
    labels: Vec<f64>,
    weights: Vec<f64>,
    /// Training scores of the last response.
    pub(crate) scores: Vec<f64>,
    /// Per row, weight times the loss's second derivative at `scores` (the Hessian's row weights).
    curvature: Vec<f64>,
    /// The same two at the line search's trial point.
    trial_scores: Vec<f64>,
    trial_curvature: Vec<f64>,
    answers: Vec<Answer>,
    /// The Hessian of the last Newton step taken (or carried over) by the last call.
    last_hessian: Option<Array2<f64>>,
    /// Newton iterations over all calls.
    pub(crate) iterations: u64,
}

impl<'a> BestResponse<'a> {
    pub(crate) fn new(
        records: ndarray::ArrayView2<'a, f64>,
        targets: &[f64],
        loss: Loss,
        learner: Learner,
    ) -> Result<Self> {
        let design = Design::new(records, learner.layout)?;
        let n = design.nrows();
        Ok(Self {
            design,
            loss,
            learner,
            targets: targets.to_vec(),
            labels: vec![0.0; n],
            weights: vec![0.0; n],
            scores: vec![0.0; n],
            curvature: vec![0.0; n],
            trial_scores: vec![0.0; n],
            trial_curvature: vec![0.0; n],
            answers: Vec::new(),
            last_hessian: None,
            iterations: 0,
        })
    }

    /// Number of parameters `[w, b]`.
    pub(crate) fn dim(&self) -> usize {
        self.design.ncols() + 1
    }

    /// Fits the response to `costs`, whose [signature](super::Moments::signature) is
    /// `signature`, from the best start the earlier answers give; leaves its training scores in
    /// `self.scores`.
    pub(crate) fn fit(&mut self, costs: &[f64], signature: &[f64]) -> Result<Response> {
        let timer = Instant::now();
        if self.loss.is_classification() {
            for ((l, w), &c) in self.labels.iter_mut().zip(&mut self.weights).zip(costs) {
                *l = f64::from(u8::from(c < 0.0));
                *w = c.abs();
            }
            let weighted = |label: f64| {
                self.labels
                    .iter()
                    .zip(&self.weights)
                    .any(|(&l, &w)| l == label && w > 0.0)
            };
            let (ones, zeros) = (weighted(1.0), weighted(0.0));
            if !(ones && zeros) {
                let decision = ones;
                self.scores.fill(if decision { 1.0 } else { -1.0 });
                return Ok(Response::Constant(decision));
            }
        } else {
            self.labels.copy_from_slice(&self.targets);
            for (w, &c) in self.weights.iter_mut().zip(costs) {
                *w = c.max(0.0);
            }
        }
        let total: f64 = self.weights.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            return Err(TrainError::InvalidParameter {
                name: "costs",
                reason: format!("the best response's row weights sum to {total}"),
            });
        }
        self.weights.iter_mut().for_each(|w| *w /= total);
        // The objective's part of the costs has total 1, the signature's entries are the
        // multipliers' parts: dividing by the costs' total gives the problem the learner sees.
        let key: Vec<f64> = std::iter::once(1.0)
            .chain(signature.iter().copied())
            .map(|v| v / total)
            .collect();
        let (start, hessian) = self.start(&key);
        let response = self.newton(start, hessian, timer)?;
        if let Response::Model { theta, .. } = &response {
            self.answers.push(Answer {
                key,
                theta: theta.clone(),
                hessian: self.last_hessian.take(),
            });
            if let Some(old) = self.answers.len().checked_sub(KEPT_HESSIANS + 1) {
                self.answers[old].hessian = None;
            }
        }
        Ok(response)
    }

    /// Where Newton starts for costs with `key`: the answer nearest in key (L1), moved along
    /// the line through it and the second nearest when the key lies on that line beyond it
    /// (within a tenth of its distance, at most one spacing further); with no answer yet, zero
    /// coefficients and the intercept of the best constant score. Also the nearest answer's
    /// last Hessian, for the first step.
    fn start(&self, key: &[f64]) -> (Array1<f64>, Option<Array2<f64>>) {
        let l1 =
            |a: &[f64], b: &[f64]| -> f64 { a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum() };
        let mut nearest: Vec<(f64, usize)> = self
            .answers
            .iter()
            .enumerate()
            .map(|(k, a)| (l1(&a.key, key), k))
            .collect();
        nearest.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        match nearest[..] {
            [] => (self.constant_start(), None),
            [(_, a)] => (
                self.answers[a].theta.clone(),
                self.answers[a].hessian.clone(),
            ),
            [(distance, a), (_, b), ..] => {
                let (a, b) = (&self.answers[a], &self.answers[b]);
                let theta = match extrapolation(key, &a.key, &b.key, distance) {
                    Some(t) => &a.theta + &((&a.theta - &b.theta) * t),
                    None => a.theta.clone(),
                };
                (theta, a.hessian.clone())
            }
        }
    }

    /// Zero coefficients and the intercept minimising the weighted loss of a constant score (the
    /// logit of the weighted label mean, or the weighted target mean).
    fn constant_start(&self) -> Array1<f64> {
        let mean: f64 = self
            .weights
            .iter()
            .zip(&self.labels)
            .map(|(w, y)| w * y)
            .sum();
        let intercept = if self.loss.is_classification() {
            let p = mean.clamp(1e-12, 1.0 - 1e-12);
            (p / (1.0 - p)).ln()
        } else {
            mean
        };
        let mut theta = Array1::zeros(self.dim());
        theta[self.dim() - 1] = intercept;
        theta
    }

    /// Newton's method with a backtracking (Armijo) line search. Each iteration costs one pass
    /// for the value and gradient at the trial point and, unless that point has converged, one
    /// for the Hessian there (which reads the row weights the first pass left, not the loss).
    /// The first step may use `stale`, the Hessian of the nearest earlier answer, instead of a
    /// fresh one: a warm start is usually close enough that this step alone meets the
    /// tolerance, and the pass it saves is the dearer of the two. Later steps are exact Newton
    /// steps, and the stopping rule is the same, so the answer meets the same tolerance.
    fn newton(
        &mut self,
        mut theta: Array1<f64>,
        mut stale: Option<Array2<f64>>,
        timer: Instant,
    ) -> Result<Response> {
        let mut scores = std::mem::take(&mut self.scores);
        let mut curvature = std::mem::take(&mut self.curvature);
        let mut trial_scores = std::mem::take(&mut self.trial_scores);
        let mut trial_curvature = std::mem::take(&mut self.trial_curvature);
        let (mut value, mut gradient) =
            self.value_and_gradient(&theta, &mut scores, &mut curvature);
        let mut evaluations = 1;
        let dim = theta.len();
        for iteration in 0..self.learner.max_iterations {
            let norm = gradient.dot(&gradient).sqrt();
            if norm <= self.learner.tolerance {
                self.iterations += iteration;
                if iteration == 0 {
                    self.last_hessian = stale;
                }
                self.scores = scores;
                self.curvature = curvature;
                self.trial_scores = trial_scores;
                self.trial_curvature = trial_curvature;
                let report = FitReport {
                    solver: "Newton (cost-sensitive best response)".into(),
                    iterations: iteration,
                    evaluations,
                    gradient_norm: norm,
                    objective: value,
                    termination: Termination::Converged,
                    elapsed: timer.elapsed(),
                };
                return Ok(Response::Model { theta, report });
            }
            let hessian = match stale.take() {
                Some(hessian) => hessian,
                None => {
                    let upper = self.hessian(&curvature, dim);
                    Array2::from_shape_fn((dim, dim), |(j, k)| upper[j.min(k) * dim + j.max(k)])
                }
            };
            let Some(direction) = newton_direction(&hessian, &gradient) else {
                // The buffers go back before the error does: the learner may outlive a failed
                // game (a path over ε goes on to the next bound with it).
                self.scores = scores;
                self.curvature = curvature;
                self.trial_scores = trial_scores;
                self.trial_curvature = trial_curvature;
                return Err(TrainError::Solver(
                    "the Hessian could not be factorised".into(),
                ));
            };
            let slope = gradient.dot(&direction);
            let mut step = 1.0;
            loop {
                let trial = &theta + &(&direction * step);
                let (v, g) =
                    self.value_and_gradient(&trial, &mut trial_scores, &mut trial_curvature);
                evaluations += 1;
                if v <= value + ARMIJO * step * slope || step < 1e-10 {
                    (theta, value, gradient) = (trial, v, g);
                    std::mem::swap(&mut scores, &mut trial_scores);
                    std::mem::swap(&mut curvature, &mut trial_curvature);
                    break;
                }
                step *= 0.5;
            }
            self.last_hessian = Some(hessian);
        }
        let norm = gradient.dot(&gradient).sqrt();
        let d = theta.len() - 1;
        self.iterations += self.learner.max_iterations;
        self.scores = scores;
        self.curvature = curvature;
        self.trial_scores = trial_scores;
        self.trial_curvature = trial_curvature;
        Err(TrainError::NotConverged {
            report: Box::new(FitReport {
                solver: "Newton (cost-sensitive best response)".into(),
                iterations: self.learner.max_iterations,
                evaluations,
                gradient_norm: norm,
                objective: value,
                termination: Termination::MaxIterations,
                elapsed: timer.elapsed(),
            }),
            coefficients: theta.slice(ndarray::s![..d]).to_owned(),
            intercept: theta[d],
        })
    }

    /// The objective and its gradient at `theta` in one parallel pass (chunks summed in order,
    /// so the result does not depend on scheduling); writes the scores and, per row, the weight
    /// times the loss's second derivative (what the Hessian at this point weighs rows by).
    fn value_and_gradient(
        &self,
        theta: &Array1<f64>,
        scores: &mut [f64],
        curvature: &mut [f64],
    ) -> (f64, Array1<f64>) {
        let dim = theta.len();
        let d = dim - 1;
        let w = theta.as_slice().expect("parameters are contiguous");
        let b = w[d];
        let parts: Vec<(f64, Vec<f64>)> = scores
            .par_chunks_mut(CHUNK)
            .zip(curvature.par_chunks_mut(CHUNK))
            .enumerate()
            .map(|(c, (out, curv))| {
                let mut value = 0.0;
                let mut gradient = vec![0.0; dim];
                for (k, (s_out, a_out)) in out.iter_mut().zip(curv.iter_mut()).enumerate() {
                    let i = c * CHUNK + k;
                    let row = self.design.row(i);
                    let s = row.dot(w) + b;
                    *s_out = s;
                    let v = self.weights[i];
                    if v == 0.0 {
                        *a_out = 0.0;
                        continue;
                    }
                    let (l, d1, d2) = self.loss.eval(s, self.labels[i]);
                    *a_out = v * d2;
                    value += v * l;
                    row.axpy(v * d1, &mut gradient[..d]);
                    gradient[d] += v * d1;
                }
                (value, gradient)
            })
            .collect();
        let l2 = self.learner.l2;
        let mut value = 0.5 * l2 * w[..d].iter().map(|x| x * x).sum::<f64>();
        let mut gradient: Array1<f64> = w[..d].iter().map(|x| l2 * x).chain([0.0]).collect();
        for (v, g) in parts {
            value += v;
            gradient.iter_mut().zip(&g).for_each(|(a, b)| *a += b);
        }
        (value, gradient)
    }

    /// The upper triangle of the Hessian (row-major `dim × dim`) from the rows' weights
    /// `curvature` (written by the value pass at the same point), in one parallel pass.
    fn hessian(&self, curvature: &[f64], dim: usize) -> Vec<f64> {
        let d = dim - 1;
        let parts: Vec<Vec<f64>> = curvature
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                let mut upper = vec![0.0; dim * dim];
                for (k, &a) in chunk.iter().enumerate() {
                    if a != 0.0 {
                        self.design
                            .row(c * CHUNK + k)
                            .outer_upper(a, &mut upper, dim);
                    }
                }
                upper
            })
            .collect();
        let mut upper = vec![0.0; dim * dim];
        for j in 0..d {
            upper[j * dim + j] = self.learner.l2;
        }
        for part in parts {
            upper.iter_mut().zip(&part).for_each(|(a, b)| *a += b);
        }
        upper
    }
}

/// How far past answer `a` to move along the line from answer `b` through `a` (in units of
/// `a − b`) for costs with signature `s` at L1 distance `distance` from `a`: `Some(t)` with
/// `0 < t ≤ 1` when `s − a` is within a tenth of `distance` of `t (a − b)`, else `None`.
fn extrapolation(s: &[f64], a: &[f64], b: &[f64], distance: f64) -> Option<f64> {
    let step: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let norm: f64 = step.iter().map(|x| x * x).sum();
    if !(norm > 0.0 && distance > 0.0) {
        return None;
    }
    let t = s
        .iter()
        .zip(a)
        .zip(&step)
        .map(|((x, y), z)| (x - y) * z)
        .sum::<f64>()
        / norm;
    let residual: f64 = s
        .iter()
        .zip(a)
        .zip(&step)
        .map(|((x, y), z)| (x - y - t * z).abs())
        .sum();
    (t > 0.0 && t <= 1.0 + 1e-9 && residual <= 0.1 * distance).then_some(t)
}
