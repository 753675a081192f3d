//! [`Confusion`]: the weighted confusion counts every rate-type metric is a ratio of.

use crate::metrics::{ratio, Value};

/// Weighted confusion counts of binary labels `y` and predictions `ŷ`:
/// `TP = Σ wᵢ [yᵢ ∧ ŷᵢ]`, `FP = Σ wᵢ [¬yᵢ ∧ ŷᵢ]`, `TN = Σ wᵢ [¬yᵢ ∧ ¬ŷᵢ]`, `FN = Σ wᵢ [yᵢ ∧ ¬ŷᵢ]`.
///
/// The rates are scikit-learn's / Fairlearn's (`true_positive_rate`, `false_positive_rate`, ...),
/// except that a zero denominator gives [`crate::metrics::Undefined`] instead of 0.
///
/// ```
/// use fairfit::eval::metrics::Confusion;
/// let c = Confusion::new(&[true, true, false, false], &[true, false, true, true], &[1.0; 4]);
/// assert_eq!((c.true_pos, c.false_neg, c.false_pos, c.true_neg), (1.0, 1.0, 2.0, 0.0));
/// assert_eq!(c.tpr(), Ok(0.5));
/// assert_eq!(c.ppv(), Ok(1.0 / 3.0));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Confusion {
    /// Weight of rows with `y = 1, ŷ = 1`.
    pub true_pos: f64,
    /// Weight of rows with `y = 0, ŷ = 1`.
    pub false_pos: f64,
    /// Weight of rows with `y = 0, ŷ = 0`.
    pub true_neg: f64,
    /// Weight of rows with `y = 1, ŷ = 0`.
    pub false_neg: f64,
}

const NO_POSITIVES: &str = "no rows with y = 1 (or all have weight 0)";
const NO_NEGATIVES: &str = "no rows with y = 0 (or all have weight 0)";
const NO_PREDICTED_POSITIVES: &str = "no rows with prediction 1";
const NO_PREDICTED_NEGATIVES: &str = "no rows with prediction 0";
const NO_ROWS: &str = "no rows (or zero total weight)";

impl Confusion {
    /// Counts labels against predictions with row weights. The slices have one entry per row
    /// (shorter slices are truncated to the shortest; [`crate::metrics::Outcomes`] guarantees
    /// equal lengths).
    pub fn new(y_true: &[bool], y_pred: &[bool], weights: &[f64]) -> Self {
        let mut c = Self::default();
        for ((&y, &p), &w) in y_true.iter().zip(y_pred).zip(weights) {
            match (y, p) {
                (true, true) => c.true_pos += w,
                (false, true) => c.false_pos += w,
                (false, false) => c.true_neg += w,
                (true, false) => c.false_neg += w,
            }
        }
        c
    }

    /// `W = TP + FP + TN + FN`.
    pub fn total(&self) -> f64 {
        self.true_pos + self.false_pos + self.true_neg + self.false_neg
    }

    /// Weight of actual positives `P = TP + FN`.
    pub fn positives(&self) -> f64 {
        self.true_pos + self.false_neg
    }

    /// Weight of actual negatives `N = FP + TN`.
    pub fn negatives(&self) -> f64 {
        self.false_pos + self.true_neg
    }

    /// Accuracy `(TP + TN) / W`.
    pub fn accuracy(&self) -> Value {
        ratio(self.true_pos + self.true_neg, self.total(), NO_ROWS)
    }

    /// Error rate `(FP + FN) / W = 1 − accuracy` (zero-one loss).
    pub fn error_rate(&self) -> Value {
        ratio(self.false_pos + self.false_neg, self.total(), NO_ROWS)
    }

    /// Selection rate `(TP + FP) / W = P(ŷ = 1)`.
    pub fn selection_rate(&self) -> Value {
        ratio(self.true_pos + self.false_pos, self.total(), NO_ROWS)
    }

    /// True positive rate (recall, sensitivity) `TP / (TP + FN) = P(ŷ = 1 | y = 1)`.
    pub fn tpr(&self) -> Value {
        ratio(self.true_pos, self.positives(), NO_POSITIVES)
    }

