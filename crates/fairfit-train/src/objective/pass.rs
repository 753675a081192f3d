//! The one pass over the rows that computes the cost, the gradient and every term's group
//! values together, and the cached sums it leaves.
//!
//! Each row's weighted soft quantity and its score-derivative times the row are added to the
//! row's cell of the statistic engine's [`CellSums`]; the group values, their weights and
//! shares, and an undefined group, are then read from the sums by the engine's [`ClassCells`],
//! as every other stage reads group statistics.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use fairfit_data::fairness::{CellSums, GroupMeans};
use ndarray::Array1;

use crate::error::{Result, TrainError};
use crate::loss::ln_1p;

use super::rows::RowBlock;
use super::{undefined_cell, Objective, Rows};

/// The product of unweighted rows' `1 + e` at which the pass takes its logarithm.
const PRODUCT_LIMIT: f64 = 18_446_744_073_709_551_616.0; // 2⁶⁴

/// Rows whose scores and loss terms are computed together before their sums are added.
const BATCH: usize = 16;

/// Sums of one pass over the rows.
#[derive(Debug, Clone)]
pub(super) struct Pass {
    pub(super) loss: f64,
    pub(super) grad: Vec<f64>,
    /// Per soft quantity of the terms, its cell sums `Σ w v` and `Σ w v′ x̃` (`x̃ = (x, 1)`).
    pub(super) sums: Vec<CellSums>,
}

impl Pass {
    pub(super) fn zeros(dim: usize, quantities: usize, cells: usize) -> Self {
        Self {
            loss: 0.0,
            grad: vec![0.0; dim],
            sums: vec![CellSums::zeros(cells, dim); quantities],
        }
    }

    /// Adds the sums of the rows after this pass's (parts are added in row order).
    pub(super) fn add(&mut self, other: &Pass) {
        self.loss += other.loss;
        add_into(&mut self.grad, &other.grad);
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            a.add(b);
        }
    }
}

