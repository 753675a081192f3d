//! [`Noise`]: the noise the gym's admissions environment adds to applicants' scores
//! (`noisy_features`) or to the score a manipulating applicant reaches (`noisy_threshold`).

use rand::Rng;
use rand_distr::{Beta, Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::error::{Result, SimError};

/// A noise distribution, as the gym's `noise_dist` and `noise_params`; the same for every group,
/// as in the gym.
///
/// ```
/// use fairfit::sim::admission::Noise;
/// let gym = Noise::default();
/// assert_eq!(gym, Noise::Gaussian { mean: 0.1, sd: 0.01, min: -0.3, max: 0.3 });
/// assert!(Noise::Beta { alpha: 2.0, beta: 0.0 }.check().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Noise {
    /// `clip(N(mean, sd²), min, max)` (the gym's `'gaussian'`, `BoundedGaussian`). With `sd` = 0
    /// no noise is drawn or added (as the gym does for `sigma <= 0`).
    Gaussian {
        /// Mean before clipping, strictly between `min` and `max`.
        mean: f64,
        /// Standard deviation, finite and >= 0.
        sd: f64,
        /// Lower clipping bound.
        min: f64,
        /// Upper clipping bound.
        max: f64,
    },
    /// `±Beta(alpha, beta)`, the sign a fair coin (the gym's `'beta'`, with its `sigma` as
    /// `alpha` and its `mu` as `beta`).
    Beta {
        /// First shape parameter, finite and > 0.
        alpha: f64,
        /// Second shape parameter, finite and > 0.
        beta: f64,
    },
}

impl Default for Noise {
    /// The gym's default: clip(N(0.1, 0.01²), −0.3, 0.3).
    fn default() -> Self {
        Noise::Gaussian {
            mean: 0.1,
            sd: 0.01,
            min: -0.3,
            max: 0.3,
        }
    }
}

impl Noise {
    /// Checks the parameters. Errors: a Gaussian whose deviation is negative or not finite, or
    /// whose mean is not strictly inside finite bounds (the gym's check); Beta shapes that are
    /// not positive and finite.
    pub fn check(&self) -> Result<()> {
        let invalid = |reason: String| SimError::InvalidParameter {
            name: "noise".into(),
            reason,
        };
        match *self {
            Noise::Gaussian { mean, sd, min, max } => {
                if !(sd.is_finite() && sd >= 0.0) {
                    return Err(invalid(format!(
                        "the Gaussian's sd must be finite and >= 0, got {sd}"
                    )));
                }
                if !(min.is_finite() && max.is_finite() && min < mean && mean < max) {
                    return Err(invalid(format!(
                        "the Gaussian needs finite min < mean < max, got {min}, {mean}, {max}"
                    )));
                }
            }
            Noise::Beta { alpha, beta } => {
                for (name, v) in [("alpha", alpha), ("beta", beta)] {
                    if !(v.is_finite() && v > 0.0) {
                        return Err(invalid(format!(
                            "the Beta's {name} must be finite and > 0, got {v}"
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether the noise is identically zero (a Gaussian with `sd` = 0), so nothing is drawn.
    pub fn is_zero(&self) -> bool {
        matches!(self, Noise::Gaussian { sd, .. } if *sd == 0.0)
    }

    /// One draw (0 without drawing when [`Noise::is_zero`]). The parameters must have passed
    /// [`Noise::check`].
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            _ if self.is_zero() => 0.0,
            Noise::Gaussian { mean, sd, min, max } => {
                let z: f64 = StandardNormal.sample(rng);
                (sd * z + mean).clamp(min, max)
            }
            Noise::Beta { alpha, beta } => {
                let sign = if rng.gen::<f64>() < 0.5 { -1.0 } else { 1.0 };
                let b = Beta::new(alpha, beta)
                    .expect("checked shapes are positive and finite")
                    .sample(rng);
                sign * b
            }
        }
    }
}
