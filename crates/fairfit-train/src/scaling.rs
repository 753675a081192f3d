//! The coordinates the solvers work in: the coefficients of standardised features.
//!
//! The objective is defined on the raw features, and stays so; the solvers see it through the
//! affine change of parameters `θ = A v` under which every feature column is centred and scaled
//! to unit standard deviation:
//!
//! `w_j = v_j / s_j`, `b = v_b − Σ_j μ_j v_j / s_j`, so `x·w + b = Σ_j (x_j − μ_j)/s_j · v_j + v_b`.
//!
//! The gradient in these coordinates is `Aᵀ∇J` (`(g_j − μ_j g_b)/s_j` and `g_b`) and the Hessian
//! `Aᵀ H A`. Both do not change when a feature is multiplied by a constant or shifted, so the
//! stopping rule (the norm of this gradient) and the solvers' steps are the same whatever the
//! units of the features: one feature × 10⁶ or all × 10⁹ converge as the original data does.
//! Only the coordinates change: the optimum, the objective and the reported coefficients are
//! those of the raw problem.

use argmin::core::{CostFunction, Gradient, Hessian};
use ndarray::{Array1, Array2};

use crate::objective::{Objective, Problem};

/// A column whose standard deviation is below this fraction of its magnitude is constant (it only
/// duplicates the intercept): it is scaled by its magnitude, not centred.
const CONSTANT_SPREAD: f64 = 1e-12;

/// The affine map `θ = A v` between raw parameters `θ = [w, b]` and standardised ones `v`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scaling {
    /// `μ_j`: what column `j` is centred by (0 for a constant column).
    shift: Vec<f64>,
    /// `s_j > 0`: what column `j` is divided by.
    scale: Vec<f64>,
}

impl Scaling {
    /// The standardisation of the objective's feature columns (a constant column, which only
    /// duplicates the intercept, is divided by its magnitude and not centred; a zero one is kept).
    pub(crate) fn of(objective: &Objective<'_>) -> Self {
        let (mean, sd) = objective.column_moments();
        let (shift, scale) = mean
            .iter()
            .zip(sd)
            .map(|(&m, &s)| {
                if s > CONSTANT_SPREAD * m.abs() && s.is_finite() && s > 0.0 {
                    (m, s)
                } else if m != 0.0 && m.is_finite() {
                    (0.0, m.abs())
                } else {
                    (0.0, 1.0)
                }
            })
            .unzip();
        Self { shift, scale }
    }

    /// The identity map (features already standardised), for `d` features.
    #[cfg(test)]
    pub(crate) fn identity(d: usize) -> Self {
        Self {
            shift: vec![0.0; d],
            scale: vec![1.0; d],
        }
    }

    fn d(&self) -> usize {
        self.scale.len()
    }

    /// `v = A⁻¹ θ`: `v_j = s_j w_j`, `v_b = b + Σ_j μ_j w_j`.
    pub(crate) fn to_standardised(&self, theta: &Array1<f64>) -> Array1<f64> {
        let d = self.d();
        let mut v = theta.clone();
        let mut b = theta[d];
        for j in 0..d {
            v[j] = self.scale[j] * theta[j];
            b += self.shift[j] * theta[j];
        }
        v[d] = b;
        v
    }

    /// `θ = A v`: `w_j = v_j / s_j`, `b = v_b − Σ_j μ_j w_j`.
    pub(crate) fn to_raw(&self, v: &Array1<f64>) -> Array1<f64> {
        let d = self.d();
        let mut theta = v.clone();
        let mut b = v[d];
        for j in 0..d {
            theta[j] = v[j] / self.scale[j];
            b -= self.shift[j] * theta[j];
        }
        theta[d] = b;
        theta
    }

    /// `Aᵀ g`: the gradient with respect to the standardised parameters.
    pub(crate) fn gradient(&self, g: &Array1<f64>) -> Array1<f64> {
        let d = self.d();
        let mut out = g.clone();
        for j in 0..d {
            out[j] = (g[j] - self.shift[j] * g[d]) / self.scale[j];
        }
        out
    }

