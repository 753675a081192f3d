//! Performance metrics on all rows: one-call functions over slices (scikit-learn's signatures)
//! and [`evaluate`] for any [`Metric`]. The formulas are documented on [`Measure`].

use crate::error::{EvalError, Result};
use crate::metrics::measure::ZERO_WEIGHT;
use crate::metrics::{Measure, Metric, Outcomes, Undefined, Value};

/// Evaluates `metric` on all rows of `outcomes` (weighted), after checking that the inputs it
/// needs are present; an undefined value is an [`EvalError::Undefined`] with the reason.
pub fn evaluate(metric: &dyn Metric, outcomes: &Outcomes) -> Result<f64> {
    outcomes.check(metric)?;
    metric
        .compute(&outcomes.view())
        .map_err(|u| EvalError::Undefined {
            metric: metric.name(),
            group: None,
            reason: u.reason.to_string(),
        })
}

fn labelled(
    metric: Measure,
    y_true: &[bool],
    y_pred: &[bool],
    weights: Option<&[f64]>,
) -> Result<f64> {
    let out = Outcomes::classification(y_true, y_pred)?.with_optional_weights(weights)?;
    evaluate(&metric, &out)
}

fn scored(
    metric: Measure,
    y_true: &[bool],
    scores: &[f64],
    weights: Option<&[f64]>,
) -> Result<f64> {
    let out = Outcomes::scored(y_true, scores)?.with_optional_weights(weights)?;
    evaluate(&metric, &out)
}

fn regressed(
    metric: Measure,
    y_true: &[f64],
    y_pred: &[f64],
    weights: Option<&[f64]>,
) -> Result<f64> {
    let out = Outcomes::regression(y_true, y_pred)?.with_optional_weights(weights)?;
    evaluate(&metric, &out)
}

/// Accuracy `Σ wᵢ[ŷᵢ = yᵢ] / Σ wᵢ` (scikit-learn's `accuracy_score`).
///
/// ```
/// use fairfit::eval::metrics::accuracy;
/// assert_eq!(accuracy(&[true, false, true], &[true, true, true], None)?, 2.0 / 3.0);
/// assert_eq!(accuracy(&[true, false, true], &[true, true, true], Some(&[1.0, 2.0, 1.0]))?, 0.5);
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
pub fn accuracy(y_true: &[bool], y_pred: &[bool], weights: Option<&[f64]>) -> Result<f64> {
    labelled(Measure::Accuracy, y_true, y_pred, weights)
}

/// Balanced accuracy `(TPR + TNR) / 2` (scikit-learn's `balanced_accuracy_score`); an error
/// when only one class is present.
///
/// ```
/// use fairfit::eval::metrics::balanced_accuracy;
/// // TPR = 1/2, TNR = 1/1.
/// assert_eq!(balanced_accuracy(&[true, true, false], &[true, false, false], None)?, 0.75);
/// assert!(balanced_accuracy(&[true, true], &[true, false], None).is_err());
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
pub fn balanced_accuracy(y_true: &[bool], y_pred: &[bool], weights: Option<&[f64]>) -> Result<f64> {
    labelled(Measure::BalancedAccuracy, y_true, y_pred, weights)
}

/// Precision `TP / (TP + FP)` (scikit-learn's `precision_score`); an error when nothing is
/// predicted positive.
pub fn precision(y_true: &[bool], y_pred: &[bool], weights: Option<&[f64]>) -> Result<f64> {
    labelled(Measure::Ppv, y_true, y_pred, weights)
}

/// Recall `TP / (TP + FN)` (scikit-learn's `recall_score`); an error without positives.
pub fn recall(y_true: &[bool], y_pred: &[bool], weights: Option<&[f64]>) -> Result<f64> {
    labelled(Measure::Tpr, y_true, y_pred, weights)
}

/// F1 `2·TP / (2·TP + FP + FN)` (scikit-learn's `f1_score`).
pub fn f1_score(y_true: &[bool], y_pred: &[bool], weights: Option<&[f64]>) -> Result<f64> {
    labelled(Measure::F1, y_true, y_pred, weights)
}

