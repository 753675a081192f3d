//! The training objective as an argmin problem:
//!
//! `J(w, b) = (1/W) Σ_i w_i ℓ(x_i·w + b, y_i) + (l2/2)‖w‖² + l1 Σ_j (√(w_j² + δ²) − δ)
//! + Σ_t λ_t D_t(v_t)`
//!
//! where `v_t` are a statistic's per-group soft values and `D_t` a disparity (or an
//! augmented-Lagrangian constraint term). The intercept is not regularised.
//!
//! One pass over the rows computes the cost and the gradient together: each row's score is
//! formed once, its loss residual is added to `Xᵀr`, and for every quantity a penalty uses, its
//! value and its score-derivative times `x_i` are accumulated per group × label cell. After the
//! pass, each disparity's gradient with respect to the group values is chained through those
//! cell sums, so the cost of an evaluation is one read of `X` whatever the number of penalties.
//! Rows are processed in fixed chunks on rayon's pool and the chunk sums are added in order, so
//! results do not depend on thread scheduling. The last evaluation is cached because argmin asks
//! for the cost and the gradient at the same point separately.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use argmin::core::{CostFunction, Gradient, Hessian};
use fairfit_data::FairDataset;
use ndarray::{Array1, Array2};
use rayon::prelude::*;

use crate::design::{Design, Layout};
use crate::error::{Result, TrainError};
use crate::lagrangian::LagrangianTerm;
use crate::loss::{Loss, ModelKind};
use crate::penalty::Penalty;
use crate::smooth_aggregate::SmoothAggregate;
use crate::statistic::{check_statistic, empty_cell, label_classes, soft_given};
use fairfit_data::fairness::{Quantity, Statistic};

/// Rows per parallel work item.
const CHUNK: usize = 4096;

/// What a term does with a statistic's group values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum GroupFn {
    /// A fairness penalty.
    SmoothAggregate(SmoothAggregate),
    /// An augmented-Lagrangian constraint term of a target.
    Lagrangian(LagrangianTerm),
}

impl GroupFn {
    fn evaluate(&self, values: &[f64], shares: &[f64]) -> (f64, Vec<f64>) {
        match self {
            GroupFn::SmoothAggregate(d) => d.evaluate(values, shares),
            GroupFn::Lagrangian(c) => c.evaluate(values),
        }
    }

    /// The Hessian in value space by central differences of the analytic gradient (G is small).
    fn hessian(&self, values: &[f64], shares: &[f64]) -> Vec<Vec<f64>> {
        let g = values.len();
        (0..g)
            .map(|h| {
                let step = 1e-6 * (1.0 + values[h].abs());
                let mut up = values.to_vec();
                up[h] += step;
                let mut down = values.to_vec();
                down[h] -= step;
                let (_, gu) = self.evaluate(&up, shares);
                let (_, gd) = self.evaluate(&down, shares);
                gu.iter()
                    .zip(&gd)
                    .map(|(a, b)| (a - b) / (2.0 * step))
                    .collect()
            })
            .collect()
    }
}

/// One weighted term `weight · f(statistic per group)` of the objective.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Term {
    pub(crate) weight: f64,
    pub(crate) statistic: Statistic,
    pub(crate) function: GroupFn,
}

/// Sums of one pass over the rows.
#[derive(Debug, Clone)]
struct Pass {
    loss: f64,
    grad: Vec<f64>,
    qsum: Vec<f64>,
    qgrad: Vec<f64>,
}

impl Pass {
    fn zeros(dim: usize, slots: usize) -> Self {
        Self {
            loss: 0.0,
            grad: vec![0.0; dim],
            qsum: vec![0.0; slots],
            qgrad: vec![0.0; slots * dim],
        }
    }

    fn add(&mut self, other: &Pass) {
        self.loss += other.loss;
        add_into(&mut self.grad, &other.grad);
        add_into(&mut self.qsum, &other.qsum);
        add_into(&mut self.qgrad, &other.qgrad);
    }
}

