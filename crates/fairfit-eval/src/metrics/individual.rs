//! Individual fairness: inequality of benefits (generalized entropy and Theil index, Speicher et
//! al. 2018) and consistency of predictions among similar individuals (Zemel et al. 2013), as
//! AIF360 defines them.

use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::error::{EvalError, Result};
use crate::metrics::{evaluate, Measure, Outcomes, Undefined, Value};

/// Generalized entropy index of the benefits `bᵢ = ŷᵢ − yᵢ + 1 ∈ {0, 1, 2}` (Speicher et al.
/// 2018, "A Unified Approach to Quantifying Algorithmic Unfairness"; AIF360's
/// `ClassificationMetric.generalized_entropy_index`), with `μ = Σ wᵢbᵢ / W`:
///
/// - `GE(α) = 1/(W·α(α−1)) · Σ wᵢ[(bᵢ/μ)^α − 1]` for `α ∉ {0, 1}`,
/// - `GE(1) = 1/W · Σ wᵢ (bᵢ/μ) ln(bᵢ/μ)` (the Theil index, `0·ln 0 = 0`),
/// - `GE(0) = −1/W · Σ wᵢ ln(bᵢ/μ)` (undefined if some `bᵢ = 0`).
///
/// With unit weights this is AIF360's value for every `α ≠ 0`; a weight counts as repetitions
/// of the row. For `α = 0` AIF360 also divides by `μ` (`−mean(ln(bᵢ/μ))/μ`), which Speicher et
/// al.'s definition does not: fairfit follows the paper there.
/// Undefined when `μ = 0` (every row a false negative).
///
/// ```
/// use fairfit::eval::metrics::individual::generalized_entropy_index;
/// // b = [1, 1, 2, 0], μ = 1: GE(2) = ((1 + 1 + 4 + 0) / 4 − 1) / 2 = 0.25.
/// let ge = generalized_entropy_index(&[true, false, false, true], &[true, false, true, false], None, 2.0)?;
/// assert_eq!(ge, 0.25);
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
pub fn generalized_entropy_index(
    y_true: &[bool],
    y_pred: &[bool],
    weights: Option<&[f64]>,
    alpha: f64,
) -> Result<f64> {
    let out = Outcomes::classification(y_true, y_pred)?.with_optional_weights(weights)?;
    evaluate(&Measure::GeneralizedEntropy { alpha }, &out)
}

/// The Theil index: [`generalized_entropy_index`] with `α = 1` (AIF360's `theil_index`).
pub fn theil_index(y_true: &[bool], y_pred: &[bool], weights: Option<&[f64]>) -> Result<f64> {
    generalized_entropy_index(y_true, y_pred, weights, 1.0)
}

pub(crate) fn generalized_entropy_of(
    labels: &[bool],
    preds: &[bool],
    w: &[f64],
    alpha: f64,
) -> Value {
    let benefit = |y: bool, p: bool| f64::from(u8::from(p)) - f64::from(u8::from(y)) + 1.0;
    let total: f64 = w.iter().sum();
    let mu = super::ratio(
        labels
            .iter()
            .zip(preds)
            .zip(w)
            .map(|((&y, &p), w)| w * benefit(y, p))
            .sum(),
        total,
        "no rows (or zero total weight)",
    )?;
    if mu == 0.0 {
        return Err(Undefined {
            reason: "the mean benefit is 0 (every row is a false negative)",
        });
    }
    let mut sum = 0.0;
    for ((&y, &p), &w) in labels.iter().zip(preds).zip(w) {
        let x = benefit(y, p) / mu;
        let term = if alpha == 1.0 {
            if x > 0.0 {
                x * x.ln()
            } else {
                0.0
            }
        } else if alpha == 0.0 {
            if x > 0.0 {
                -x.ln()
            } else if w > 0.0 {
                return Err(Undefined {
                    reason: "GE(0) is undefined when a benefit is 0 (a false negative)",
                });
            } else {
                0.0
            }
        } else {
            (x.powf(alpha) - 1.0) / (alpha * (alpha - 1.0))
        };
        sum += w * term;
    }
    Ok(sum / total)
}

