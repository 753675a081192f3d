//! How far a solve's values are from the targets' limits: the excess of each target, the
//! worst miss, and whether a met solve sits close enough to its limits to stop.

use super::{Binding, TargetedFit};
use crate::lagrangian::TargetBound;
use crate::loss::ModelKind;
use crate::statistic::GroupValues;

/// The closest miss so far: the worst target's excess over its limit and its achieved value.
#[derive(Clone, Copy)]
pub(super) struct Miss {
    pub(super) excess: f64,
    pub(super) target: usize,
    pub(super) achieved: f64,
}

impl<K: ModelKind> TargetedFit<K> {
    /// Each target's excess over its limit (positive when missed) on what the binding binds,
    /// less its slack.
    pub(super) fn excess(&self, values: &[GroupValues]) -> Vec<f64> {
        self.targets
            .iter()
            .zip(values)
            .map(|(t, v)| t.bound.excess(t.achieved(self.bound_values(v))) - self.slack(t))
            .collect()
    }

    /// The values the binding holds to the limits.
    pub(super) fn bound_values<'v>(&self, values: &'v GroupValues) -> &'v [f64] {
        match self.binding {
            Binding::Decisions => &values.hard,
            Binding::Scores => &values.soft,
        }
    }

    /// The worst-missed target of a solve.
    pub(super) fn miss(&self, values: &[GroupValues], excess: &[f64]) -> Miss {
        let (k, &e) = excess
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("a missed solve has a target");
        Miss {
            excess: e,
            target: k,
            achieved: self.targets[k].achieved(self.bound_values(&values[k])),
        }
    }

    /// Whether every target that binds sits within a tenth of its scale of its limit (a gap or
    /// bound: of ε; a ratio: of `1 − r`), so loosening the smooth limit is not worth a solve.
    pub(super) fn near(&self, excess: &[f64]) -> bool {
        self.targets.iter().zip(excess).all(|(t, &e)| {
            let scale = match t.bound {
                TargetBound::Gap(v) | TargetBound::Max(v) => v.abs(),
                TargetBound::Ratio(r) => 1.0 - r,
            };
            e >= -0.1 * scale
        })
    }
}
