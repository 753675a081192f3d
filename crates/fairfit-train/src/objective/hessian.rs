//! The exact Hessian of the objective (what Newton's method solves with).

use std::sync::Arc;

use ndarray::{Array1, Array2};

use crate::error::Result;

use super::pass::add_into;
use super::Objective;

impl Objective<'_> {
    pub(super) fn hess(&self, theta: &Array1<f64>) -> Result<Array2<f64>> {
        let (sums, states, rows) = self.with_cached(theta, |c| {
            (c.pass.sums.clone(), c.terms.clone(), Arc::clone(&c.rows))
        })?;
        let d = self.dim() - 1;
        let dim = d + 1;
        let cells = self.cells.len();
        // Per (quantity, cell): the coefficient of the quantity's second derivative.
        let mut coef = vec![0.0; self.quantities.len() * cells];
        for (t, (term, state)) in self.terms.iter().zip(&states).enumerate() {
            let k = self.term_quantity[t];
            for (g, (&dv, &wg)) in state.dvalues.iter().zip(&state.cell_weights).enumerate() {
                for cell in self.cells.cells_of(g, self.term_classes[t]) {
                    coef[k * cells + cell] += term.weight * dv / wg;
                }
            }
        }
        let theta_slice = theta
            .as_slice()
            .expect("parameter vectors are built contiguous");
        let (w, b) = (&theta_slice[..d], theta_slice[d]);
        let upper = self.over_rows(
            || vec![0.0; dim * dim],
            |block, acc, lo, hi| {
                for i in lo..hi {
                    let wi = block.weight(i);
                    if wi == 0.0 {
                        continue;
                    }
                    let row = block.design.row(i);
                    let y = block.targets[i];
                    // The pass at this point kept the rows' scores and derivatives when they
                    // are in memory; a streamed block computes them again.
                    let [s, d1, d2] = match rows.get(i) {
                        Some(&kept) => kept,
                        None => {
                            let s = row.dot(w) + b;
                            let (d1, d2) = self.loss.derivatives(s, y);
                            [s, d1, d2]
                        }
                    };
                    let mut h = wi * d2 / self.total_weight;
                    let cell = block.cell[i] as usize;
                    for (k, quantity) in self.quantities.iter().enumerate() {
                        let c = coef[k * cells + cell];
                        if c != 0.0 {
                            h += wi * c * quantity.at(self.loss, s, y, d1 + y).2;
                        }
                    }
                    if h == 0.0 {
                        continue;
                    }
                    row.outer_upper(h, acc, dim);
                }
            },
            |a, b| add_into(a, b),
        )?;
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
            let sums = &sums[self.term_quantity[t]];
            let grads: Vec<Array1<f64>> = (0..state.values.len())
                .map(|g| {
                    let mut v = Array1::zeros(dim);
                    for cell in self.cells.cells_of(g, self.term_classes[t]) {
                        v += &ndarray::ArrayView1::from(sums.derivative(cell));
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
        Ok(hessian)
    }
}