/// Consistency (Zemel et al. 2013, "Learning Fair Representations"; AIF360's
/// `BinaryLabelDatasetMetric.consistency`):
/// `1 − (1/n) Σᵢ |ŷᵢ − (1/k) Σ_{j ∈ kNN(i)} ŷⱼ|`,
/// where `kNN(i)` are the `k` rows nearest to row `i` in Euclidean distance over `features`,
/// **including row `i` itself**, as AIF360 gets them from scikit-learn's `kneighbors` on the
/// fitted rows. Distance ties are broken by row index (scikit-learn leaves them unspecified);
/// an exact duplicate of row `i` never displaces row `i` itself.
///
/// Brute force, `O(n²·d)`, parallel over rows; AIF360's default is `k = 5`.
///
/// ```
/// use fairfit::eval::metrics::individual::consistency;
/// use ndarray::array;
/// let x = array![[0.0], [0.1], [5.0], [5.1]];
/// // Each row's 2 nearest are itself and its close twin: the odd one out in a pair disagrees.
/// assert_eq!(consistency(x.view(), &[true, true, true, false], 2)?, 1.0 - (0.5 + 0.5) / 4.0);
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
pub fn consistency(features: ArrayView2<'_, f64>, y_pred: &[bool], k: usize) -> Result<f64> {
    let n = features.nrows();
    if n == 0 {
        return Err(EvalError::Empty("the feature matrix has no rows".into()));
    }
    if y_pred.len() != n {
        return Err(EvalError::LengthMismatch {
            what: "y_pred".into(),
            expected: n,
            found: y_pred.len(),
        });
    }
    if k == 0 || k > n {
        return Err(EvalError::InvalidParameter {
            name: "k",
            reason: format!("the number of neighbours must be in 1..={n}, got {k}"),
        });
    }
    if let Some(((row, _), &value)) = features.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(EvalError::NonFinite {
            what: "features",
            row,
            value,
        });
    }
    let deviation: f64 = (0..n)
        .into_par_iter()
        .map(|i| {
            let xi = features.row(i);
            let mut dist: Vec<(f64, bool, usize)> = (0..n)
                .map(|j| {
                    let d: f64 = xi
                        .iter()
                        .zip(features.row(j))
                        .map(|(a, b)| (a - b) * (a - b))
                        .sum();
                    (d, j != i, j)
                })
                .collect();
            let order = |a: &(f64, bool, usize), b: &(f64, bool, usize)| {
                a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
            };
            if k < n {
                dist.select_nth_unstable_by(k - 1, order);
            }
            let agree = dist[..k].iter().filter(|&&(_, _, j)| y_pred[j]).count();
            let mean = agree as f64 / k as f64;
            (f64::from(u8::from(y_pred[i])) - mean).abs()
        })
        .sum();
    Ok(1.0 - deviation / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use ndarray::array;

    // y = 1 1 0 0 1, ŷ = 1 0 1 0 1 → b = 1 0 2 1 1, μ = 1.
    const Y: [bool; 5] = [true, true, false, false, true];
    const P: [bool; 5] = [true, false, true, false, true];

    #[test]
    fn generalized_entropy_matches_hand_values() {
        // α = 2: mean(b²) − 1 over 2 = ((1 + 0 + 4 + 1 + 1) / 5 − 1) / 2 = 0.2.
        assert_abs_diff_eq!(
            generalized_entropy_index(&Y, &P, None, 2.0).unwrap(),
            0.2,
            epsilon = 1e-15
        );
        // Theil: (0 + 0 + 2 ln 2 + 0 + 0) / 5.
        assert_abs_diff_eq!(
            theil_index(&Y, &P, None).unwrap(),
            2.0 * 2f64.ln() / 5.0,
            epsilon = 1e-15
        );
        // α = 0 is undefined with a zero benefit.
        assert!(generalized_entropy_index(&Y, &P, None, 0.0).is_err());
        // α = 0 without zero benefit: b = 1 2 1, μ = 4/3: −mean(ln(3/4), ln(3/2), ln(3/4)).
        let ge0 = generalized_entropy_index(&[true, false, false], &[true, true, false], None, 0.0)
            .unwrap();
        let expect = -((0.75f64).ln() * 2.0 + 1.5f64.ln()) / 3.0;
        assert_abs_diff_eq!(ge0, expect, epsilon = 1e-15);
        // α = 3: Σ (b³ − 1) / (5·6) = (0 − 1 + 7 + 0 + 0) / 30.
        assert_abs_diff_eq!(
            generalized_entropy_index(&Y, &P, None, 3.0).unwrap(),
            0.2,
            epsilon = 1e-15
        );
        // Weight 2 on row 2 = duplicating it: b = 1 0 2 2 1 1, μ = 7/6.
        let w = [1.0, 1.0, 2.0, 1.0, 1.0];
        let y6 = [true, true, false, false, false, true];
        let p6 = [true, false, true, true, false, true];
        assert_abs_diff_eq!(
            theil_index(&Y, &P, Some(&w)).unwrap(),
            theil_index(&y6, &p6, None).unwrap(),
            epsilon = 1e-15
        );
        // All false negatives: μ = 0.
        assert!(theil_index(&[true, true], &[false, false], None).is_err());
    }

    #[test]
    fn consistency_matches_hand_values_and_rejects_bad_input() {
        // 1-D points 0, 1, 2, 10, 11 with ŷ = 1 1 0 0 0, k = 3 (self included):
        // row 0: {0,1,2} mean 2/3 → |1 − 2/3| = 1/3; row 1: {1,0,2} → 1/3;
        // row 2: {2,1,0} (distance 1 to row 1 and 2 to row 0 beat 8 to row 3) → |0 − 2/3| = 2/3;
        // row 3: {3,4,2} mean 0 → 0; row 4: {4,3,2} → 0.
        let x = array![[0.0], [1.0], [2.0], [10.0], [11.0]];
        let c = consistency(x.view(), &[true, true, false, false, false], 3).unwrap();
        assert_abs_diff_eq!(
            c,
            1.0 - (1.0 / 3.0 + 1.0 / 3.0 + 2.0 / 3.0) / 5.0,
            epsilon = 1e-15
        );
        // k = 1: only the row itself, always consistent.
        assert_eq!(
            consistency(x.view(), &[true, false, true, false, true], 1).unwrap(),
            1.0
        );
        assert!(consistency(x.view(), &[true; 5], 0).is_err());
        assert!(consistency(x.view(), &[true; 5], 6).is_err());
        assert!(consistency(x.view(), &[true; 4], 2).is_err());
        let bad = array![[0.0], [f64::NAN]];
        assert!(matches!(
            consistency(bad.view(), &[true, false], 1),
            Err(EvalError::NonFinite { row: 1, .. })
        ));
    }
}
