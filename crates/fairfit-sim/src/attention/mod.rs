//! Attention allocation with feedback: the gym's `attention_allocation` (after Ensign et al.
//! 2018, "Runaway feedback loops in predictive policing").
//!
//! Incidents occur at every site but are discovered only where attention goes; an allocator that
//! follows what it discovered sends ever more attention where it already looks.
//! [`AttentionParams`] holds the gym's defaults and its five-site experiment, [`AttentionEnv`]
//! the dynamics, [`Allocator`] the agents, [`expected_discoveries`] the closed-form mean of one
//! step.

mod agents;
mod env;
mod params;

pub use agents::{Allocation, Allocator};
pub use env::{AttentionEnv, Discovered};
pub use params::{AttentionParams, ValidAttentionParams};

/// The expected number of incidents discovered in one step at a site with incident rate `rate`,
/// miss probability `miss` and `units` of attention, without spurious reports: with replacement
/// `rate · (1 − miss^units)`; without, `E[min(N, units)]` when nothing is missed
/// (`N ~ Poisson(rate)`), which is what this computes for `miss = 0`; for `0 < miss` without
/// replacement there is no short closed form and `None` is returned.
///
/// ```
/// use fairfit::sim::attention::expected_discoveries;
/// assert_eq!(expected_discoveries(4.0, 0.5, 1, true), Some(2.0));
/// let e = expected_discoveries(2.0, 0.0, 1, false).unwrap(); // P(N ≥ 1) = 1 − e^{-2}
/// assert!((e - (1.0 - (-2.0f64).exp())).abs() < 1e-12);
/// ```
pub fn expected_discoveries(rate: f64, miss: f64, units: u32, replacement: bool) -> Option<f64> {
    if replacement {
        return Some(rate * (1.0 - miss.powi(units as i32)));
    }
    if miss > 0.0 {
        return None;
    }
    // E[min(N, u)] = Σ_{k=1..u} P(N ≥ k).
    let mut p_k = (-rate).exp(); // P(N = 0)
    let mut below = 0.0; // P(N < k)
    let mut total = 0.0;
    for k in 1..=units {
        below += p_k;
        total += 1.0 - below;
        p_k *= rate / f64::from(k);
    }
    Some(total)
}

#[cfg(test)]
mod tests;
