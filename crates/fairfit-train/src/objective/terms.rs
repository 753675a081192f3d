//! The fairness terms of the objective: what each does with a statistic's group values.

use fairfit_data::fairness::Statistic;

use crate::lagrangian::LagrangianTerm;
use crate::loss::Loss;
use crate::penalty::Penalty;
use crate::smooth_aggregate::SmoothAggregate;
use crate::statistic::SoftQuantity;

/// What a term does with a statistic's group values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum GroupFn {
    /// A fairness penalty.
    SmoothAggregate(SmoothAggregate),
    /// An augmented-Lagrangian constraint term of a target.
    Lagrangian(LagrangianTerm),
}

impl GroupFn {
    pub(super) fn evaluate(&self, values: &[f64], shares: &[f64]) -> (f64, Vec<f64>) {
        match self {
            GroupFn::SmoothAggregate(d) => d.evaluate(values, shares),
            GroupFn::Lagrangian(c) => c.evaluate(values),
        }
    }

    /// The Hessian in value space by central differences of the analytic gradient (G is small).
    pub(super) fn hessian(&self, values: &[f64], shares: &[f64]) -> Vec<Vec<f64>> {
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
    /// The sharpness its rates are taken at (1 for penalties; see [`SoftQuantity`]).
    pub(crate) sharpness: f64,
}

impl Term {
    /// What the term averages per row.
    pub(crate) fn soft_quantity(&self) -> SoftQuantity {
        SoftQuantity {
            quantity: self.statistic.quantity,
            sharpness: self.sharpness,
        }
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
                sharpness: 1.0,
            })
        })
        .collect()
}

pub(super) fn model_name(loss: Loss) -> &'static str {
    match loss {
        Loss::Logistic => "logistic",
        Loss::Squared => "linear",
    }
}
