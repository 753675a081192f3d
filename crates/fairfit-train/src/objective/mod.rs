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
//!
//! Every sum of the pass is additive over rows, so the rows need not be in memory together: an
//! objective built by [`Objective::from_chunks`] reads them from a [`ChunkSource`] one chunk at
//! a time, every evaluation one pass over the source, and adds the chunks' sums (see
//! `stream.rs`). The solvers cannot tell the two apart.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use fairfit_data::fairness::{ClassCells, Statistic, Undefined};
use fairfit_data::FairDataset;
use ndarray::{Array1, Array2};

use crate::design::Layout;
use crate::error::{Result, TrainError};
use crate::loss::{Loss, ModelKind};
use crate::penalty::Penalty;
use crate::statistic::{check_statistic, SoftQuantity};

mod curvature;
mod gather;
mod hessian;
mod margins;
mod pass;
mod problem;
mod rows;
mod source;
mod stream;
mod terms;

use pass::Cached;
pub use problem::Problem;
use rows::RowBlock;
pub use source::{ChunkSource, DatasetChunks};
use stream::Streamed;
use terms::model_name;
pub(crate) use terms::{penalty_terms, GroupFn, Term};

/// Where an objective's rows are.
#[derive(Debug)]
enum Rows<'a> {
    /// All in memory, prepared once.
    Held(RowBlock<'a>),
    /// Read from a source a chunk at a time, in every pass.
    Streamed(Streamed<'a>),
}
/// The fairness-penalised, sample-weighted, L2-regularised training objective of a linear or
/// logistic model on one data set; parameters are `[w_1, …, w_d, b]`.
///
/// It implements argmin's [`CostFunction`](argmin::core::CostFunction), [`Gradient`](argmin::core::Gradient) and
/// [`Hessian`](argmin::core::Hessian) (through a thin
/// wrapper, see [`Objective::problem`]); [`Objective::value_and_gradient`] is the one-pass
/// evaluation the solvers use.
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use fairfit::train::{FairLogisticRegression, Objective, ParamGuard, Penalty};
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
    rows: Rows<'a>,
    loss: Loss,
    /// The weight of every group × label-class cell: the engine's cells that the pass's sums
    /// are read through.
    cells: ClassCells,
    total_weight: f64,
    l2: f64,
    l1: f64,
    l1_smoothing: f64,
    terms: Vec<Term>,
    quantities: Vec<SoftQuantity>,
    term_quantity: Vec<usize>,
    /// The label classes each term's statistic averages over.
    term_classes: Vec<&'static [usize]>,
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
        let groups = data.groups();
        let identity: Vec<usize> = (0..groups.n_groups()).collect();
        let block = RowBlock::new(data, params.layout(), loss, &identity, 0)?;
        let n_classes = if loss.is_classification() { 2 } else { 1 };
        let mut cell_weight = vec![0.0; groups.n_groups() * n_classes];
        let mut class_weight = [0.0; 2];
        block.add_weights(n_classes, &mut cell_weight, &mut class_weight);
        Self::assemble(
            Rows::Held(block),
            loss,
            groups.names().to_vec(),
            cell_weight,
            class_weight,
            params,
        )
    }

    /// The objective over prepared rows, with the weight of every group × label cell and class.
    fn assemble<P: ObjectiveParams>(
        rows: Rows<'a>,
        loss: Loss,
        group_names: Vec<String>,
        cell_weight: Vec<f64>,
        class_weight: [f64; 2],
        params: &P,
    ) -> Result<Self> {
        if loss.is_classification() {
            if let Some(missing) = class_weight.iter().position(|&w| w <= 0.0) {
                return Err(TrainError::SingleClass {
                    class: (1 - missing) as f64,
                });
            }
        }
        let total_weight = class_weight.iter().sum();
        let cells = ClassCells::new(group_names, loss.is_classification(), cell_weight)?;
        let mut objective = Self {
            rows,
            loss,
            cells,
            total_weight,
            l2: params.l2_penalty(),
            l1: params.l1_penalty().0,
            l1_smoothing: params.l1_penalty().1,
            terms: Vec::new(),
            quantities: Vec::new(),
            term_quantity: Vec::new(),
            term_classes: Vec::new(),
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
        match &self.rows {
            Rows::Held(block) => block.design.ncols() + 1,
            Rows::Streamed(stream) => stream.ncols() + 1,
        }
    }

    /// Whether the sparse (CSR) layout was chosen for the features.
    pub fn is_sparse(&self) -> bool {
        match &self.rows {
            Rows::Held(block) => block.design.is_sparse(),
            Rows::Streamed(stream) => stream.is_sparse(),
        }
    }

    /// The mean and population standard deviation of every feature column (the solver
    /// standardises in their coordinates).
    pub(crate) fn column_moments(&self) -> (&[f64], &[f64]) {
        match &self.rows {
            Rows::Held(block) => block.design.column_moments(),
            Rows::Streamed(stream) => stream.column_moments(),
        }
    }

    /// Whether fairness terms (penalties or targets) are part of the objective.
    pub(crate) fn has_terms(&self) -> bool {
        !self.terms.is_empty()
    }

    /// Number of passes over the data so far (cache hits excluded).
    pub fn evaluations(&self) -> usize {
        self.evaluations.load(Ordering::Relaxed)
    }

    /// The cost and its gradient at `theta = [w, b]`, in one pass over the rows.
    pub fn value_and_gradient(&self, theta: &Array1<f64>) -> Result<(f64, Array1<f64>)> {
        self.check_dim(theta)?;
        self.eval(theta)
    }

    /// The exact Hessian at `theta` (`dim × dim`); the curvature of disparity terms in
    /// group-value space is taken by central differences of their analytic gradients.
    pub fn hessian_at(&self, theta: &Array1<f64>) -> Result<Array2<f64>> {
        self.check_dim(theta)?;
        self.hess(theta)
    }

    /// The scores `x_i·w + b` of every training row at `theta` (read through the prepared design
    /// matrix, in parallel; a streamed objective reads its source once and returns one score per
    /// row, so the result is as long as the data).
    pub fn scores(&self, theta: &Array1<f64>) -> Result<Array1<f64>> {
        self.check_dim(theta)?;
        let (w, b) = split(theta);
        let mut scores = Vec::new();
        self.for_each_block(&mut |block| {
            scores.extend(block.scores(w, b));
            Ok(())
        })?;
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
    /// group has rows in the cells each term averages over (the engine's [`ClassCells`] say
    /// which cells, and which groups are undefined).
    pub(crate) fn set_terms(&mut self, terms: Vec<Term>) -> Result<()> {
        let mut quantities: Vec<SoftQuantity> = Vec::new();
        let mut term_quantity = Vec::with_capacity(terms.len());
        let mut term_classes = Vec::with_capacity(terms.len());
        for term in &terms {
            let model = model_name(self.loss);
            check_statistic(&term.statistic, self.loss, model)?;
            if let [only] = self.cells.groups() {
                return Err(TrainError::SingleGroup {
                    group: only.clone(),
                    statistic: term.statistic.name(),
                });
            }
            let classes = self
                .cells
                .classes(term.statistic.condition)
                .ok_or_else(|| TrainError::Unsupported {
                    statistic: term.statistic.name(),
                    model,
                    reason: "its condition does not select rows by label",
                })?;
            if let Some((group, undefined)) = self.cells.undefined(term.statistic) {
                return Err(undefined_cell(&term.statistic, group, undefined));
            }
            let k = match quantities.iter().position(|&q| q == term.soft_quantity()) {
                Some(k) => k,
                None => {
                    quantities.push(term.soft_quantity());
                    quantities.len() - 1
                }
            };
            term_quantity.push(k);
            term_classes.push(classes);
        }
        self.terms = terms;
        self.quantities = quantities;
        self.term_quantity = term_quantity;
        self.term_classes = term_classes;
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

    /// Cost and gradient, from the cache when `theta` was the last point evaluated.
    fn eval(&self, theta: &Array1<f64>) -> Result<(f64, Array1<f64>)> {
        self.with_cached(theta, |c| (c.cost, c.gradient.clone()))
    }

    fn with_cached<T>(&self, theta: &Array1<f64>, f: impl FnOnce(&Cached) -> T) -> Result<T> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.as_ref().filter(|c| c.theta == *theta) {
            return Ok(f(c));
        }
        // The last pass's row buffer, when no Hessian still shares it, is this pass's.
        let spare = cache
            .take()
            .and_then(|c| Arc::try_unwrap(c.rows).ok())
            .unwrap_or_default();
        let fresh = self.compute(theta, spare)?;
        let mut best = self.best.lock().unwrap_or_else(|e| e.into_inner());
        if fresh.cost.is_finite() && best.as_ref().map_or(true, |(b, _)| fresh.cost < *b) {
            *best = Some((fresh.cost, theta.clone()));
        }
        let out = f(&fresh);
        *cache = Some(fresh);
        Ok(out)
    }

    /// Calls `visit` with every block of rows: the held one, or each chunk of one pass over
    /// the source.
    fn for_each_block(&self, visit: &mut dyn FnMut(&RowBlock<'_>) -> Result<()>) -> Result<()> {
        match &self.rows {
            Rows::Held(block) => visit(block),
            Rows::Streamed(stream) => stream.for_each_block(self.loss, visit),
        }
    }

    /// Runs `work` over the row ranges of every block (in parallel within a block) and adds
    /// the results in order: one pass over the rows.
    fn over_rows<T: Send>(
        &self,
        zero: impl Fn() -> T + Sync,
        work: impl Fn(&RowBlock<'_>, &mut T, usize, usize) + Sync,
        add: impl Fn(&mut T, &T),
    ) -> Result<T> {
        let mut total: Option<T> = None;
        self.for_each_block(&mut |block| {
            let part = block.over_rows(&zero, |acc, lo, hi| work(block, acc, lo, hi), &add);
            match total.as_mut() {
                Some(total) => add(total, &part),
                None => total = Some(part),
            }
            Ok(())
        })?;
        Ok(total.unwrap_or_else(zero))
    }
}

/// The error for a group in which `statistic` is undefined (the engine's reason).
fn undefined_cell(statistic: &Statistic, group: &str, undefined: Undefined) -> TrainError {
    TrainError::EmptyCell {
        group: group.to_string(),
        reason: undefined.reason,
        statistic: statistic.name(),
    }
}

/// `theta = [w, b]` split into the coefficients and the intercept.
fn split(theta: &Array1<f64>) -> (&[f64], f64) {
    let theta = theta
        .as_slice()
        .expect("parameter vectors are built contiguous");
    let d = theta.len() - 1;
    (&theta[..d], theta[d])
}

#[cfg(test)]
mod tests;
