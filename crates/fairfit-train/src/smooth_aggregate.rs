//! [`SmoothAggregate`]: how the per-group values of a statistic become one smooth number to
//! penalise (the differentiable counterpart of the exact [`fairfit_data::fairness::Aggregate`]).
//!
//! A disparity sees the group values `v_g` and the groups' shares `π_g` (their weight within the
//! statistic's condition, summing to one) and returns a value with its gradient with respect to
//! every `v_g`; the objective chains that gradient through the statistic and the model.

use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};

/// A smooth function of the group values of a statistic, zero (or minimal) when groups agree.
///
/// ```
/// use fairfit::train::SmoothAggregate;
/// // Two groups with positive rates 0.3 and 0.1: the squared gap is 0.04.
/// let (value, gradient) = SmoothAggregate::SquaredGap.evaluate(&[0.3, 0.1], &[0.5, 0.5]);
/// assert!((value - 0.04).abs() < 1e-12);
/// assert!((gradient[0] - 0.4).abs() < 1e-12 && (gradient[1] + 0.4).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum SmoothAggregate {
    /// Mean over pairs of groups of `(v_g − v_h)²`; with two groups, the squared gap.
    SquaredGap,
    /// `Σ_g π_g (v_g − v̄)²` with `v̄ = Σ_g π_g v_g` the pooled value: the share-weighted variance.
    SquaredDeviation,
    /// Smooth `max − min`: `LSE_β(v) + LSE_β(−v)` with `LSE_β(v) = ln(Σ e^{β v_g}) / β`.
    /// Overestimates the range by at most `2 ln(G) / β`.
    SmoothRange {
        /// β > 0; larger is closer to the exact range and less smooth.
        temperature: f64,
    },
    /// Smooth maximum `LSE_β(v)` of the group values (bounded group loss: the worst group's
    /// loss). Overestimates the maximum by at most `ln(G) / β`.
    SmoothMax {
        /// β > 0.
        temperature: f64,
    },
    /// `Σ_g (π_g (v_g − v̄))²`: the squared covariance between group membership (one indicator
    /// per group) and the per-row quantity, i.e. Zafar et al.'s (2017) decision-boundary
    /// covariance when the statistic is [`crate::Statistic::mean_score`].
    Covariance,
    /// `Σ_g π_g KL(v_g ‖ v̄)` for values in (0, 1): the mutual information between the soft
    /// decision and the group, i.e. Kamishima et al.'s (2012) prejudice index when the statistic
    /// is the positive rate.
    MutualInformation,
}

impl SmoothAggregate {
    /// Checks the disparity's own parameters.
    pub(crate) fn validate(&self) -> Result<()> {
        match *self {
            SmoothAggregate::SmoothRange { temperature }
            | SmoothAggregate::SmoothMax { temperature }
                if !(temperature.is_finite() && temperature > 0.0) =>
            {
                Err(TrainError::InvalidParameter {
                    name: "temperature",
                    reason: format!("must be finite and positive, got {temperature}"),
                })
            }
            _ => Ok(()),
        }
    }

    /// The disparity of `values` (one per group) given the groups' `shares` (summing to one),
    /// and its gradient with respect to each value.
    pub fn evaluate(&self, values: &[f64], shares: &[f64]) -> (f64, Vec<f64>) {
        let g = values.len();
        let pooled: f64 = values.iter().zip(shares).map(|(v, p)| v * p).sum();
        match *self {
            SmoothAggregate::SquaredGap => {
                if g < 2 {
                    return (0.0, vec![0.0; g]);
                }
                let pairs = (g * (g - 1) / 2) as f64;
                let sum: f64 = values.iter().sum();
                let sum_sq: f64 = values.iter().map(|v| v * v).sum();
                // Σ_{g<h} (v_g − v_h)² = G Σ v² − (Σ v)².
                let value = (g as f64 * sum_sq - sum * sum) / pairs;
                let grad = values
                    .iter()
                    .map(|v| 2.0 * (g as f64 * v - sum) / pairs)
                    .collect();
                (value.max(0.0), grad)
            }
            SmoothAggregate::SquaredDeviation => {
                let value = values
                    .iter()
                    .zip(shares)
                    .map(|(v, p)| p * (v - pooled).powi(2))
                    .sum();
                let grad = values
                    .iter()
                    .zip(shares)
                    .map(|(v, p)| 2.0 * p * (v - pooled))
                    .collect();
                (value, grad)
            }
            SmoothAggregate::SmoothRange { temperature } => {
                let (max, dmax) = log_sum_exp(values, temperature);
                let negated: Vec<f64> = values.iter().map(|v| -v).collect();
                let (neg_min, dmin) = log_sum_exp(&negated, temperature);
                let grad = dmax.iter().zip(&dmin).map(|(a, b)| a - b).collect();
                (max + neg_min, grad)
            }
            SmoothAggregate::SmoothMax { temperature } => log_sum_exp(values, temperature),
            SmoothAggregate::Covariance => {
                let cov: Vec<f64> = values
                    .iter()
                    .zip(shares)
                    .map(|(v, p)| p * (v - pooled))
                    .collect();
                let value = cov.iter().map(|c| c * c).sum();
                // ∂/∂v_g: 2 c_g π_g directly, and −π_g Σ_h 2 c_h π_h through the pooled value.
                let through_pool: f64 = cov.iter().zip(shares).map(|(c, p)| 2.0 * c * p).sum();
                let grad = cov
                    .iter()
                    .zip(shares)
                    .map(|(c, p)| 2.0 * c * p - p * through_pool)
                    .collect();
                (value, grad)
            }
            SmoothAggregate::MutualInformation => {
                let q = clamp_probability(pooled);
                let mut value = 0.0;
                let grad = values
                    .iter()
                    .zip(shares)
                    .map(|(&v, &p)| {
                        let v = clamp_probability(v);
                        value += p * (v * (v / q).ln() + (1.0 - v) * ((1.0 - v) / (1.0 - q)).ln());
                        // The terms through the pooled value cancel (Σ π_g v_g = v̄).
                        p * (logit(v) - logit(q))
                    })
                    .collect();
                (value, grad)
            }
        }
    }
}