/// ROC AUC of real scores, ties counted ½ (weighted Mann–Whitney U; scikit-learn's
/// `roc_auc_score`): `Σ_{i:y=1} Σ_{j:y=0} wᵢwⱼ([sᵢ > sⱼ] + ½[sᵢ = sⱼ]) / (W₁W₀)`.
/// An error when only one class is present; NaN scores are rejected.
///
/// ```
/// use fairfit::eval::metrics::roc_auc;
/// // Pairs (pos, neg): (0.8, 0.3) → 1, (0.8, 0.5) → 1, (0.5, 0.3) → 1, (0.5, 0.5) → ½.
/// assert_eq!(roc_auc(&[true, false, true, false], &[0.8, 0.3, 0.5, 0.5], None)?, 0.875);
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
pub fn roc_auc(y_true: &[bool], scores: &[f64], weights: Option<&[f64]>) -> Result<f64> {
    scored(Measure::RocAuc, y_true, scores, weights)
}

/// Log-loss (cross-entropy) of probabilities; see [`Measure::LogLoss`].
pub fn log_loss(y_true: &[bool], probabilities: &[f64], weights: Option<&[f64]>) -> Result<f64> {
    scored(Measure::LogLoss, y_true, probabilities, weights)
}

/// Brier score `Σ wᵢ(pᵢ − yᵢ)² / W` (scikit-learn's `brier_score_loss`).
pub fn brier_score(y_true: &[bool], probabilities: &[f64], weights: Option<&[f64]>) -> Result<f64> {
    scored(Measure::Brier, y_true, probabilities, weights)
}

/// Mean squared error `Σ wᵢ(ŷᵢ − yᵢ)² / W` (scikit-learn's `mean_squared_error`).
pub fn mean_squared_error(y_true: &[f64], y_pred: &[f64], weights: Option<&[f64]>) -> Result<f64> {
    regressed(Measure::Mse, y_true, y_pred, weights)
}

/// Mean absolute error `Σ wᵢ|ŷᵢ − yᵢ| / W` (scikit-learn's `mean_absolute_error`).
pub fn mean_absolute_error(y_true: &[f64], y_pred: &[f64], weights: Option<&[f64]>) -> Result<f64> {
    regressed(Measure::Mae, y_true, y_pred, weights)
}

/// R² `1 − Σ wᵢ(yᵢ − ŷᵢ)² / Σ wᵢ(yᵢ − ȳ)²` (scikit-learn's `r2_score`); an error when every
/// target is equal.
pub fn r2_score(y_true: &[f64], y_pred: &[f64], weights: Option<&[f64]>) -> Result<f64> {
    regressed(Measure::R2, y_true, y_pred, weights)
}

/// Weighted ROC AUC with ties counted ½: sort by score, walk blocks of tied scores from the
/// lowest, and credit each positive with the negative weight strictly below plus half of the
/// negative weight tied with it. O(n log n).
pub(crate) fn auc(labels: &[bool], scores: &[f64], weights: &[f64]) -> Value {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let (mut concordant, mut neg_below, mut pos_total) = (0.0, 0.0, 0.0);
    let mut start = 0;
    while start < order.len() {
        let score = scores[order[start]];
        let (mut pos, mut neg) = (0.0, 0.0);
        let mut end = start;
        while end < order.len() && scores[order[end]] == score {
            let i = order[end];
            if labels[i] {
                pos += weights[i];
            } else {
                neg += weights[i];
            }
            end += 1;
        }
        concordant += pos * (neg_below + 0.5 * neg);
        neg_below += neg;
        pos_total += pos;
        start = end;
    }
    if pos_total > 0.0 && neg_below > 0.0 {
        Ok(concordant / (pos_total * neg_below))
    } else {
        Err(Undefined {
            reason: "only one class present (ROC AUC needs y = 1 and y = 0)",
        })
    }
}

/// `Σ wᵢxᵢ / Σ wᵢ`.
pub(crate) fn weighted_mean(values: &[f64], weights: &[f64]) -> Value {
    let total: f64 = weights.iter().sum();
    let sum: f64 = values.iter().zip(weights).map(|(x, w)| x * w).sum();
    super::ratio(sum, total, ZERO_WEIGHT.reason)
}

