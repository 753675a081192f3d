//! Products of `X̃ᵀ D X̃` with a vector in one pass, without the `d × d` matrix (`x̃_i = (x_i, 1)`,
//! `D` a diagonal of row weights): the loss's Hessian and the design's Gram matrix, what the
//! separation check reads on designs too wide for a dense Hessian.

use ndarray::Array1;

use super::rows::RowBlock;
use super::{split, Objective};
use crate::design::Row;
use crate::error::Result;

impl Objective<'_> {
    /// `H u` for the Hessian of the weighted loss alone at `theta`,
    /// `H = (1/W) Σ_i w_i ℓ″(s_i) x̃_i x̃_iᵀ`: the whole Hessian when the objective has no
    /// fairness terms and no regularisation (as under separation).
    pub(crate) fn loss_hessian_times(
        &self,
        theta: &Array1<f64>,
        u: &Array1<f64>,
    ) -> Result<Array1<f64>> {
        self.check_dim(theta)?;
        let (w, b) = split(theta);
        self.weighted_gram_times(u, |block, i, row| {
            self.loss.derivatives(row.dot(w) + b, block.targets[i]).1
        })
    }

    /// `G u` for the design's weighted Gram matrix `G = (1/W) Σ_i w_i x̃_i x̃_iᵀ`, whose null
    /// space is the directions that move no row's score (collinear columns, such as every
    /// level of a one-hot block beside the intercept).
    pub(crate) fn gram_times(&self, u: &Array1<f64>) -> Result<Array1<f64>> {
        self.weighted_gram_times(u, |_, _, _| 1.0)
    }

    /// `(1/W) Σ_i w_i c_i x̃_i (x̃_i · u)` with `c_i = factor(block, i, row)`.
    fn weighted_gram_times(
        &self,
        u: &Array1<f64>,
        factor: impl Fn(&RowBlock<'_>, usize, Row<'_>) -> f64 + Sync,
    ) -> Result<Array1<f64>> {
        self.check_dim(u)?;
        let (uw, ub) = split(u);
        let dim = self.dim();
        let d = dim - 1;
        let out = self.over_rows(
            || vec![0.0; dim],
            |block, acc, lo, hi| {
                for i in lo..hi {
                    let wi = block.weight(i);
                    if wi == 0.0 {
                        continue;
                    }
                    let row = block.design.row(i);
                    let t = wi * factor(block, i, row) / self.total_weight * (row.dot(uw) + ub);
                    if t != 0.0 {
                        row.axpy(t, &mut acc[..d]);
                        acc[d] += t;
                    }
                }
            },
            |total, part| total.iter_mut().zip(part).for_each(|(a, b)| *a += b),
        )?;
        Ok(Array1::from_vec(out))
    }
}
