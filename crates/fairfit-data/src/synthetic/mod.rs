//! Synthetic data with known bias, so every method can be tested where the truth is known.
//!
//! [`BiasedParams`] generates class-conditional Gaussian features whose true labels do not
//! depend on the group, then injects the three classic biases on purpose: label bias (favourable
//! labels flipped in one group), representation bias (one group under-sampled) and a proxy
//! feature correlated with group membership at a stated strength. [`zafar`] reproduces the
//! two-Gaussian data of Zafar et al. (2017).

mod biased;
#[cfg(test)]
mod tests;
mod zafar;

use rand::Rng;

pub use biased::{BiasedParams, Synthetic};
pub use zafar::zafar;

/// One draw from N(0, 1) by the Box–Muller transform.
pub(super) fn standard_normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = 1.0 - rng.gen::<f64>(); // in (0, 1], so ln is finite
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}