fn add_into(a: &mut [f64], b: &[f64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// A term's group values at the cached point.
#[derive(Debug, Clone)]
struct TermState {
    values: Vec<f64>,
    shares: Vec<f64>,
    cell_weights: Vec<f64>,
    dvalues: Vec<f64>,
}

#[derive(Debug, Clone)]
struct Cached {
    theta: Array1<f64>,
    cost: f64,
    gradient: Array1<f64>,
    pass: Pass,
    terms: Vec<TermState>,
}

/// The fairness-penalised, sample-weighted, L2-regularised training objective of a linear or
/// logistic model on one data set; parameters are `[w_1, …, w_d, b]`.
///
/// It implements argmin's [`CostFunction`], [`Gradient`] and [`Hessian`] (through a thin
/// wrapper, see [`Objective::problem`]); [`Objective::value_and_gradient`] is the one-pass
/// evaluation the solvers use.
///
/// ```
/// use fairfit_data::{FairDataset, SensitiveAttribute};
/// use fairfit_train::{FairLogisticRegression, Objective, ParamGuard, Penalty};
/// use ndarray::{array, Array1};
/// let sex = SensitiveAttribute::from_values("sex", &["M", "F", "F", "M"], None)?;
/// let data = FairDataset::new(array![[1.0], [2.0], [3.0], [4.0]], array![0.0, 1.0, 0.0, 1.0], vec![sex])?;
/// let params = FairLogisticRegression::params().l2(0.0).penalty(Penalty::demographic_parity(), 1.0).check()?;
/// let objective = Objective::new(&data, &params)?;
/// let (cost, gradient) = objective.value_and_gradient(&Array1::zeros(2))?;
/// assert!((cost - 2f64.ln()).abs() < 1e-12); // every probability is 1/2: no gap, log loss ln 2
/// assert_eq!(gradient.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Objective<'a> {
    design: Design<'a>,
    loss: Loss,
    targets: Vec<f64>,
    weights: Option<Vec<f64>>,
    cell: Vec<u32>,
    n_classes: usize,
    group_names: Vec<String>,
    cell_weight: Vec<f64>,
    total_weight: f64,
    l2: f64,
    l1: f64,
    l1_smoothing: f64,
    terms: Vec<Term>,
    quantities: Vec<Quantity>,
    term_quantity: Vec<usize>,
    cache: Mutex<Option<Cached>>,
    best: Mutex<Option<(f64, Array1<f64>)>>,
    evaluations: AtomicUsize,
    budget: AtomicUsize,
}

/// What an objective reads from a model's parameters: its kind, the regularisation and the
/// layout of the design matrix (implemented by [`crate::ValidFairParams`]; the objective
/// depends on this trait, not on the parameter types, so the layers point one way).
pub trait ObjectiveParams {
    /// The model kind (logistic or linear), which fixes the loss.
    type Kind: ModelKind;
    /// The L2 weight.
    fn l2_penalty(&self) -> f64;
    /// The smoothed L1 weight and the width of its smoothing.
    fn l1_penalty(&self) -> (f64, f64);
    /// How the design matrix is stored.
    fn layout(&self) -> Layout;
    /// The fairness penalties and their weights λ.
    fn penalties(&self) -> &[(Penalty, f64)];
}

impl<'a> Objective<'a> {
    /// Validates the data for the model kind (finite features, binary labels with both classes
    /// for a classifier) and the penalties (every group has rows in every cell they average
    /// over), and prepares the design matrix (dense or sparse by density).
    pub fn new<P: ObjectiveParams>(data: &'a FairDataset, params: &P) -> Result<Self> {
        let loss = <P::Kind as ModelKind>::LOSS;
        let design = Design::new(data.records(), params.layout())?;
        let targets = data.targets().to_vec();
        let weights = data.weights().map(|w| w.to_vec());
        let n_classes = if loss.is_classification() { 2 } else { 1 };
        let groups = data.groups();
        let mut cell = Vec::with_capacity(targets.len());
        let mut cell_weight = vec![0.0; groups.n_groups() * n_classes];
        let mut class_weight = [0.0; 2];
        for (row, (&g, &y)) in groups.of_row().iter().zip(&targets).enumerate() {
            let class = if loss.is_classification() {
                match y {
                    0.0 => 0,
                    1.0 => 1,
                    value => return Err(TrainError::NotBinary { row, value }),
                }
            } else {
                0
            };
            let c = g * n_classes + class;
            let w = weights.as_ref().map_or(1.0, |w| w[row]);
            cell.push(c as u32);
            cell_weight[c] += w;
            class_weight[class] += w;
        }
        if loss.is_classification() {
            if let Some(missing) = class_weight.iter().position(|&w| w <= 0.0) {
                return Err(TrainError::SingleClass {
                    class: (1 - missing) as f64,
                });
            }
        }
        let total_weight = class_weight.iter().sum();
        let mut objective = Self {
            design,
            loss,
            targets,
            weights,
            cell,
            n_classes,
            group_names: groups.names().to_vec(),
            cell_weight,
            total_weight,
            l2: params.l2_penalty(),
            l1: params.l1_penalty().0,
            l1_smoothing: params.l1_penalty().1,
            terms: Vec::new(),
            quantities: Vec::new(),
            term_quantity: Vec::new(),
            cache: Mutex::new(None),
            best: Mutex::new(None),
            evaluations: AtomicUsize::new(0),
            budget: AtomicUsize::new(usize::MAX),
        };
        objective.set_terms(penalty_terms(params.penalties()))?;
        Ok(objective)
    }

    /// Number of parameters: features plus the intercept.
    pub fn dim(&self) -> usize {
        self.design.ncols() + 1
    }

    /// Whether the sparse (CSR) layout was chosen for the features.
    pub fn is_sparse(&self) -> bool {
        self.design.is_sparse()
    }

    /// Number of passes over the data so far (cache hits excluded).
    pub fn evaluations(&self) -> usize {
        self.evaluations.load(Ordering::Relaxed)
    }

    /// The cost and its gradient at `theta = [w, b]`, in one pass over the rows.
    pub fn value_and_gradient(&self, theta: &Array1<f64>) -> Result<(f64, Array1<f64>)> {
        self.check_dim(theta)?;
        Ok(self.eval(theta))
    }

    /// The exact Hessian at `theta` (`dim × dim`); the curvature of disparity terms in
    /// group-value space is taken by central differences of their analytic gradients.
    pub fn hessian_at(&self, theta: &Array1<f64>) -> Result<Array2<f64>> {
        self.check_dim(theta)?;
        Ok(self.hess(theta))
    }

    /// The scores `x_i·w + b` of every training row at `theta` (read through the prepared design
    /// matrix, in parallel).
    pub fn scores(&self, theta: &Array1<f64>) -> Result<Array1<f64>> {
        self.check_dim(theta)?;
        let d = self.design.ncols();
        let theta = theta
            .as_slice()
            .expect("parameter vectors are built contiguous");
        let (w, b) = (&theta[..d], theta[d]);
        let n = self.design.nrows();
        let mut scores = vec![0.0; n];
        scores
            .par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(k, out)| {
                for (i, s) in out.iter_mut().enumerate() {
                    *s = self.design.row(k * CHUNK + i).dot(w) + b;
                }
            });
        Ok(Array1::from_vec(scores))
    }

    /// The objective as an argmin problem.
    pub fn problem(&self) -> Problem<'_, 'a> {
        Problem(self)
    }

    /// Caps the total number of passes (a guard against a line search that never terminates:
    /// argmin runs its line searches without an iteration cap).
    pub(crate) fn set_budget(&self, max_evaluations: usize) {
        self.budget.store(max_evaluations, Ordering::Relaxed);
    }

    fn over_budget(&self) -> std::result::Result<(), argmin::core::Error> {
        if self.evaluations() >= self.budget.load(Ordering::Relaxed) {
            Err(argmin::core::Error::msg(
                "evaluation budget exhausted (the line search did not terminate)",
            ))
        } else {
            Ok(())
        }
    }

    /// The lowest-cost point evaluated so far and its cost.
    pub(crate) fn best_seen(&self) -> Option<(f64, Array1<f64>)> {
        self.best.lock().ok().and_then(|b| b.clone())
    }

    /// Replaces the fairness terms (λ path, augmented-Lagrangian rounds), checking that every
    /// group has rows in the cells each term averages over.
    pub(crate) fn set_terms(&mut self, terms: Vec<Term>) -> Result<()> {
        let mut quantities: Vec<Quantity> = Vec::new();
        let mut term_quantity = Vec::with_capacity(terms.len());
        for term in &terms {
            check_statistic(&term.statistic, self.loss, model_name(self.loss))?;
            let classes = label_classes(term.statistic.condition, self.loss);
            for (g, name) in self.group_names.iter().enumerate() {
                let w: f64 = classes
                    .iter()
                    .map(|&cl| self.cell_weight[g * self.n_classes + cl])
                    .sum();
                if w <= 0.0 {
                    return Err(empty_cell(&term.statistic, name));
                }
            }
            let k = match quantities
                .iter()
                .position(|&q| q == term.statistic.quantity)
            {
                Some(k) => k,
                None => {
                    quantities.push(term.statistic.quantity);
                    quantities.len() - 1
                }
            };
            term_quantity.push(k);
        }
        self.terms = terms;
        self.quantities = quantities;
        self.term_quantity = term_quantity;
        self.reset();
        Ok(())
    }

    /// Forgets the cache and the best point (after the terms changed).
    fn reset(&mut self) {
        *self.cache.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        *self.best.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn check_dim(&self, theta: &Array1<f64>) -> Result<()> {
        if theta.len() == self.dim() {
            Ok(())
        } else {
            Err(TrainError::LengthMismatch {
                what: "parameter vector".into(),
                expected: self.dim(),
                found: theta.len(),
            })
        }
    }

    fn slots(&self) -> usize {
        self.quantities.len() * self.cell_weight.len()
    }

    /// Cost and gradient, from the cache when `theta` was the last point evaluated.
    fn eval(&self, theta: &Array1<f64>) -> (f64, Array1<f64>) {
        self.with_cached(theta, |c| (c.cost, c.gradient.clone()))
    }

    fn with_cached<T>(&self, theta: &Array1<f64>, f: impl FnOnce(&Cached) -> T) -> T {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.as_ref().filter(|c| c.theta == *theta) {
            return f(c);
        }
        let fresh = self.compute(theta);
        let mut best = self.best.lock().unwrap_or_else(|e| e.into_inner());
        if fresh.cost.is_finite() && best.as_ref().map_or(true, |(b, _)| fresh.cost < *b) {
            *best = Some((fresh.cost, theta.clone()));
        }
        let out = f(&fresh);
        *cache = Some(fresh);
        out
    }

    /// Runs `work` over row ranges, in parallel for large data, and adds the results in order.
    fn over_rows<T: Send>(
        &self,
        zero: impl Fn() -> T + Sync,
        work: impl Fn(&mut T, usize, usize) + Sync,
        add: impl Fn(&mut T, &T),
    ) -> T {
        let n = self.design.nrows();
        if n <= 2 * CHUNK {
            let mut acc = zero();
            work(&mut acc, 0, n);
            return acc;
        }
        let parts: Vec<T> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|k| {
                let mut acc = zero();
                work(&mut acc, k * CHUNK, ((k + 1) * CHUNK).min(n));
                acc
            })
            .collect();
        let mut parts = parts.into_iter();
        let mut total = parts.next().unwrap_or_else(&zero);
        for p in parts {
            add(&mut total, &p);
        }
        total
    }

    fn weight(&self, i: usize) -> f64 {
        self.weights.as_ref().map_or(1.0, |w| w[i])
    }

    fn compute(&self, theta: &Array1<f64>) -> Cached {
        self.evaluations.fetch_add(1, Ordering::Relaxed);
        let d = self.design.ncols();
        let theta_slice = theta
            .as_slice()
            .expect("parameter vectors are built contiguous");
        let (w, b) = (&theta_slice[..d], theta_slice[d]);
        let cells = self.cell_weight.len();
        let pass = self.over_rows(
            || Pass::zeros(d + 1, self.slots()),
            |acc, lo, hi| {
                for i in lo..hi {
                    let wi = self.weight(i);
                    if wi == 0.0 {
                        continue;
                    }
                    let row = self.design.row(i);
                    let s = row.dot(w) + b;
                    let y = self.targets[i];
                    let (l, d1, _) = self.loss.eval(s, y);
                    // σ(s) for a logistic model is the loss derivative plus the label (unused for
                    // a linear model, whose quantities do not need it).
                    let p = d1 + y;
                    acc.loss += wi * l;
                    let a = wi * d1;
                    let cell = self.cell[i] as usize;
                    if let [quantity] = self.quantities[..] {
                        // One penalty quantity (the common case): both sums in one walk.
                        let (v, dv, _) = soft_given(quantity, self.loss, s, y, p);
                        acc.qsum[cell] += wi * v;
                        let c = wi * dv;
                        let off = cell * (d + 1);
                        row.axpy2(a, &mut acc.grad[..d], c, &mut acc.qgrad[off..off + d]);
                        acc.grad[d] += a;
                        acc.qgrad[off + d] += c;
                        continue;
                    }
                    row.axpy(a, &mut acc.grad[..d]);
                    acc.grad[d] += a;
                    for (k, quantity) in self.quantities.iter().enumerate() {
                        let (v, dv, _) = soft_given(*quantity, self.loss, s, y, p);
                        let slot = k * cells + cell;
                        acc.qsum[slot] += wi * v;
                        let a = wi * dv;
                        let off = slot * (d + 1);
                        row.axpy(a, &mut acc.qgrad[off..off + d]);
                        acc.qgrad[off + d] += a;
                    }
                }
            },
            Pass::add,
        );
        let mut cost = pass.loss / self.total_weight + 0.5 * self.l2 * dot(w, w);
        let mut gradient = Array1::from_iter(pass.grad.iter().map(|g| g / self.total_weight));
        for (g, &wj) in gradient.iter_mut().zip(w) {
            *g += self.l2 * wj;
        }
        if self.l1 > 0.0 {
            let delta = self.l1_smoothing;
            for (g, &wj) in gradient.iter_mut().zip(w) {
                let r = wj.hypot(delta);
                cost += self.l1 * (r - delta);
                *g += self.l1 * wj / r;
            }
        }
        let grad = gradient
            .as_slice_mut()
            .expect("freshly allocated arrays are contiguous");
        let mut states = Vec::with_capacity(self.terms.len());
        for (t, term) in self.terms.iter().enumerate() {
            let k = self.term_quantity[t];
            let state = self.term_state(term, k, &pass);
            let (value, _) = term.function.evaluate(&state.values, &state.shares);
            cost += term.weight * value;
            let classes = label_classes(term.statistic.condition, self.loss);
            for (g, (&dv, &wg)) in state.dvalues.iter().zip(&state.cell_weights).enumerate() {
                let coef = term.weight * dv / wg;
                for &cl in classes {
                    let off = (k * cells + g * self.n_classes + cl) * (d + 1);
                    for (o, &q) in grad.iter_mut().zip(&pass.qgrad[off..off + d + 1]) {
                        *o += coef * q;
                    }
                }
            }
            states.push(state);
        }
        Cached {
            theta: theta.clone(),
            cost,
            gradient,
            pass,
            terms: states,
        }
    }

    /// Group values, shares and the group function's gradient for one term.
    fn term_state(&self, term: &Term, k: usize, pass: &Pass) -> TermState {
        let cells = self.cell_weight.len();
        let classes = label_classes(term.statistic.condition, self.loss);
        let n_groups = self.group_names.len();
        let mut values = vec![0.0; n_groups];
        let mut cell_weights = vec![0.0; n_groups];
        for g in 0..n_groups {
            for &cl in classes {
                let c = g * self.n_classes + cl;
                values[g] += pass.qsum[k * cells + c];
                cell_weights[g] += self.cell_weight[c];
            }
            values[g] /= cell_weights[g];
        }
        let total: f64 = cell_weights.iter().sum();
        let shares: Vec<f64> = cell_weights.iter().map(|w| w / total).collect();
        let (_, dvalues) = term.function.evaluate(&values, &shares);
        TermState {
            values,
            shares,
            cell_weights,
            dvalues,
        }
    }

    fn hess(&self, theta: &Array1<f64>) -> Array2<f64> {
        let (pass, states) = self.with_cached(theta, |c| (c.pass.clone(), c.terms.clone()));
        let d = self.design.ncols();
        let dim = d + 1;
        let cells = self.cell_weight.len();
        // Per (quantity, cell): the coefficient of the quantity's second derivative.
        let mut coef = vec![0.0; self.slots()];
        for (t, (term, state)) in self.terms.iter().zip(&states).enumerate() {
            let k = self.term_quantity[t];
            for (g, (&dv, &wg)) in state.dvalues.iter().zip(&state.cell_weights).enumerate() {
                for &cl in label_classes(term.statistic.condition, self.loss) {
                    coef[k * cells + g * self.n_classes + cl] += term.weight * dv / wg;
                }
            }
        }
        let theta_slice = theta
            .as_slice()
            .expect("parameter vectors are built contiguous");
        let (w, b) = (&theta_slice[..d], theta_slice[d]);
        let upper = self.over_rows(
            || vec![0.0; dim * dim],
            |acc, lo, hi| {
                for i in lo..hi {
                    let wi = self.weight(i);
                    if wi == 0.0 {
                        continue;
                    }
                    let row = self.design.row(i);
                    let s = row.dot(w) + b;
                    let y = self.targets[i];
                    let (d1, d2) = self.loss.derivatives(s, y);
                    let mut h = wi * d2 / self.total_weight;
                    let cell = self.cell[i] as usize;
                    for (k, quantity) in self.quantities.iter().enumerate() {
                        let c = coef[k * cells + cell];
                        if c != 0.0 {
                            h += wi * c * soft_given(*quantity, self.loss, s, y, d1 + y).2;
                        }
                    }
                    if h == 0.0 {
                        continue;
                    }
                    row.outer_upper(h, acc, dim);
                }
            },
            |a, b| add_into(a, b),
        );
        let mut hessian = Array2::zeros((dim, dim));
        for j in 0..dim {
            for k in j..dim {
                hessian[[j, k]] = upper[j * dim + k];
                hessian[[k, j]] = upper[j * dim + k];
            }
        }
        for j in 0..d {
            hessian[[j, j]] += self.l2;
        }
        if self.l1 > 0.0 {
            let delta = self.l1_smoothing;
            for (j, &wj) in w.iter().enumerate() {
                let r = wj.hypot(delta);
                hessian[[j, j]] += self.l1 * delta * delta / (r * r * r);
            }
        }
        // Curvature of the group functions: Σ_{g,h} ∂²f/∂v_g∂v_h ∇v_g ∇v_hᵀ.
        for (t, (term, state)) in self.terms.iter().zip(&states).enumerate() {
            let k = self.term_quantity[t];
            let classes = label_classes(term.statistic.condition, self.loss);
            let grads: Vec<Array1<f64>> = (0..state.values.len())
                .map(|g| {
                    let mut v = Array1::zeros(dim);
                    for &cl in classes {
                        let off = (k * cells + g * self.n_classes + cl) * dim;
                        v += &ndarray::ArrayView1::from(&pass.qgrad[off..off + dim]);
                    }
                    v / state.cell_weights[g]
                })
                .collect();
            let second = term.function.hessian(&state.values, &state.shares);
            for (g, row) in second.iter().enumerate() {
                for (h, &c) in row.iter().enumerate() {
                    if c == 0.0 {
                        continue;
                    }
                    let scale = term.weight * c;
                    for j in 0..dim {
                        let a = scale * grads[g][j];
                        for l in 0..dim {
                            hessian[[j, l]] += a * grads[h][l];
                        }
                    }
                }
            }
        }
        hessian
    }
}