/// `ln(Σ e^{β v}) / β` and its gradient (the softmax), stable for large β·v.
fn log_sum_exp(values: &[f64], beta: f64) -> (f64, Vec<f64>) {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = values.iter().map(|v| (beta * (v - max)).exp()).collect();
    let total: f64 = exps.iter().sum();
    (
        max + total.ln() / beta,
        exps.iter().map(|e| e / total).collect(),
    )
}

fn clamp_probability(p: f64) -> f64 {
    p.clamp(1e-12, 1.0 - 1e-12)
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [SmoothAggregate; 6] = [
        SmoothAggregate::SquaredGap,
        SmoothAggregate::SquaredDeviation,
        SmoothAggregate::SmoothRange { temperature: 7.0 },
        SmoothAggregate::SmoothMax { temperature: 5.0 },
        SmoothAggregate::Covariance,
        SmoothAggregate::MutualInformation,
    ];

    #[test]
    fn gradients_match_finite_differences() {
        let values = [0.31, 0.12, 0.55, 0.47];
        let shares = [0.1, 0.4, 0.3, 0.2];
        for d in ALL {
            for n in [2, 4] {
                let total: f64 = shares[..n].iter().sum();
                let shares: Vec<f64> = shares[..n].iter().map(|s| s / total).collect();
                let (_, grad) = d.evaluate(&values[..n], &shares[..n]);
                for g in 0..n {
                    let h = 1e-6;
                    let mut up = values[..n].to_vec();
                    up[g] += h;
                    let mut down = values[..n].to_vec();
                    down[g] -= h;
                    let fd = (d.evaluate(&up, &shares[..n]).0 - d.evaluate(&down, &shares[..n]).0)
                        / (2.0 * h);
                    assert!(
                        (fd - grad[g]).abs() < 1e-7,
                        "{d:?} n={n} g={g}: {fd} vs {}",
                        grad[g]
                    );
                }
            }
        }
    }

    #[test]
    fn hand_computed_values() {
        let (v, _) = SmoothAggregate::SquaredGap.evaluate(&[0.1, 0.2, 0.4], &[0.3, 0.3, 0.4]);
        // pairs: 0.01, 0.09, 0.04 -> mean 0.14 / 3
        assert!((v - 0.14 / 3.0).abs() < 1e-12);
        let (v, _) = SmoothAggregate::SquaredDeviation.evaluate(&[0.0, 1.0], &[0.25, 0.75]);
        // pooled 0.75: 0.25 * 0.5625 + 0.75 * 0.0625
        assert!((v - 0.1875).abs() < 1e-12);
        let (v, _) = SmoothAggregate::Covariance.evaluate(&[0.0, 1.0], &[0.5, 0.5]);
        // covariances ±0.25
        assert!((v - 0.125).abs() < 1e-12);
        let (v, _) = SmoothAggregate::MutualInformation.evaluate(&[0.5, 0.5], &[0.5, 0.5]);
        assert!(v.abs() < 1e-15);
        let (v, _) = SmoothAggregate::MutualInformation.evaluate(&[0.0, 1.0], &[0.5, 0.5]);
        assert!((v - 2f64.ln()).abs() < 1e-9, "{v}");
        let (v, _) =
            SmoothAggregate::SmoothMax { temperature: 1e4 }.evaluate(&[0.2, 0.7], &[0.5, 0.5]);
        assert!((v - 0.7).abs() < 1e-4);
        let (v, _) =
            SmoothAggregate::SmoothRange { temperature: 1e4 }.evaluate(&[0.2, 0.7, 0.5], &[0.3; 3]);
        assert!((v - 0.5).abs() < 1e-3);
        assert!(SmoothAggregate::SmoothMax { temperature: -1.0 }
            .validate()
            .is_err());
    }
}
