//! Expected calibration error with equal-width bins (see [`crate::metrics::Measure::Ece`]).

use crate::metrics::measure::ZERO_WEIGHT;
use crate::metrics::Value;

/// `ECE = Σ_b (W_b / W)·|ȳ_b − p̄_b|` over `bins` equal-width bins of \[0, 1\]; row `i` falls
/// in bin `min(⌊pᵢ·bins⌋, bins − 1)` (so `p = 1` is in the last bin), `ȳ_b` and `p̄_b` are the
/// weighted means of labels and probabilities in bin `b`, empty bins contribute nothing.
/// This is the usual definition (Guo et al. 2017, Naeini et al. 2015) with weights.
pub(crate) fn ece(labels: &[bool], p: &[f64], w: &[f64], bins: usize) -> Value {
    let mut weight = vec![0.0; bins];
    let mut sum_y = vec![0.0; bins];
    let mut sum_p = vec![0.0; bins];
    for ((&y, &p), &w) in labels.iter().zip(p).zip(w) {
        // p is in [0, 1] (checked), so the cast is in range; p = 1 goes to the last bin.
        let b = ((p * bins as f64).floor() as usize).min(bins - 1);
        weight[b] += w;
        sum_y[b] += w * f64::from(u8::from(y));
        sum_p[b] += w * p;
    }
    let total: f64 = weight.iter().sum();
    if total <= 0.0 {
        return Err(ZERO_WEIGHT);
    }
    Ok((0..bins)
        .filter(|&b| weight[b] > 0.0)
        .map(|b| (sum_y[b] - sum_p[b]).abs() / total)
        .sum())
}

#[cfg(test)]
mod tests {
    use crate::metrics::{evaluate, Measure, Outcomes};
    use approx::assert_abs_diff_eq;

    #[test]
    fn ece_matches_hand_computation() {
        // 2 bins: [0, 0.5) holds p = 0.1, 0.2, 0.4 with y = 0, 1, 0 → ȳ = 1/3, p̄ = 0.7/3;
        // [0.5, 1] holds p = 0.6, 1.0 with y = 1, 1 → ȳ = 1, p̄ = 0.8.
        let y = [false, true, false, true, true];
        let p = [0.1, 0.2, 0.4, 0.6, 1.0];
        let out = Outcomes::scored(&y, &p).unwrap();
        let expected = 3.0 / 5.0 * (1.0f64 / 3.0 - 0.7 / 3.0).abs() + 2.0 / 5.0 * 0.2;
        assert_abs_diff_eq!(
            evaluate(&Measure::Ece { bins: 2 }, &out).unwrap(),
            expected,
            epsilon = 1e-12
        );
        // One bin: |mean y − mean p| = |0.6 − 0.46|.
        assert_abs_diff_eq!(
            evaluate(&Measure::Ece { bins: 1 }, &out).unwrap(),
            0.14,
            epsilon = 1e-12
        );
        assert!(evaluate(&Measure::Ece { bins: 0 }, &out).is_err());
    }
}