/// The objective terms of weighted penalties (one term per statistic).
pub(crate) fn penalty_terms(penalties: &[(Penalty, f64)]) -> Vec<Term> {
    penalties
        .iter()
        .flat_map(|(penalty, weight)| {
            penalty.statistics().iter().map(|&statistic| Term {
                weight: *weight,
                statistic,
                function: GroupFn::SmoothAggregate(penalty.aggregate()),
            })
        })
        .collect()
}

fn model_name(loss: Loss) -> &'static str {
    match loss {
        Loss::Logistic => "logistic",
        Loss::Squared => "linear",
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The objective seen through argmin's problem traits (borrowing it, so that the caller keeps
/// the cache, the evaluation count and the best point after the solver finishes).
#[derive(Debug, Clone, Copy)]
pub struct Problem<'o, 'a>(&'o Objective<'a>);

impl CostFunction for Problem<'_, '_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, theta: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        self.0.over_budget()?;
        Ok(self.0.value_and_gradient(theta)?.0)
    }
}

impl Gradient for Problem<'_, '_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(
        &self,
        theta: &Self::Param,
    ) -> std::result::Result<Self::Gradient, argmin::core::Error> {
        self.0.over_budget()?;
        Ok(self.0.value_and_gradient(theta)?.1)
    }
}

impl Hessian for Problem<'_, '_> {
    type Param = Array1<f64>;
    type Hessian = Array2<f64>;

    fn hessian(
        &self,
        theta: &Self::Param,
    ) -> std::result::Result<Self::Hessian, argmin::core::Error> {
        Ok(self.0.hessian_at(theta)?)
    }
}
