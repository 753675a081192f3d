//! The objective seen through argmin's problem traits.

use argmin::core::{CostFunction, Gradient, Hessian};
use ndarray::{Array1, Array2};

use super::Objective;

/// The objective seen through argmin's problem traits (borrowing it, so that the caller keeps
/// the cache, the evaluation count and the best point after the solver finishes).
#[derive(Debug, Clone, Copy)]
pub struct Problem<'o, 'a>(pub(super) &'o Objective<'a>);

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
