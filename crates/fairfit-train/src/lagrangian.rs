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
    /// `min_g v_g / max_g v_g ≥ r` (the ratio form, e.g. the 80 % rule at `r = 0.8`), as the
    /// constraints `r·v_h − v_g ≤ 0` for every ordered pair of groups.
    Ratio(f64),
}

impl TargetBound {
    /// The number the bound compares with: ε, the bound, or the ratio.
    pub fn limit(&self) -> f64 {
        match *self {
            TargetBound::Gap(v) | TargetBound::Max(v) | TargetBound::Ratio(v) => v,
        }
    }

    /// What the bound compares with its limit on group values: the gap `max − min`, the
    /// largest value, or the ratio `min / max` (1 when every value is 0).
    pub fn achieved(&self, values: &[f64]) -> f64 {
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        match self {
            TargetBound::Gap(_) => max - min,
            TargetBound::Max(_) => max,
            TargetBound::Ratio(_) if max > 0.0 => min / max,
            TargetBound::Ratio(_) => 1.0,
        }
    }

    /// The bound moved inward by `by` (a gap or maximum lowered, a ratio raised), so that a
    /// solver meeting it within `by` meets the original exactly; `None` where the bound is
    /// within `2·by` of the edge of what any model can reach (a gap or maximum of 0, a ratio
    /// of 1).
    pub fn tightened(&self, by: f64) -> Option<Self> {
        match *self {
            TargetBound::Gap(e) if e >= 2.0 * by => Some(TargetBound::Gap(e - by)),
            TargetBound::Max(b) if b >= 2.0 * by => Some(TargetBound::Max(b - by)),
            TargetBound::Ratio(r) if r + 2.0 * by <= 1.0 => Some(TargetBound::Ratio(r + by)),
            _ => None,
        }
    }

    /// How far `achieved` is beyond the limit (positive when the bound is violated): a ratio
    /// is violated below its limit, the others above.
    pub fn excess(&self, achieved: f64) -> f64 {
        match *self {
            TargetBound::Ratio(r) => r - achieved,
            TargetBound::Gap(v) | TargetBound::Max(v) => achieved - v,
        }
    }
}

/// One linear constraint: its value, its first group and coefficient, the second if any.
type Linear = (f64, (usize, f64), Option<(usize, f64)>);

/// The augmented-Lagrangian term of one target's constraints `c_k(v − d) ≤ 0`:
/// `Σ_k (max(0, μ_k + ρ c_k)² − μ_k²) / (2ρ)`, where `d` shifts each group's smooth value
/// (by the offset between its smooth and its hard-decision value, so that the constraint on the
/// smooth values is one on the decisions; empty for no shift).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LagrangianTerm {
    pub(crate) bound: TargetBound,
    pub(crate) multipliers: Vec<f64>,
    pub(crate) rho: f64,
    pub(crate) shifts: Vec<f64>,
}

impl LagrangianTerm {
    /// `(index of the increasing group, index of the decreasing group if any)` per constraint.
    pub(crate) fn pairs(bound: TargetBound, n: usize) -> Vec<(usize, Option<usize>)> {
        match bound {
            TargetBound::Gap(_) | TargetBound::Ratio(_) => (0..n)
                .flat_map(|g| (0..n).filter(move |&h| h != g).map(move |h| (g, Some(h))))
                .collect(),
            TargetBound::Max(_) => (0..n).map(|g| (g, None)).collect(),
        }
    }

    /// Constraint values `c_k(v) = a_k·v_g + b_k·v_h − limit_k`, with each group's index and
    /// coefficient (no second group for a per-group bound).
    fn linear(bound: TargetBound, v: &[f64]) -> Vec<Linear> {
        Self::pairs(bound, v.len())
            .into_iter()
            .map(|(g, h)| match (bound, h) {
                (TargetBound::Gap(eps), Some(h)) => (v[g] - v[h] - eps, (g, 1.0), Some((h, -1.0))),
                (TargetBound::Ratio(r), Some(h)) => (r * v[h] - v[g], (g, -1.0), Some((h, r))),
                (bound, _) => (v[g] - bound.limit(), (g, 1.0), None),
            })
            .collect()
    }

    /// Constraint values `c_k(v)`.
    pub(crate) fn values(bound: TargetBound, v: &[f64]) -> Vec<f64> {
        Self::linear(bound, v)
            .into_iter()
            .map(|(c, ..)| c)
            .collect()
    }

