//! [`Aggregate`]: how the per-group values of a statistic or metric become one number.
//!
//! Across any number of groups (Fairlearn's `MetricFrame.difference()` / `.ratio()`):
//! `difference = max_g m_g − min_g m_g`, `ratio = min_g m_g / max_g m_g`, and the `to_overall`
//! variants `max_g |m_g − m|` and `min_g min(m_g / m, m / m_g)`, `m` the overall value.
//!
//! **Undefined groups** are skipped, but never silently: the indices of the skipped groups come
//! back with the value. This differs from Fairlearn 0.15, which computes such a group's rate as 0
//! (scikit-learn's `zero_division`) and so counts it in the difference. A difference or ratio
//! also needs at least two defined groups (Fairlearn would report 0 with one), and a ratio with
//! a zero denominator is undefined.

use serde::{Deserialize, Serialize};

use super::undefined::{ratio, Undefined, Value};

/// How per-group values are summarised into one number.
///
/// ```
/// use fairfit::data::fairness::Aggregate;
/// let values = [Ok(0.2), Ok(0.5), Ok(0.4)];
/// let gap = Aggregate::Difference.apply(Ok(0.4), &values)?;
/// assert!((gap.value - 0.3).abs() < 1e-15 && gap.skipped.is_empty());
/// assert_eq!(Aggregate::Ratio.apply(Ok(0.4), &values)?.value, 0.4);
/// # Ok::<(), fairfit::data::fairness::Undefined>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Aggregate {
    /// `min_g m_g` (Fairlearn's `group_min`).
    Min,
    /// `max_g m_g` (Fairlearn's `group_max`).
    Max,
    /// `max_g m_g − min_g m_g` (Fairlearn's `difference(method="between_groups")`).
    Difference,
    /// `min_g m_g / max_g m_g` (Fairlearn's `ratio(method="between_groups")`); meaningful for
    /// non-negative metrics; undefined when the maximum is 0.
    Ratio,
    /// `max_g |m_g − m|`, `m` the overall value (Fairlearn's `difference(method="to_overall")`).
    DifferenceToOverall,
    /// `min_g min(m_g / m, m / m_g)` (Fairlearn's `ratio(method="to_overall")`); undefined when
    /// `m = 0`.
    RatioToOverall,
}

/// An aggregate's value and the groups it skipped because their value is undefined.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregated {
    /// The number.
    pub value: f64,
    /// Indices of the groups left out, in group order.
    pub skipped: Vec<usize>,
}

impl Aggregate {
    /// All aggregates, in declaration order.
    pub const ALL: [Aggregate; 6] = [
        Aggregate::Min,
        Aggregate::Max,
        Aggregate::Difference,
        Aggregate::Ratio,
        Aggregate::DifferenceToOverall,
        Aggregate::RatioToOverall,
    ];

    /// Whether a larger value means more disparity (differences, maxima) rather than less
    /// (ratios, which are 1 at parity).
    pub fn larger_is_worse(self) -> bool {
        !matches!(
            self,
            Aggregate::Ratio | Aggregate::RatioToOverall | Aggregate::Min
        )
    }

    /// The value at parity (every group equal): 1 for ratios, 0 for differences; `None` for
    /// the group minimum and maximum, which have no parity value.
    pub fn parity(self) -> Option<f64> {
        match self {
            Aggregate::Difference | Aggregate::DifferenceToOverall => Some(0.0),
            Aggregate::Ratio | Aggregate::RatioToOverall => Some(1.0),
            Aggregate::Min | Aggregate::Max => None,
        }
    }

