//! Newton's method with a Cholesky solve of the exact `d × d` Hessian, as an argmin [`Solver`]
//! with argmin's line search.
//!
//! Why not argmin's `NewtonCG`: in argmin 0.11 its inner conjugate-gradient loop stops on the
//! *squared* residual norm compared with a multiple of the gradient norm, so close to the
//! optimum it takes a single CG step and degenerates to steepest descent (measured: 28
//! iterations where L-BFGS needs 11). The number of parameters here is small (tens to a few
//! hundred), so factorising the Hessian costs nothing next to the pass over the data that builds
//! it. Where the Hessian is not positive definite (a penalty can make the objective non-convex)
//! a growing multiple of the identity is added until the factorisation succeeds, which gives a
//! descent direction between Newton's and the gradient's.

use argmin::core::{
    CostFunction, Error, Executor, Gradient, Hessian, IterState, LineSearch, OptimizationResult,
    Problem, Solver, KV,
};
use ndarray::{Array1, Array2};

/// Newton's method with a Cholesky-factorised, shifted-if-needed Hessian and a line search.
#[derive(Debug, Clone)]
pub(crate) struct CholeskyNewton<L> {
    linesearch: L,
}

impl<L> CholeskyNewton<L> {
    pub(crate) fn new(linesearch: L) -> Self {
        Self { linesearch }
    }
}

type NewtonState = IterState<Array1<f64>, Array1<f64>, (), Array2<f64>, (), f64>;
type LineState = IterState<Array1<f64>, Array1<f64>, (), (), (), f64>;

impl<O, L> Solver<O, NewtonState> for CholeskyNewton<L>
where
    O: CostFunction<Param = Array1<f64>, Output = f64>
        + Gradient<Param = Array1<f64>, Gradient = Array1<f64>>
        + Hessian<Param = Array1<f64>, Hessian = Array2<f64>>,
    L: Clone + LineSearch<Array1<f64>, f64> + Solver<O, LineState>,
{
    fn name(&self) -> &str {
        "Newton"
    }

    fn next_iter(
        &mut self,
        problem: &mut Problem<O>,
        mut state: NewtonState,
    ) -> Result<(NewtonState, Option<KV>), Error> {
        let param = state
            .take_param()
            .ok_or_else(|| Error::msg("Newton needs an initial parameter vector"))?;
        let cost = problem.cost(&param)?;
        let grad = problem.gradient(&param)?;
        let hessian = problem.hessian(&param)?;
        let direction = newton_direction(&hessian, &grad)
            .ok_or_else(|| Error::msg("the Hessian could not be factorised"))?;
        self.linesearch.search_direction(direction);
        self.linesearch.initial_step_length(1.0)?;
        let OptimizationResult {
            problem: line_problem,
            state: mut line_state,
            ..
        } = Executor::new(
            problem
                .take_problem()
                .ok_or_else(|| Error::msg("problem missing"))?,
            self.linesearch.clone(),
        )
        .configure(|s| s.param(param).gradient(grad).cost(cost))
        .ctrlc(false)
        .run()?;
        problem.consume_problem(line_problem);
        let next = line_state
            .take_param()
            .ok_or_else(|| Error::msg("the line search returned no point"))?;
        Ok((state.param(next).cost(line_state.get_cost()), None))
    }
}

/// Solves `(H + τI) p = −g` with the smallest τ in {0, 1e-10·s, 1e-9·s, …} (s the largest
/// diagonal entry) for which the Cholesky factorisation succeeds.
pub(crate) fn newton_direction(hessian: &Array2<f64>, grad: &Array1<f64>) -> Option<Array1<f64>> {
    let scale = hessian
        .diag()
        .iter()
        .fold(0.0f64, |m, &v| m.max(v.abs()))
        .max(1e-12);
    let mut shift = 0.0;
    for _ in 0..20 {
        let mut h = hessian.clone();
        for j in 0..h.nrows() {
            h[[j, j]] += shift;
        }
        if let Some(l) = cholesky(h) {
            return Some(cholesky_solve(&l, &grad.mapv(|g| -g)));
        }
        shift = if shift == 0.0 {
            1e-10 * scale
        } else {
            shift * 10.0
        };
    }
    None
}

/// Lower-triangular `L` with `L Lᵀ = A`, or `None` when `A` is not (numerically) positive
/// definite.
fn cholesky(mut a: Array2<f64>) -> Option<Array2<f64>> {
    let n = a.nrows();
    for j in 0..n {
        let mut d = a[[j, j]];
        for k in 0..j {
            d -= a[[j, k]] * a[[j, k]];
        }
        if !(d > 0.0 && d.is_finite()) {
            return None;
        }
        let d = d.sqrt();
        a[[j, j]] = d;
        for i in j + 1..n {
            let mut s = a[[i, j]];
            for k in 0..j {
                s -= a[[i, k]] * a[[j, k]];
            }
            a[[i, j]] = s / d;
        }
        for k in j + 1..n {
            a[[j, k]] = 0.0;
        }
    }
    Some(a)
}

/// Solves `L Lᵀ x = b`.
fn cholesky_solve(l: &Array2<f64>, b: &Array1<f64>) -> Array1<f64> {
    let n = b.len();
    let mut y = b.clone();
    for i in 0..n {
        for k in 0..i {
            y[i] -= l[[i, k]] * y[k];
        }
        y[i] /= l[[i, i]];
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            y[i] -= l[[k, i]] * y[k];
        }
        y[i] /= l[[i, i]];
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn solves_positive_definite_systems_and_shifts_indefinite_ones() {
        let h = array![[4.0, 2.0, 0.6], [2.0, 5.0, 1.0], [0.6, 1.0, 3.0]];
        let g = array![1.0, -2.0, 0.5];
        let p = newton_direction(&h, &g).unwrap();
        let residual = h.dot(&p) + &g;
        assert!(residual.iter().all(|r| r.abs() < 1e-12), "{residual}");
        // Indefinite: the shifted direction is still a descent direction.
        let h = array![[1.0, 0.0], [0.0, -2.0]];
        let g = array![1.0, 1.0];
        let p = newton_direction(&h, &g).unwrap();
        assert!(p.dot(&g) < 0.0);
        assert!(cholesky(array![[1.0, 2.0], [2.0, 1.0]]).is_none());
    }
}
