//! [`BoundMethod`]: one-sided confidence bounds on the mean of values in \[0, 1\] (a group's
//! rate of hard decisions), by Student's t or by Hoeffding's inequality, as the Seldonian
//! toolkit offers them; and [`RateInterval`], one group's rate with both bounds.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::error::{GuaranteeError, Result};

/// How a one-sided (1 − δ) confidence bound on a mean is computed from `n` values in \[0, 1\]
/// with sample mean `m` and sample standard deviation `s`.
///
/// ```
/// use fairfit::eval::guarantee::BoundMethod;
/// // Hoeffding: m + √(ln(1/δ) / 2n), whatever the spread.
/// let r = BoundMethod::Hoeffding.radius(100.0, 0.5, 0.05)?;
/// assert!((r - ((1.0f64 / 0.05).ln() / 200.0).sqrt()).abs() < 1e-15);
/// // Student's t: m + s/√n · t(1 − δ; n − 1); t(0.95; 9) = 1.8331...
/// let t = BoundMethod::StudentT.radius(10.0, 1.0, 0.05)?;
/// assert!((t * 10f64.sqrt() - 1.833_112_932_6).abs() < 1e-9);
/// # Ok::<(), fairfit::eval::guarantee::GuaranteeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum BoundMethod {
    /// `m ± s/√n · t(1 − δ; n − 1)`: exact for normal values, asymptotically right for
    /// Bernoulli rates (Thomas et al. 2019's default, seldonian-engine's `ttest`). Tighter than
    /// Hoeffding, but an approximation: with few rows and a rate near 0 or 1 (`s` ≈ 0) it is
    /// overconfident. Needs `n ≥ 2`.
    #[default]
    StudentT,
    /// `m ± √(ln(1/δ) / 2n)` (Hoeffding's inequality for values in \[0, 1\]): valid for any
    /// `n ≥ 1` and any distribution, wider.
    Hoeffding,
}

impl BoundMethod {
    /// The fewest values a bound needs: 2 for Student's t (one degree of freedom), 1 for
    /// Hoeffding.
    pub fn min_rows(self) -> usize {
        match self {
            BoundMethod::StudentT => 2,
            BoundMethod::Hoeffding => 1,
        }
    }

    /// The one-sided radius at confidence `1 − delta` for `n` values with sample standard
    /// deviation `sd` (read by Student's t only).
    ///
    /// Errors: `delta` outside (0, 1), `n` below [`BoundMethod::min_rows`], `sd` negative or not
    /// finite.
    pub fn radius(self, n: f64, sd: f64, delta: f64) -> Result<f64> {
        if !(delta > 0.0 && delta < 1.0) {
            return Err(GuaranteeError::InvalidDelta(delta));
        }
        if !(n.is_finite() && n >= self.min_rows() as f64) {
            return Err(GuaranteeError::InvalidParameter {
                name: "n",
                reason: format!("{n} values; the bound needs at least {}", self.min_rows()),
            });
        }
        if !(sd.is_finite() && sd >= 0.0) {
            return Err(GuaranteeError::InvalidParameter {
                name: "sd",
                reason: format!("{sd} is not a finite standard deviation"),
            });
        }
        Ok(match self {
            BoundMethod::Hoeffding => ((1.0 / delta).ln() / (2.0 * n)).sqrt(),
            BoundMethod::StudentT => sd / n.sqrt() * t_quantile(1.0 - delta, n - 1.0)?,
        })
    }

    /// The name used in tables and files: `ttest` or `hoeffding` (seldonian-engine's words).
    pub fn as_str(self) -> &'static str {
        match self {
            BoundMethod::StudentT => "ttest",
            BoundMethod::Hoeffding => "hoeffding",
        }
    }
}

impl std::fmt::Display for BoundMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `p`-quantile of Student's t distribution with `df` degrees of freedom (statrs).
fn t_quantile(p: f64, df: f64) -> Result<f64> {
    let t = StudentsT::new(0.0, 1.0, df).map_err(|e| GuaranteeError::InvalidParameter {
        name: "degrees of freedom",
        reason: format!("{df}: {e}"),
    })?;
    Ok(t.inverse_cdf(p))
}

