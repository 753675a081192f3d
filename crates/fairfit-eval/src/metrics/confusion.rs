//! [`Confusion`]: the weighted confusion counts, read as rates by the statistic engine.
//!
//! Every rate of the counts is a [`Statistic`] of the shared vocabulary evaluated on the four
//! cells (the kernel training, post-processing and monitoring read); the measures that are not
//! statistics are built from them: accuracy and the true-negative rate and negative predictive
//! value are complements of the error rate, the FPR and the false-omission rate, balanced
//! accuracy and F1 combine the engine's rates. So no rate has a second definition, and an
//! undefined rate is [`Undefined`] with the engine's reason.

use fairfit_data::fairness::{Condition, Quantity, Statistic};

use crate::metrics::{Undefined, Value};

/// Weighted confusion counts of binary labels `y` and predictions `ŷ`:
/// `TP = Σ wᵢ [yᵢ ∧ ŷᵢ]`, `FP = Σ wᵢ [¬yᵢ ∧ ŷᵢ]`, `TN = Σ wᵢ [¬yᵢ ∧ ¬ŷᵢ]`, `FN = Σ wᵢ [yᵢ ∧ ¬ŷᵢ]`.
///
/// The rates are scikit-learn's / Fairlearn's (`true_positive_rate`, `false_positive_rate`, ...),
/// except that a zero denominator gives [`Undefined`] instead of 0.
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

/// Why the F1 score is undefined: it is `2·TP / (2·TP + FP + FN)`, and the rows hold neither a
/// positive label nor a positive prediction (both its precision and its recall are undefined).
const NO_POSITIVES_NOR_PREDICTED: &str = "no rows with y = 1 and none with prediction 1";

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

    /// The four cells as the engine's weighted rows `(weight, label, decision)`, in the order
    /// TP, FP, TN, FN (so that the engine's sums are the counts' sums term for term).
    fn rows(&self) -> [(f64, f64, f64); 4] {
        [
            (self.true_pos, 1.0, 1.0),
            (self.false_pos, 0.0, 1.0),
            (self.true_neg, 0.0, 0.0),
            (self.false_neg, 1.0, 0.0),
        ]
    }

    /// A statistic of the shared vocabulary on these counts, read by the engine
    /// ([`Statistic::over_rows`]) as it is everywhere else; undefined with the engine's reason
    /// where no count falls in the statistic's condition.
    ///
    /// ```
    /// use fairfit::data::fairness::Statistic;
    /// use fairfit::eval::metrics::Confusion;
    /// let c = Confusion::new(&[true, true, false], &[true, false, false], &[1.0; 3]);
    /// assert_eq!(c.rate(Statistic::true_positive_rate()), Ok(0.5));
    /// assert_eq!(c.rate(Statistic::false_omission_rate()), Ok(0.5));
    /// ```
    pub fn rate(&self, statistic: Statistic) -> Value {
        statistic
            .over_rows(self.rows())
            .unwrap_or(Err(NEEDS_SCORES))
    }

    /// One minus a statistic on these counts ([`Statistic::complement_over_rows`]).
    fn complement(&self, statistic: Statistic) -> Value {
        statistic
            .complement_over_rows(self.rows())
            .unwrap_or(Err(NEEDS_SCORES))
    }

    /// Accuracy `(TP + TN) / W`: the complement of the error rate.
    pub fn accuracy(&self) -> Value {
        self.complement(Statistic::error_rate())
    }

    /// Error rate `(FP + FN) / W = P(ŷ ≠ y)` (zero-one loss).
    pub fn error_rate(&self) -> Value {
        self.rate(Statistic::error_rate())
    }

    /// Selection rate `(TP + FP) / W = P(ŷ = 1)`.
    pub fn selection_rate(&self) -> Value {
        self.rate(Statistic::positive_rate())
    }

    /// True positive rate (recall, sensitivity) `TP / (TP + FN) = P(ŷ = 1 | y = 1)`.
    pub fn tpr(&self) -> Value {
        self.rate(Statistic::true_positive_rate())
    }

    /// False negative rate `FN / (TP + FN) = P(ŷ ≠ y | y = 1)`.
    pub fn fnr(&self) -> Value {
        self.rate(Statistic::new(Quantity::Error, Condition::Positives))
    }

    /// False positive rate `FP / (FP + TN) = P(ŷ = 1 | y = 0)`.
    pub fn fpr(&self) -> Value {
        self.rate(Statistic::false_positive_rate())
    }

    /// True negative rate (specificity) `TN / (FP + TN)`: the complement of the FPR.
    pub fn tnr(&self) -> Value {
        self.complement(Statistic::false_positive_rate())
    }

    /// Positive predictive value (precision) `TP / (TP + FP) = P(y = 1 | ŷ = 1)`.
    pub fn ppv(&self) -> Value {
        self.rate(Statistic::positive_predictive_value())
    }

    /// Negative predictive value `TN / (TN + FN) = P(y = 0 | ŷ = 0)`: the complement of the
    /// false-omission rate `P(y = 1 | ŷ = 0)`.
    pub fn npv(&self) -> Value {
        self.complement(Statistic::false_omission_rate())
    }

    /// Balanced accuracy `(TPR + TNR) / 2` (scikit-learn's `balanced_accuracy_score` for binary
    /// labels); undefined unless both classes are present.
    pub fn balanced_accuracy(&self) -> Value {
        Ok((self.tpr()? + self.tnr()?) / 2.0)
    }

    /// F1 score `2·TP / (2·TP + FP + FN)`: the harmonic mean `2·PPV·TPR / (PPV + TPR)` of
    /// precision and recall. Without a true positive it is 0 as soon as either is defined (the
    /// formula's numerator is 0, its denominator is not); undefined when there are neither
    /// positives nor predicted positives.
    pub fn f1(&self) -> Value {
        match (self.ppv(), self.tpr()) {
            (Ok(precision), Ok(recall)) if precision + recall > 0.0 => {
                Ok(2.0 * precision * recall / (precision + recall))
            }
            (Err(_), Err(_)) => Err(Undefined {
                reason: NO_POSITIVES_NOR_PREDICTED,
            }),
            _ => Ok(0.0),
        }
    }
}