    /// False negative rate `FN / (TP + FN) = 1 − TPR`.
    pub fn fnr(&self) -> Value {
        ratio(self.false_neg, self.positives(), NO_POSITIVES)
    }

    /// False positive rate `FP / (FP + TN) = P(ŷ = 1 | y = 0)`.
    pub fn fpr(&self) -> Value {
        ratio(self.false_pos, self.negatives(), NO_NEGATIVES)
    }

    /// True negative rate (specificity) `TN / (FP + TN) = 1 − FPR`.
    pub fn tnr(&self) -> Value {
        ratio(self.true_neg, self.negatives(), NO_NEGATIVES)
    }

    /// Positive predictive value (precision) `TP / (TP + FP) = P(y = 1 | ŷ = 1)`.
    pub fn ppv(&self) -> Value {
        ratio(
            self.true_pos,
            self.true_pos + self.false_pos,
            NO_PREDICTED_POSITIVES,
        )
    }

    /// Negative predictive value `TN / (TN + FN) = P(y = 0 | ŷ = 0)`.
    pub fn npv(&self) -> Value {
        ratio(
            self.true_neg,
            self.true_neg + self.false_neg,
            NO_PREDICTED_NEGATIVES,
        )
    }

    /// Balanced accuracy `(TPR + TNR) / 2` (scikit-learn's `balanced_accuracy_score` for binary
    /// labels); undefined unless both classes are present.
    pub fn balanced_accuracy(&self) -> Value {
        Ok((self.tpr()? + self.tnr()?) / 2.0)
    }

    /// F1 score `2·TP / (2·TP + FP + FN)`, the harmonic mean of precision and recall;
    /// undefined when there are neither positives nor predicted positives.
    pub fn f1(&self) -> Value {
        ratio(
            2.0 * self.true_pos,
            2.0 * self.true_pos + self.false_pos + self.false_neg,
            "no rows with y = 1 and none with prediction 1",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Undefined;

    #[test]
    fn every_rate_matches_hand_counts() {
        // y 1 1 1 0 0 0 0, ŷ 1 0 0 1 0 0 0, weights 1 2 1 1 1 3 1:
        // TP = 1, FN = 3, FP = 1, TN = 5, W = 10.
        let c = Confusion::new(
            &[true, true, true, false, false, false, false],
            &[true, false, false, true, false, false, false],
            &[1.0, 2.0, 1.0, 1.0, 1.0, 3.0, 1.0],
        );
        assert_eq!(
            (c.true_pos, c.false_neg, c.false_pos, c.true_neg),
            (1.0, 3.0, 1.0, 5.0)
        );
        assert_eq!(c.accuracy(), Ok(0.6));
        assert_eq!(c.error_rate(), Ok(0.4));
        assert_eq!(c.selection_rate(), Ok(0.2));
        assert_eq!(c.tpr(), Ok(0.25));
        assert_eq!(c.fnr(), Ok(0.75));
        assert_eq!(c.fpr(), Ok(1.0 / 6.0));
        assert_eq!(c.tnr(), Ok(5.0 / 6.0));
        assert_eq!(c.ppv(), Ok(0.5));
        assert_eq!(c.npv(), Ok(5.0 / 8.0));
        assert_eq!(c.f1(), Ok(2.0 / 6.0));
        assert_eq!(c.balanced_accuracy(), Ok((0.25 + 5.0 / 6.0) / 2.0));
    }

    #[test]
    fn zero_denominators_are_undefined() {
        let only_neg = Confusion::new(&[false, false], &[false, false], &[1.0, 1.0]);
        assert!(matches!(only_neg.tpr(), Err(Undefined { .. })));
        assert!(only_neg.fnr().is_err());
        assert!(only_neg.ppv().is_err());
        assert!(only_neg.f1().is_err());
        assert!(only_neg.balanced_accuracy().is_err());
        assert_eq!(only_neg.npv(), Ok(1.0));
        let only_pos = Confusion::new(&[true], &[true], &[1.0]);
        assert!(only_pos.fpr().is_err() && only_pos.tnr().is_err() && only_pos.npv().is_err());
        let weightless = Confusion::new(&[true], &[true], &[0.0]);
        assert!(weightless.accuracy().is_err() && weightless.selection_rate().is_err());
    }
}