pub(super) fn add_into(a: &mut [f64], b: &[f64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// A term's group values at the cached point.
#[derive(Debug, Clone)]
pub(super) struct TermState {
    pub(super) values: Vec<f64>,
    pub(super) shares: Vec<f64>,
    pub(super) cell_weights: Vec<f64>,
    pub(super) dvalues: Vec<f64>,
}

#[derive(Debug, Clone)]
pub(super) struct Cached {
    pub(super) theta: Array1<f64>,
    pub(super) cost: f64,
    pub(super) gradient: Array1<f64>,
    pub(super) pass: Pass,
    /// The pass's per-row scores and loss derivatives (shared with Hessian passes at the same
    /// point, which then need no score or exponential per row).
    pub(super) rows: Arc<Vec<[f64; 3]>>,
    pub(super) terms: Vec<TermState>,
}

impl Objective<'_> {
    /// One pass at `theta`. `spare` is a buffer the last pass kept its rows in, no longer
    /// shared (reused for this pass's rows when they are in memory).
    pub(super) fn compute(&self, theta: &Array1<f64>, spare: Vec<[f64; 3]>) -> Result<Cached> {
        self.evaluations.fetch_add(1, Ordering::Relaxed);
        let (w, b) = super::split(theta);
        let d = w.len();
        let cells = self.cells.len();
        let zero = || Pass::zeros(d + 1, self.quantities.len(), cells);
        // The work on rows `lo..hi` of a block; `kept` is empty (streamed) or holds one entry
        // per row of the range, where the row's score and loss derivatives are written.
        let work =
            |block: &RowBlock<'_>, acc: &mut Pass, lo: usize, hi: usize, kept: &mut [[f64; 3]]| {
                let Pass { loss, grad, sums } = acc;
                // Unweighted rows add `ln(1 + e)` of the loss as one logarithm of the product
                // of their `1 + e` (each ≤ 2), taken when the product passes 2⁶⁴ and at the end.
                let unweighted = block.weights.is_none();
                let mut product = 1.0f64;
                let mut start = lo;
                while start < hi {
                    let end = (start + BATCH).min(hi);
                    // The batch's scores, then its loss terms, then its sums: the rows of a
                    // batch are independent, so the latencies of their dot products,
                    // exponentials and divisions overlap instead of forming one chain per row.
                    let mut scores = [0.0f64; BATCH];
                    let mut terms = [[0.0f64; 4]; BATCH];
                    for (s, i) in scores.iter_mut().zip(start..end) {
                        *s = block.design.row(i).dot(w) + b;
                    }
                    for ((t, &s), &y) in terms
                        .iter_mut()
                        .zip(&scores)
                        .zip(&block.targets[start..end])
                    {
                        let (linear, e, d1, d2) = self.loss.eval_split(s, y);
                        *t = [linear, e, d1, d2];
                    }
                    for i in start..end {
                        let wi = block.weight(i);
                        if wi == 0.0 {
                            if let Some(k) = kept.get_mut(i - lo) {
                                *k = [0.0; 3];
                            }
                            continue;
                        }
                        let row = block.design.row(i);
                        let s = scores[i - start];
                        let y = block.targets[i];
                        let [linear, e, d1, d2] = terms[i - start];
                        if let Some(k) = kept.get_mut(i - lo) {
                            *k = [s, d1, d2];
                        }
                        // σ(s) for a logistic model is the loss derivative plus the label
                        // (unused for a linear model, whose quantities do not need it).
                        let p = d1 + y;
                        if unweighted {
                            *loss += linear;
                            product *= 1.0 + e;
                            if product > PRODUCT_LIMIT {
                                *loss += product.ln();
                                product = 1.0;
                            }
                        } else {
                            *loss += wi * (linear + ln_1p(e));
                        }
                        let a = wi * d1;
                        let cell = block.cell[i] as usize;
                        if let ([quantity], [sums]) = (&self.quantities[..], &mut sums[..]) {
                            // One penalty quantity (the common case): both sums in one walk.
                            let (v, dv, _) = quantity.at(self.loss, s, y, p);
                            sums.add_row(cell, wi * v);
                            let c = wi * dv;
                            let slot = sums.derivative_mut(cell);
                            row.axpy2(a, &mut grad[..d], c, &mut slot[..d]);
                            grad[d] += a;
                            slot[d] += c;
                            continue;
                        }
                        row.axpy(a, &mut grad[..d]);
                        grad[d] += a;
                        for (quantity, sums) in self.quantities.iter().zip(sums.iter_mut()) {
                            let (v, dv, _) = quantity.at(self.loss, s, y, p);
                            sums.add_row(cell, wi * v);
                            let a = wi * dv;
                            let slot = sums.derivative_mut(cell);
                            row.axpy(a, &mut slot[..d]);
                            slot[d] += a;
                        }
                    }
                    start = end;
                }
                *loss += product.ln();
            };
        let (pass, rows) = match &self.rows {
            Rows::Held(block) => {
                let mut kept = spare;
                kept.resize(block.nrows(), [0.0; 3]);
                let pass = block.over_rows_keeping(
                    &mut kept,
                    zero,
                    |acc, lo, hi, out| work(block, acc, lo, hi, out),
                    Pass::add,
                );
                (pass, kept)
            }
            Rows::Streamed(_) => (
                self.over_rows(
                    zero,
                    |block, acc, lo, hi| work(block, acc, lo, hi, &mut []),
                    Pass::add,
                )?,
                Vec::new(),
            ),
        };
        let rows = Arc::new(rows);
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
            let state = self.term_state(t, &pass)?;
            let (value, _) = term.function.evaluate(&state.values, &state.shares);
            cost += term.weight * value;
            let sums = &pass.sums[self.term_quantity[t]];
            for (g, (&dv, &wg)) in state.dvalues.iter().zip(&state.cell_weights).enumerate() {
                let coef = term.weight * dv / wg;
                for cell in self.cells.cells_of(g, self.term_classes[t]) {
                    for (o, &q) in grad.iter_mut().zip(sums.derivative(cell)) {
                        *o += coef * q;
                    }
                }
            }
            states.push(state);
        }
        Ok(Cached {
            theta: theta.clone(),
            cost,
            gradient,
            pass,
            rows,
            terms: states,
        })
    }

    /// Term `t`'s group values, shares and cell weights as the engine reads them from the
    /// pass's sums, and the group function's gradient.
    fn term_state(&self, t: usize, pass: &Pass) -> Result<TermState> {
        let term = &self.terms[t];
        let means: GroupMeans = self
            .cells
            .means(term.statistic, &pass.sums[self.term_quantity[t]])
            .ok_or_else(|| TrainError::Unsupported {
                statistic: term.statistic.name(),
                model: super::terms::model_name(self.loss),
                reason: "its condition does not select rows by label",
            })?;
        let shares = means.shares();
        let values = means
            .defined()
            .map_err(|(group, undefined)| undefined_cell(&term.statistic, &group, undefined))?;
        let (_, dvalues) = term.function.evaluate(&values, &shares);
        Ok(TermState {
            values,
            shares,
            cell_weights: means.weights,
            dvalues,
        })
    }
}

pub(super) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
