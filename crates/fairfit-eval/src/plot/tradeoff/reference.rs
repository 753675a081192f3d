//! [`ReferenceLine`]: a named value of the performance (y) axis drawn across a trade-off plot,
//! e.g. the accuracy of the constant rule that always predicts the majority class.

use crate::error::{EvalError, Result};

/// A horizontal dashed line across a [`super::TradeoffPlot`] at a value of its y axis, named in
/// the legend: what every method should beat, such as the constant rule.
///
/// ```
/// use fairfit::eval::plot::ReferenceLine;
/// // 24 % of the test labels are positive: always predicting "negative" is 76 % accurate.
/// let line = ReferenceLine::constant_rule(0.24)?;
/// assert!((line.value() - 0.76).abs() < 1e-12);
/// assert_eq!(line.label(), "constant rule (majority class)");
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceLine {
    value: f64,
    label: String,
}

impl ReferenceLine {
    /// A line at `value` of the y axis labelled `label` (checked when the plot is drawn: the
    /// value must be finite).
    pub fn new(value: f64, label: impl Into<String>) -> Self {
        Self {
            value,
            label: label.into(),
        }
    }

    /// The accuracy of the constant rule (always predicting the majority class) when a share
    /// `positive_rate` of the labels is positive: `max(p, 1 − p)`, labelled
    /// `constant rule (majority class)`. Fails unless `positive_rate` is in [0, 1].
    pub fn constant_rule(positive_rate: f64) -> Result<Self> {
        if !(0.0..=1.0).contains(&positive_rate) {
            return Err(EvalError::InvalidParameter {
                name: "positive_rate",
                reason: format!("{positive_rate} is not a share in [0, 1]"),
            });
        }
        Ok(Self::new(
            positive_rate.max(1.0 - positive_rate),
            "constant rule (majority class)",
        ))
    }

    /// The value of the y axis the line is drawn at.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The legend's label of the line.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Checks that the line can be drawn.
    pub(super) fn check(&self) -> Result<()> {
        if !self.value.is_finite() {
            return Err(EvalError::InvalidParameter {
                name: "reference",
                reason: format!("the line `{}` is at {}", self.label, self.value),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_rule_is_the_majority_share_and_bad_shares_are_errors() {
        let line = ReferenceLine::constant_rule(0.7).unwrap();
        assert!((line.value() - 0.7).abs() < 1e-12);
        assert!((ReferenceLine::constant_rule(0.3).unwrap().value() - 0.7).abs() < 1e-12);
        for bad in [-0.1, 1.5, f64::NAN] {
            assert!(matches!(
                ReferenceLine::constant_rule(bad),
                Err(EvalError::InvalidParameter {
                    name: "positive_rate",
                    ..
                })
            ));
        }
        assert!(ReferenceLine::new(f64::INFINITY, "x").check().is_err());
        assert!(ReferenceLine::new(0.5, "x").check().is_ok());
    }
}
