//! The augmented-Lagrangian form of fairness targets: what a target bounds ([`TargetBound`])
//! and the smooth term its constraints add to the objective. Below both the objective (which
//! evaluates the term) and the targets (which set its multipliers), so neither imports the other.

use serde::{Deserialize, Serialize};

/// What a target bounds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum TargetBound {
    /// `max_g v_g − min_g v_g ≤ ε`.
    Gap(f64),
    /// `v_g ≤ bound` for every group.
    Max(f64),
}

/// The augmented-Lagrangian term of one target's constraints `c_k(v) ≤ 0`:
/// `Σ_k (max(0, μ_k + ρ c_k)² − μ_k²) / (2ρ)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LagrangianTerm {
    pub(crate) bound: TargetBound,
    pub(crate) multipliers: Vec<f64>,
    pub(crate) rho: f64,
}

impl LagrangianTerm {
    /// `(index of the increasing group, index of the decreasing group if any)` per constraint.
    pub(crate) fn pairs(bound: TargetBound, n: usize) -> Vec<(usize, Option<usize>)> {
        match bound {
            TargetBound::Gap(_) => (0..n)
                .flat_map(|g| (0..n).filter(move |&h| h != g).map(move |h| (g, Some(h))))
                .collect(),
            TargetBound::Max(_) => (0..n).map(|g| (g, None)).collect(),
        }
    }

    /// Constraint values `c_k(v)`.
    pub(crate) fn values(bound: TargetBound, v: &[f64]) -> Vec<f64> {
        Self::pairs(bound, v.len())
            .into_iter()
            .map(|(g, h)| match (bound, h) {
                (TargetBound::Gap(eps), Some(h)) => v[g] - v[h] - eps,
                (TargetBound::Max(b), _) | (TargetBound::Gap(b), None) => v[g] - b,
            })
            .collect()
    }

    pub(crate) fn evaluate(&self, v: &[f64]) -> (f64, Vec<f64>) {
        let c = Self::values(self.bound, v);
        let mut value = 0.0;
        let mut grad = vec![0.0; v.len()];
        for (((g, h), &ck), &mu) in Self::pairs(self.bound, v.len())
            .into_iter()
            .zip(&c)
            .zip(&self.multipliers)
        {
            let active = (mu + self.rho * ck).max(0.0);
            value += (active * active - mu * mu) / (2.0 * self.rho);
            grad[g] += active;
            if let Some(h) = h {
                grad[h] -= active;
            }
        }
        (value, grad)
    }
}
