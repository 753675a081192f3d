//! The one pass over the rows that computes the cost, the gradient and every term's group
//! values together, and the cached sums it leaves.

use std::sync::atomic::Ordering;

use ndarray::Array1;

use crate::error::Result;
use crate::statistic::label_classes;

use super::{Objective, Term};

/// Sums of one pass over the rows.
#[derive(Debug, Clone)]
pub(super) struct Pass {
    pub(super) loss: f64,
    pub(super) grad: Vec<f64>,
    pub(super) qsum: Vec<f64>,
    pub(super) qgrad: Vec<f64>,
}

impl Pass {
    pub(super) fn zeros(dim: usize, slots: usize) -> Self {
        Self {
            loss: 0.0,
            grad: vec![0.0; dim],
            qsum: vec![0.0; slots],
            qgrad: vec![0.0; slots * dim],
        }
    }

    pub(super) fn add(&mut self, other: &Pass) {
        self.loss += other.loss;
        add_into(&mut self.grad, &other.grad);
        add_into(&mut self.qsum, &other.qsum);
        add_into(&mut self.qgrad, &other.qgrad);
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
    pub(super) terms: Vec<TermState>,
}

impl Objective<'_> {
    pub(super) fn compute(&self, theta: &Array1<f64>) -> Result<Cached> {
        self.evaluations.fetch_add(1, Ordering::Relaxed);
        let (w, b) = super::split(theta);
        let d = w.len();
        let cells = self.cell_weight.len();
        let pass = self.over_rows(
            || Pass::zeros(d + 1, self.slots()),
            |block, acc, lo, hi| {
                for i in lo..hi {
                    let wi = block.weight(i);
                    if wi == 0.0 {
                        continue;
                    }
                    let row = block.design.row(i);
                    let s = row.dot(w) + b;
                    let y = block.targets[i];
                    let (l, d1, _) = self.loss.eval(s, y);
                    // σ(s) for a logistic model is the loss derivative plus the label (unused for
                    // a linear model, whose quantities do not need it).
                    let p = d1 + y;
                    acc.loss += wi * l;
                    let a = wi * d1;
                    let cell = block.cell[i] as usize;
                    if let [quantity] = self.quantities[..] {
                        // One penalty quantity (the common case): both sums in one walk.
                        let (v, dv, _) = quantity.at(self.loss, s, y, p);
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
                        let (v, dv, _) = quantity.at(self.loss, s, y, p);
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
        )?;
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
        Ok(Cached {
            theta: theta.clone(),
            cost,
            gradient,
            pass,
            terms: states,
        })
    }

    /// Group values, shares and the group function's gradient for one term.
    pub(super) fn term_state(&self, term: &Term, k: usize, pass: &Pass) -> TermState {
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
}

pub(super) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