    /// `Aᵀ H A`: the Hessian with respect to the standardised parameters.
    pub(crate) fn hessian(&self, mut h: Array2<f64>) -> Array2<f64> {
        let d = self.d();
        // Columns: (H A)_{·j} = (H_{·j} − μ_j H_{·b}) / s_j.
        for j in 0..d {
            for i in 0..=d {
                h[[i, j]] = (h[[i, j]] - self.shift[j] * h[[i, d]]) / self.scale[j];
            }
        }
        // Rows: (Aᵀ M)_{j·} = (M_{j·} − μ_j M_{b·}) / s_j.
        for j in 0..d {
            for k in 0..=d {
                h[[j, k]] = (h[[j, k]] - self.shift[j] * h[[d, k]]) / self.scale[j];
            }
        }
        h
    }
}

/// The objective seen by the solvers, in standardised parameters: cost, gradient `Aᵀ∇J` and
/// Hessian `Aᵀ H A` at `θ = A v`, with the objective's cache, evaluation count and budget.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Standardised<'s, 'o, 'a> {
    problem: Problem<'o, 'a>,
    scaling: &'s Scaling,
}

impl<'s, 'o, 'a> Standardised<'s, 'o, 'a> {
    pub(crate) fn new(objective: &'o Objective<'a>, scaling: &'s Scaling) -> Self {
        Self {
            problem: objective.problem(),
            scaling,
        }
    }
}

impl CostFunction for Standardised<'_, '_, '_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, v: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        self.problem.cost(&self.scaling.to_raw(v))
    }
}

impl Gradient for Standardised<'_, '_, '_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(
        &self,
        v: &Self::Param,
    ) -> std::result::Result<Self::Gradient, argmin::core::Error> {
        let g = self.problem.gradient(&self.scaling.to_raw(v))?;
        Ok(self.scaling.gradient(&g))
    }
}

impl Hessian for Standardised<'_, '_, '_> {
    type Param = Array1<f64>;
    type Hessian = Array2<f64>;

    fn hessian(&self, v: &Self::Param) -> std::result::Result<Self::Hessian, argmin::core::Error> {
        let h = self.problem.hessian(&self.scaling.to_raw(v))?;
        Ok(self.scaling.hessian(h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn scaling() -> Scaling {
        Scaling {
            shift: vec![2.0, -1.0],
            scale: vec![4.0, 0.5],
        }
    }

    /// The map and its inverse agree, scores are kept, and gradient and Hessian are `Aᵀg` and
    /// `AᵀHA` of the explicit matrix `A`.
    #[test]
    fn the_change_of_coordinates_is_affine_and_consistent() {
        let s = scaling();
        let theta = array![0.3, -1.2, 0.7];
        let v = s.to_standardised(&theta);
        let back = s.to_raw(&v);
        assert!((&back - &theta).iter().all(|e| e.abs() < 1e-15), "{back}");
        // A row x = (5, 3) scores the same in both coordinates.
        let x = [5.0, 3.0];
        let raw = x[0] * theta[0] + x[1] * theta[1] + theta[2];
        let standardised = (x[0] - 2.0) / 4.0 * v[0] + (x[1] + 1.0) / 0.5 * v[1] + v[2];
        assert!((raw - standardised).abs() < 1e-14);
        // A as a matrix: θ = A v.
        let a = array![
            [1.0 / 4.0, 0.0, 0.0],
            [0.0, 1.0 / 0.5, 0.0],
            [-2.0 / 4.0, 1.0 / 0.5, 1.0]
        ];
        assert!((a.dot(&v) - &theta).iter().all(|e| e.abs() < 1e-15));
        let g = array![1.0, -2.0, 0.5];
        let expected = a.t().dot(&g);
        assert!((s.gradient(&g) - expected).iter().all(|e| e.abs() < 1e-15));
        let h = array![[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 3.0]];
        let expected = a.t().dot(&h).dot(&a);
        let got = s.hessian(h);
        assert!((got - expected).iter().all(|e| e.abs() < 1e-14));
        let id = Scaling::identity(2);
        assert_eq!(id.to_raw(&theta), theta);
        assert_eq!(id.gradient(&g), g);
    }
}
