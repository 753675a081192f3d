//! [`Objective`]: what the thresholds maximise subject to the fairness constraint.

use serde::{Deserialize, Serialize};

use super::error::{PostprocessError, Result};

/// What the post-processor optimises on the fitting data, subject to its constraint. Every
/// objective is linear in the weighted true- and false-positive counts, which is what makes the
/// search over the groups' ROC hulls exact.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Objective {
    /// Maximise weighted accuracy (equivalently, minimise the weighted error rate).
    Accuracy,
    /// Maximise balanced accuracy, (TPR + TNR) / 2 over all rows.
    BalancedAccuracy,
    /// Minimise the expected cost per unit weight, `(c_fp · FP + c_fn · FN) / W`.
    Cost {
        /// Cost of a false positive (finite, non-negative).
        false_positive: f64,
        /// Cost of a false negative (finite, non-negative).
        false_negative: f64,
    },
}

/// An objective reduced to `utility = tp_weight · TP + tn_weight · TN`, with the objective's value
/// `offset + sign · utility`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinearUtility {
    pub tp_weight: f64,
    pub tn_weight: f64,
    offset: f64,
    sign: f64,
}

impl LinearUtility {
    /// The objective's own value (accuracy, balanced accuracy or cost) for a utility.
    pub fn objective_value(&self, utility: f64) -> f64 {
        self.offset + self.sign * utility
    }
}

impl Objective {
    /// Checks the cost parameters.
    pub(crate) fn check(&self) -> Result<()> {
        if let Objective::Cost {
            false_positive,
            false_negative,
        } = *self
        {
            for (name, c) in [
                ("false_positive", false_positive),
                ("false_negative", false_negative),
            ] {
                if !c.is_finite() || c < 0.0 {
                    return Err(PostprocessError::InvalidParameter {
                        name: "objective",
                        reason: format!("cost of a {name} must be finite and >= 0, got {c}"),
                    });
                }
            }
            if false_positive + false_negative == 0.0 {
                return Err(PostprocessError::InvalidParameter {
                    name: "objective",
                    reason: "both costs are zero: every rule is optimal".into(),
                });
            }
        }
        Ok(())
    }

    /// The linear utility for data with these total positive and negative weights.
    pub(crate) fn utility(&self, positives: f64, negatives: f64) -> Result<LinearUtility> {
        let total = positives + negatives;
        Ok(match *self {
            Objective::Accuracy => LinearUtility {
                tp_weight: 1.0 / total,
                tn_weight: 1.0 / total,
                offset: 0.0,
                sign: 1.0,
            },
            Objective::BalancedAccuracy => {
                for (weight, missing) in [(positives, true), (negatives, false)] {
                    if weight <= 0.0 {
                        return Err(PostprocessError::SingleClass { missing });
                    }
                }
                LinearUtility {
                    tp_weight: 0.5 / positives,
                    tn_weight: 0.5 / negatives,
                    offset: 0.0,
                    sign: 1.0,
                }
            }
            Objective::Cost {
                false_positive,
                false_negative,
            } => LinearUtility {
                tp_weight: false_negative / total,
                tn_weight: false_positive / total,
                offset: (false_positive * negatives + false_negative * positives) / total,
                sign: -1.0,
            },
        })
    }
}