    /// Summarises per-group `values` (the `overall` value is read by the `to_overall` forms),
    /// skipping undefined groups and listing them.
    ///
    /// Undefined when too few groups are defined (two for a difference or ratio, one
    /// otherwise) or a ratio's denominator is 0.
    pub fn apply(self, overall: Value, values: &[Value]) -> Result<Aggregated, Undefined> {
        let skipped: Vec<usize> = (0..values.len()).filter(|&g| values[g].is_err()).collect();
        let defined: Vec<f64> = values.iter().filter_map(|v| v.ok()).collect();
        let need = match self {
            Aggregate::Difference | Aggregate::Ratio => 2,
            _ => 1,
        };
        if defined.len() < need {
            return Err(Undefined {
                reason: if need == 1 {
                    "no group has a defined value"
                } else {
                    "fewer than two groups have a defined value"
                },
            });
        }
        let min = defined.iter().copied().fold(f64::INFINITY, f64::min);
        let max = defined.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let value = match self {
            Aggregate::Min => min,
            Aggregate::Max => max,
            Aggregate::Difference => max - min,
            Aggregate::Ratio => ratio(min, max, "the largest group value is 0")?,
            Aggregate::DifferenceToOverall => {
                let m = overall?;
                defined.iter().map(|v| (v - m).abs()).fold(0.0, f64::max)
            }
            Aggregate::RatioToOverall => {
                let m = overall?;
                if m == 0.0 {
                    return Err(Undefined {
                        reason: "the overall value is 0",
                    });
                }
                defined
                    .iter()
                    .map(|v| {
                        let r = v / m;
                        if r <= 1.0 {
                            r
                        } else {
                            1.0 / r
                        }
                    })
                    .fold(f64::INFINITY, f64::min)
            }
        };
        Ok(Aggregated { value, skipped })
    }

    /// Combines the aggregates of several statistics of one notion (equalized odds: the TPR and
    /// the FPR) into one number: the worst of them, i.e. the largest difference or the smallest
    /// ratio (Fairlearn's `equalized_odds_difference` / `_ratio`).
    pub fn worst(self, parts: &[f64]) -> f64 {
        if self.larger_is_worse() {
            parts.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        } else {
            parts.iter().copied().fold(f64::INFINITY, f64::min)
        }
    }
}

impl std::fmt::Display for Aggregate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Aggregate::Min => "group_min",
            Aggregate::Max => "group_max",
            Aggregate::Difference => "difference",
            Aggregate::Ratio => "ratio",
            Aggregate::DifferenceToOverall => "difference_to_overall",
            Aggregate::RatioToOverall => "ratio_to_overall",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Undefined = Undefined { reason: "none" };

    #[test]
    fn every_aggregate_by_hand() {
        let values = [Ok(0.2), Err(NONE), Ok(0.8), Ok(0.5)];
        let at = |a: Aggregate| a.apply(Ok(0.4), &values).map(|r| r.value);
        assert_eq!(at(Aggregate::Min), Ok(0.2));
        assert_eq!(at(Aggregate::Max), Ok(0.8));
        assert!((at(Aggregate::Difference).unwrap() - 0.6).abs() < 1e-15);
        assert_eq!(at(Aggregate::Ratio), Ok(0.25));
        assert!((at(Aggregate::DifferenceToOverall).unwrap() - 0.4).abs() < 1e-15);
        assert_eq!(at(Aggregate::RatioToOverall), Ok(0.5));
        assert_eq!(
            Aggregate::Max.apply(Ok(0.4), &values).unwrap().skipped,
            vec![1]
        );
    }

    #[test]
    fn too_few_defined_groups_and_zero_denominators_are_undefined() {
        let one = [Ok(0.3), Err(NONE)];
        assert!(Aggregate::Difference.apply(Ok(0.3), &one).is_err());
        assert!(Aggregate::Max.apply(Ok(0.3), &one).is_ok());
        assert!(Aggregate::Ratio
            .apply(Ok(0.0), &[Ok(0.0), Ok(0.0)])
            .is_err());
        assert!(Aggregate::RatioToOverall
            .apply(Ok(0.0), &[Ok(0.1), Ok(0.0)])
            .is_err());
        assert!(Aggregate::DifferenceToOverall
            .apply(Err(NONE), &[Ok(0.1), Ok(0.2)])
            .is_err());
    }

    #[test]
    fn worst_part_is_the_largest_difference_or_smallest_ratio() {
        assert_eq!(Aggregate::Difference.worst(&[0.1, 0.3]), 0.3);
        assert_eq!(Aggregate::Ratio.worst(&[0.9, 0.7]), 0.7);
        assert_eq!(Aggregate::Ratio.parity(), Some(1.0));
        assert_eq!(Aggregate::Max.parity(), None);
    }
}
