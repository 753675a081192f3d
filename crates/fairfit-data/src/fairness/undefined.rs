//! [`Undefined`]: a value that does not exist on the rows at hand, with the reason.

use std::fmt;

/// Why a value does not exist on the rows at hand: the denominator of its definition is zero (a
/// group with no positives for the TPR, no predicted positives for the PPV, one class only for
/// the ROC AUC, zero total weight, ...).
///
/// fairfit reports such values as undefined everywhere (training, evaluation, audits,
/// monitoring) instead of 0 (which scikit-learn and Fairlearn return under `zero_division`), so
/// an undefined rate can never pass for a perfect one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Undefined {
    /// What is missing, e.g. `no rows with y = 1 (or all have weight 0)`.
    pub reason: &'static str,
}

impl fmt::Display for Undefined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason)
    }
}

impl std::error::Error for Undefined {}

/// A number, or [`Undefined`] with the reason.
pub type Value = std::result::Result<f64, Undefined>;

/// `num / den`, or [`Undefined`] with `reason` when the denominator is not positive.
#[inline]
pub fn ratio(num: f64, den: f64, reason: &'static str) -> Value {
    if den > 0.0 {
        // `+ 0.0` turns −0.0 (an empty `f64` sum is −0.0) into 0.0, so no "-0" is ever shown.
        Ok(num / den + 0.0)
    } else {
        Err(Undefined { reason })
    }
}