/// Confusion counts hold decisions and labels, not the scores some statistics read.
const NEEDS_SCORES: Undefined = Undefined {
    reason: "confusion counts hold decisions and labels, not the model's scores",
};

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

    /// On weighted counts that are not exact in binary, the engine's measures are the counts'
    /// textbook formulas (what scikit-learn, Fairlearn and AIF360 compute) to 1e-14.
    #[test]
    fn engine_measures_equal_the_count_formulas() {
        use rand::{rngs::StdRng, Rng, SeedableRng};
        let mut rng = StdRng::seed_from_u64(8);
        for _ in 0..500 {
            let mut count = || {
                if rng.gen_bool(0.1) {
                    0.0
                } else {
                    rng.gen_range(0.0..100.0)
                }
            };
            let c = Confusion {
                true_pos: count(),
                false_pos: count(),
                true_neg: count(),
                false_neg: count(),
            };
            let (tp, fp, tn, fn_) = (c.true_pos, c.false_pos, c.true_neg, c.false_neg);
            let close = |got: Value, num: f64, den: f64| match got {
                Ok(v) => assert!(den > 0.0 && (v - num / den).abs() < 1e-14, "{c:?}"),
                Err(_) => assert!(den <= 0.0, "{c:?}"),
            };
            close(c.accuracy(), tp + tn, tp + fp + tn + fn_);
            close(c.error_rate(), fp + fn_, tp + fp + tn + fn_);
            close(c.selection_rate(), tp + fp, tp + fp + tn + fn_);
            close(c.tpr(), tp, tp + fn_);
            close(c.fnr(), fn_, tp + fn_);
            close(c.fpr(), fp, fp + tn);
            close(c.tnr(), tn, fp + tn);
            close(c.ppv(), tp, tp + fp);
            close(c.npv(), tn, tn + fn_);
            close(c.f1(), 2.0 * tp, 2.0 * tp + fp + fn_);
            match c.balanced_accuracy() {
                Ok(v) => assert!((v - (tp / (tp + fn_) + tn / (fp + tn)) / 2.0).abs() < 1e-14),
                Err(_) => assert!(tp + fn_ <= 0.0 || fp + tn <= 0.0),
            }
        }
    }

    #[test]
    fn f1_without_true_positives_is_zero_when_defined() {
        let only_missed = Confusion::new(&[true, false], &[false, false], &[1.0, 1.0]);
        assert!(only_missed.ppv().is_err());
        assert_eq!(only_missed.f1(), Ok(0.0));
        let only_false_alarms = Confusion::new(&[false, false], &[true, false], &[1.0, 1.0]);
        assert!(only_false_alarms.tpr().is_err());
        assert_eq!(only_false_alarms.f1(), Ok(0.0));
        let both_wrong = Confusion::new(&[true, false], &[false, true], &[1.0, 1.0]);
        assert_eq!((both_wrong.ppv(), both_wrong.tpr()), (Ok(0.0), Ok(0.0)));
        assert_eq!(both_wrong.f1(), Ok(0.0));
        let nothing = Confusion::new(&[false], &[false], &[1.0]);
        assert_eq!(
            nothing.f1(),
            Err(Undefined {
                reason: NO_POSITIVES_NOR_PREDICTED
            })
        );
        // Undefined rates carry the engine's reasons.
        assert_eq!(
            nothing.tpr(),
            Err(Undefined {
                reason: Condition::Positives.lacks()
            })
        );
        assert_eq!(
            only_missed.npv(),
            Ok(0.5),
            "one of the two rows decided 0 has y = 0"
        );
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