    /// The group values less their shifts (`v` itself without shifts).
    pub(crate) fn shifted(v: &[f64], shifts: &[f64]) -> Vec<f64> {
        if shifts.is_empty() {
            return v.to_vec();
        }
        v.iter().zip(shifts).map(|(v, d)| v - d).collect()
    }

    pub(crate) fn evaluate(&self, v: &[f64]) -> (f64, Vec<f64>) {
        let mut value = 0.0;
        let mut grad = vec![0.0; v.len()];
        let v = Self::shifted(v, &self.shifts);
        for ((ck, (g, a), other), &mu) in Self::linear(self.bound, &v)
            .into_iter()
            .zip(&self.multipliers)
        {
            let active = (mu + self.rho * ck).max(0.0);
            value += (active * active - mu * mu) / (2.0 * self.rho);
            grad[g] += a * active;
            if let Some((h, b)) = other {
                grad[h] += b * active;
            }
        }
        (value, grad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tightened_bound_moves_inward_unless_it_sits_at_the_edge() {
        assert_eq!(
            TargetBound::Gap(0.05).tightened(0.01),
            Some(TargetBound::Gap(0.04))
        );
        assert_eq!(
            TargetBound::Max(1.0).tightened(0.25),
            Some(TargetBound::Max(0.75))
        );
        assert_eq!(
            TargetBound::Ratio(0.8).tightened(0.05),
            Some(TargetBound::Ratio(0.8500000000000001))
        );
        assert_eq!(TargetBound::Gap(0.0).tightened(1e-7), None);
        assert_eq!(TargetBound::Gap(1.5e-7).tightened(1e-7), None);
        assert_eq!(TargetBound::Ratio(1.0).tightened(1e-7), None);
        // A solve within `by` of the tightened bound meets the original.
        let inner = TargetBound::Gap(0.05).tightened(0.01).unwrap();
        assert!(TargetBound::Gap(0.05).excess(inner.limit() + 0.01) <= 0.0);
    }

    #[test]
    fn every_bound_has_its_constraints_and_a_gradient_matching_finite_differences() {
        let v = [0.31, 0.12, 0.55];
        for bound in [
            TargetBound::Gap(0.1),
            TargetBound::Max(0.3),
            TargetBound::Ratio(0.8),
        ] {
            let term = LagrangianTerm {
                bound,
                multipliers: vec![0.3; LagrangianTerm::pairs(bound, 3).len()],
                rho: 10.0,
                shifts: vec![0.05, -0.02, 0.1],
            };
            let (_, grad) = term.evaluate(&v);
            for g in 0..3 {
                let h = 1e-6;
                let (mut up, mut down) = (v, v);
                up[g] += h;
                down[g] -= h;
                let fd = (term.evaluate(&up).0 - term.evaluate(&down).0) / (2.0 * h);
                assert!(
                    (fd - grad[g]).abs() < 1e-7,
                    "{bound:?} g={g}: {fd} vs {}",
                    grad[g]
                );
            }
        }
        // Shifts move the values the constraints read.
        let shifted = LagrangianTerm {
            bound: TargetBound::Gap(0.1),
            multipliers: vec![0.0; 6],
            rho: 1.0,
            shifts: vec![0.2, 0.0, 0.0],
        };
        // v − d = (0.11, 0.12, 0.55): only pairs (2, 0) and (2, 1) are violated.
        let expected = 0.5 * ((0.55f64 - 0.11 - 0.1).powi(2) + (0.55f64 - 0.12 - 0.1).powi(2));
        assert!((shifted.evaluate(&v).0 - expected).abs() < 1e-12);
        // The ratio's constraints r·v_h − v_g for (g, h) = (0, 1), (0, 2), (1, 0), ...
        let c = LagrangianTerm::values(TargetBound::Ratio(0.8), &v);
        assert!((c[0] - (0.8 * 0.12 - 0.31)).abs() < 1e-15);
        assert!((c[3] - (0.8 * 0.55 - 0.12)).abs() < 1e-15);
        let bound = TargetBound::Ratio(0.8);
        assert!((bound.achieved(&v) - 0.12 / 0.55).abs() < 1e-15);
        assert!((bound.excess(bound.achieved(&v)) - (0.8 - 0.12 / 0.55)).abs() < 1e-15);
        assert_eq!(bound.achieved(&[0.0, 0.0]), 1.0);
        assert!((TargetBound::Gap(0.1).excess(0.43) - 0.33).abs() < 1e-15);
    }
}