/// The sample standard deviation (divisor `n − 1`) of `n` values in {0, 1} whose mean is
/// `mean`: `√(n·m(1 − m)/(n − 1))`; 0 for `n < 2`.
pub fn bernoulli_sd(mean: f64, n: f64) -> f64 {
    if n < 2.0 {
        return 0.0;
    }
    (n * mean * (1.0 - mean) / (n - 1.0)).max(0.0).sqrt()
}

/// One group's rate of hard decisions with one-sided confidence bounds, each at its own share
/// of δ (the union bound is taken by the caller), clipped to \[0, 1\].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateInterval {
    /// The group's name.
    pub group: String,
    /// The rows the rate is a mean over (for a predicted bound: the rows the safety part will
    /// have).
    pub rows: usize,
    /// The sample rate.
    pub rate: f64,
    /// The lower confidence bound.
    pub lower: f64,
    /// The upper confidence bound.
    pub upper: f64,
}

impl RateInterval {
    /// The bounds of a rate `rate` over `sd_rows` rows (which give its standard deviation),
    /// with the radius computed for `rows` rows and multiplied by `inflation` (1 for a safety
    /// test; Thomas et al.'s predicted bound uses the safety part's size and 2).
    pub(crate) fn new(
        group: &str,
        rate: f64,
        sd_rows: usize,
        rows: usize,
        method: BoundMethod,
        delta_each: f64,
        inflation: f64,
    ) -> Result<Self> {
        let sd = bernoulli_sd(rate, sd_rows as f64);
        let radius = inflation * method.radius(rows as f64, sd, delta_each)?;
        Ok(Self {
            group: group.to_string(),
            rows,
            rate,
            lower: (rate - radius).max(0.0),
            upper: (rate + radius).min(1.0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hoeffding_radius_is_the_closed_form() {
        for (n, delta) in [(1.0, 0.5), (50.0, 0.1), (1_000.0, 0.01)] {
            let r = BoundMethod::Hoeffding.radius(n, 0.3, delta).unwrap();
            assert!((r - ((1.0 / delta).ln() / (2.0 * n)).sqrt()).abs() < 1e-15);
        }
    }

    #[test]
    fn t_radius_uses_the_statrs_quantile() {
        // Published values of t(1 − δ; df): t(0.95; 1) = 6.3138, t(0.975; 4) = 2.7764,
        // t(0.99; 30) = 2.45726.
        for (n, delta, t) in [
            (2.0, 0.05, 6.313_751_515),
            (5.0, 0.025, 2.776_445_105),
            (31.0, 0.01, 2.457_261_542),
        ] {
            let sd = 0.4;
            let r = BoundMethod::StudentT.radius(n, sd, delta).unwrap();
            assert!((r - sd / f64::sqrt(n) * t).abs() < 1e-8, "n = {n}: {r}");
        }
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        assert!(matches!(
            BoundMethod::Hoeffding.radius(10.0, 0.1, 1.0),
            Err(GuaranteeError::InvalidDelta(_))
        ));
        assert!(matches!(
            BoundMethod::StudentT.radius(1.0, 0.1, 0.1),
            Err(GuaranteeError::InvalidParameter { name: "n", .. })
        ));
        assert!(BoundMethod::StudentT.radius(10.0, f64::NAN, 0.1).is_err());
    }

    #[test]
    fn bernoulli_sd_matches_the_sample_sd() {
        let values = [1.0, 0.0, 0.0, 1.0, 1.0];
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
        assert!((bernoulli_sd(mean, n) - var.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn intervals_are_clipped_and_inflated() {
        let i = RateInterval::new("a", 0.98, 100, 100, BoundMethod::Hoeffding, 0.05, 1.0).unwrap();
        assert_eq!(i.upper, 1.0);
        let r = BoundMethod::Hoeffding.radius(100.0, 0.0, 0.05).unwrap();
        assert!((i.lower - (0.98 - r)).abs() < 1e-15);
        let wide =
            RateInterval::new("a", 0.5, 100, 100, BoundMethod::Hoeffding, 0.05, 2.0).unwrap();
        assert!((wide.upper - (0.5 + 2.0 * r)).abs() < 1e-15);
    }
}
