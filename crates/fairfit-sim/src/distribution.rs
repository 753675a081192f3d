//! Checked probability vectors: a distribution over clusters, groups or sites, and a probability
//! per entry. The environments validate their parameters through these two functions so that
//! every bad distribution gets the same typed error.

use rand::Rng;

use crate::error::{Result, SimError};

/// The largest |Σ p − 1| accepted for a distribution.
pub const SUM_TOLERANCE: f64 = 1e-9;

/// Checks that every entry of `values` is a probability (finite, in [0, 1]).
pub fn check_probabilities(name: &str, values: &[f64]) -> Result<()> {
    match values
        .iter()
        .enumerate()
        .find(|(_, p)| !(p.is_finite() && (0.0..=1.0).contains(*p)))
    {
        Some((index, &value)) => Err(SimError::InvalidProbability {
            name: name.to_string(),
            index,
            value,
        }),
        None => Ok(()),
    }
}

/// Checks that `values` is a distribution: non-empty, probabilities, summing to 1.
///
/// ```
/// use fairfit::sim::distribution::check_distribution;
/// assert!(check_distribution("groups", &[0.5, 0.5]).is_ok());
/// assert!(check_distribution("groups", &[0.5, 0.6]).is_err()); // sums to 1.1
/// assert!(check_distribution("groups", &[1.5, -0.5]).is_err()); // a negative entry
/// ```
pub fn check_distribution(name: &str, values: &[f64]) -> Result<()> {
    if values.is_empty() {
        return Err(SimError::InvalidParameter {
            name: name.to_string(),
            reason: "a distribution needs at least one entry".into(),
        });
    }
    check_probabilities(name, values)?;
    let sum: f64 = values.iter().sum();
    if (sum - 1.0).abs() > SUM_TOLERANCE {
        return Err(SimError::NotADistribution {
            name: name.to_string(),
            sum,
        });
    }
    Ok(())
}

/// Checks that `values` has one entry per `per` (`expected` of them).
pub fn check_len(name: &str, values: usize, expected: usize, per: &'static str) -> Result<()> {
    if values == expected {
        Ok(())
    } else {
        Err(SimError::LengthMismatch {
            name: name.to_string(),
            expected,
            found: values,
            per,
        })
    }
}

/// Draws an index of `probabilities` (a checked distribution) by inversion of one uniform draw.
/// Entries of probability 0 are never drawn; rounding that leaves the cumulative sum short of the
/// uniform draw falls on the last entry of positive probability.
pub fn sample_index<R: Rng + ?Sized>(rng: &mut R, probabilities: &[f64]) -> usize {
    let u: f64 = rng.gen();
    let mut cumulative = 0.0;
    let mut last_positive = 0;
    for (i, &p) in probabilities.iter().enumerate() {
        if p > 0.0 {
            cumulative += p;
            last_positive = i;
            if u < cumulative {
                return i;
            }
        }
    }
    last_positive
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn errors_name_the_entry() {
        match check_distribution("d", &[0.2, f64::NAN, 0.8]) {
            Err(SimError::InvalidProbability { index: 1, .. }) => {}
            other => panic!("expected an invalid probability at 1, got {other:?}"),
        }
        match check_distribution("d", &[0.2, 0.2]) {
            Err(SimError::NotADistribution { sum, .. }) => assert!((sum - 0.4).abs() < 1e-12),
            other => panic!("expected a sum error, got {other:?}"),
        }
        assert!(matches!(
            check_distribution("d", &[]),
            Err(SimError::InvalidParameter { .. })
        ));
    }

    #[test]
    fn sampling_follows_the_probabilities_and_skips_empty_entries() {
        let p = [0.0, 0.25, 0.0, 0.75, 0.0];
        let mut rng = StdRng::seed_from_u64(3);
        let mut counts = [0usize; 5];
        let n = 40_000;
        for _ in 0..n {
            counts[sample_index(&mut rng, &p)] += 1;
        }
        assert_eq!((counts[0], counts[2], counts[4]), (0, 0, 0));
        let share = counts[1] as f64 / n as f64;
        // 4 standard errors of a proportion near 0.25 with 40,000 draws.
        assert!((share - 0.25).abs() < 4.0 * (0.25f64 * 0.75 / n as f64).sqrt());
    }
}