/// `Σ wᵢ loss(sᵢ − yᵢ) / Σ wᵢ`.
pub(crate) fn mean_loss(y: &[f64], s: &[f64], w: &[f64], loss: impl Fn(f64) -> f64) -> Value {
    let losses: Vec<f64> = y.iter().zip(s).map(|(y, s)| loss(s - y)).collect();
    weighted_mean(&losses, w)
}

pub(crate) fn log_loss_of(labels: &[bool], p: &[f64], w: &[f64]) -> Value {
    let eps = f64::EPSILON;
    let losses: Vec<f64> = labels
        .iter()
        .zip(p)
        .map(|(&y, &p)| {
            let p = p.clamp(eps, 1.0 - eps);
            if y {
                -p.ln()
            } else {
                -(1.0 - p).ln()
            }
        })
        .collect();
    weighted_mean(&losses, w)
}

pub(crate) fn brier_of(labels: &[bool], p: &[f64], w: &[f64]) -> Value {
    let losses: Vec<f64> = labels
        .iter()
        .zip(p)
        .map(|(&y, &p)| (p - f64::from(u8::from(y))).powi(2))
        .collect();
    weighted_mean(&losses, w)
}

pub(crate) fn r2(y: &[f64], s: &[f64], w: &[f64]) -> Value {
    let mean = weighted_mean(y, w)?;
    let ss_res: f64 = y
        .iter()
        .zip(s)
        .zip(w)
        .map(|((y, s), w)| w * (y - s).powi(2))
        .sum();
    let ss_tot: f64 = y.iter().zip(w).map(|(y, w)| w * (y - mean).powi(2)).sum();
    super::ratio(
        ss_res,
        ss_tot,
        "every target has the same value (zero variance)",
    )
    .map(|r| 1.0 - r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    // y:    1 1 1 0 0 0 0 1
    // ŷ:    1 1 0 0 1 0 0 1
    // TP = 3 (rows 0,1,7), FN = 1 (row 2), FP = 1 (row 4), TN = 3 (rows 3,5,6).
    const Y: [bool; 8] = [true, true, true, false, false, false, false, true];
    const P: [bool; 8] = [true, true, false, false, true, false, false, true];

    #[test]
    fn classification_metrics_match_hand_counts() {
        assert_eq!(accuracy(&Y, &P, None).unwrap(), 6.0 / 8.0);
        assert_eq!(precision(&Y, &P, None).unwrap(), 3.0 / 4.0);
        assert_eq!(recall(&Y, &P, None).unwrap(), 3.0 / 4.0);
        assert_eq!(f1_score(&Y, &P, None).unwrap(), 6.0 / 8.0);
        assert_eq!(balanced_accuracy(&Y, &P, None).unwrap(), 0.75);
        // Weight row 2 (a false negative) by 3: TP 3, FN 3, FP 1, TN 3, W = 10.
        let w = [1.0, 1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        assert_eq!(accuracy(&Y, &P, Some(&w)).unwrap(), 0.6);
        assert_eq!(recall(&Y, &P, Some(&w)).unwrap(), 0.5);
        assert_eq!(f1_score(&Y, &P, Some(&w)).unwrap(), 6.0 / 10.0);
        assert_eq!(
            balanced_accuracy(&Y, &P, Some(&w)).unwrap(),
            (0.5 + 0.75) / 2.0
        );
    }

    #[test]
    fn undefined_values_are_errors_not_zero() {
        let err = precision(&[true, false], &[false, false], None).unwrap_err();
        assert!(matches!(err, EvalError::Undefined { .. }), "{err}");
        assert!(recall(&[false, false], &[true, false], None).is_err());
        assert!(roc_auc(&[true, true], &[0.1, 0.2], None).is_err());
        assert!(r2_score(&[1.0, 1.0], &[1.0, 2.0], None).is_err());
    }

    #[test]
    fn roc_auc_counts_ties_as_half_and_honours_weights() {
        // Positives 0.9, 0.5, 0.5; negatives 0.5, 0.2. Pairs: 0.9 beats both (2),
        // each 0.5 positive ties 0.5 (½) and beats 0.2 (1): total 2 + 2·1.5 = 5 of 6.
        let y = [true, true, true, false, false];
        let s = [0.9, 0.5, 0.5, 0.5, 0.2];
        assert_abs_diff_eq!(roc_auc(&y, &s, None).unwrap(), 5.0 / 6.0, epsilon = 1e-15);
        // Weight 2 on the first positive = duplicating it: 7 of 8 pairs.
        let w = [2.0, 1.0, 1.0, 1.0, 1.0];
        assert_abs_diff_eq!(
            roc_auc(&y, &s, Some(&w)).unwrap(),
            7.0 / 8.0,
            epsilon = 1e-15
        );
        // Brute force over all pairs agrees.
        let brute = |y: &[bool], s: &[f64], w: &[f64]| {
            let (mut num, mut den) = (0.0, 0.0);
            for i in 0..y.len() {
                for j in 0..y.len() {
                    if y[i] && !y[j] {
                        den += w[i] * w[j];
                        num += w[i]
                            * w[j]
                            * if s[i] > s[j] {
                                1.0
                            } else if s[i] == s[j] {
                                0.5
                            } else {
                                0.0
                            };
                    }
                }
            }
            num / den
        };
        let y2: Vec<bool> = (0..40).map(|i| (i * 7) % 3 == 0).collect();
        let s2: Vec<f64> = (0..40).map(|i| ((i * 13) % 7) as f64 / 7.0).collect();
        let w2: Vec<f64> = (0..40).map(|i| 0.5 + (i % 4) as f64).collect();
        assert_abs_diff_eq!(
            roc_auc(&y2, &s2, Some(&w2)).unwrap(),
            brute(&y2, &s2, &w2),
            epsilon = 1e-12
        );
    }

    #[test]
    fn probabilistic_and_regression_losses_match_hand_values() {
        let y = [true, false, true, false];
        let p = [0.8, 0.4, 0.5, 0.0];
        let ll = -(0.8f64.ln() + 0.6f64.ln() + 0.5f64.ln() + (1.0 - f64::EPSILON).ln()) / 4.0;
        assert_abs_diff_eq!(log_loss(&y, &p, None).unwrap(), ll, epsilon = 1e-12);
        // Clipping keeps p = 1 for a negative finite: −ln(ε).
        let clipped = log_loss(&[false], &[1.0], None).unwrap();
        assert_abs_diff_eq!(clipped, -f64::EPSILON.ln(), epsilon = 1e-9);
        let brier = (0.04 + 0.16 + 0.25 + 0.0) / 4.0;
        assert_abs_diff_eq!(brier_score(&y, &p, None).unwrap(), brier, epsilon = 1e-15);

        let t = [1.0, 2.0, 3.0, 4.0];
        let f = [1.5, 2.0, 2.0, 5.0];
        assert_abs_diff_eq!(
            mean_squared_error(&t, &f, None).unwrap(),
            2.25 / 4.0,
            epsilon = 1e-15
        );
        assert_abs_diff_eq!(
            mean_absolute_error(&t, &f, None).unwrap(),
            2.5 / 4.0,
            epsilon = 1e-15
        );
        // ȳ = 2.5, SS_tot = 5, SS_res = 2.25.
        assert_abs_diff_eq!(
            r2_score(&t, &f, None).unwrap(),
            1.0 - 2.25 / 5.0,
            epsilon = 1e-15
        );
        // Weights: ȳ = (1 + 2 + 3 + 8) / 5 = 2.8.
        let w = [1.0, 1.0, 1.0, 2.0];
        let ss_tot = 1.8f64.powi(2) + 0.8f64.powi(2) + 0.2f64.powi(2) + 2.0 * 1.2f64.powi(2);
        let ss_res = 0.25 + 0.0 + 1.0 + 2.0;
        assert_abs_diff_eq!(
            r2_score(&t, &f, Some(&w)).unwrap(),
            1.0 - ss_res / ss_tot,
            epsilon = 1e-12
        );
    }
}
