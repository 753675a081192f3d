//! [`DecisionProfile`]: whether a classifier's decisions say anything about the people they
//! reach. A model that decides everyone alike (the constant rule), or everyone of one group
//! alike, meets most parity notions trivially; fits, selections and tables name it instead of
//! reporting the gap it reaches as a success.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::cells::GroupCells;
use super::statistic::Statistic;
use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

/// How decisions are spread over groups, and how their accuracy compares with the
/// majority-class rule (always deciding the more frequent label).
///
/// ```
/// use fairfit::data::fairness::{DecisionProfile, GroupCells};
/// use fairfit::data::Groups;
/// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 1, 1])?;
/// let cells = GroupCells::new(&groups, None)?;
/// let labels = [1.0, 0.0, 1.0, 1.0];
/// let everyone = DecisionProfile::new(&cells, |i| (labels[i], 1.0));
/// assert_eq!(everyone.constant(), Some(true));
/// assert!(everyone.is_degenerate());
/// assert_eq!(everyone.to_string(), "constant rule: decides 1 for everyone");
/// let informative = DecisionProfile::new(&cells, |i| (labels[i], [1.0, 0.0, 1.0, 0.0][i]));
/// assert_eq!(informative.constant_groups(), vec![("a", None), ("b", None)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionProfile {
    /// Group names, indexed like the rates.
    pub groups: Vec<String>,
    /// The weighted share of positive decisions in each group (`None` for a group without
    /// weight on these rows).
    pub positive_rate: Vec<Option<f64>>,
    /// The weighted share of positive decisions on all rows.
    pub overall_positive_rate: f64,
    /// The decisions' weighted accuracy.
    pub accuracy: f64,
    /// The accuracy of always deciding the more frequent label.
    pub majority_accuracy: f64,
}

impl DecisionProfile {
    /// The profile of decisions on weighted rows, where `row(i)` gives row `i`'s label and
    /// decision (in {0, 1}, or a probability of deciding 1 for a randomised rule, which is
    /// constant only where every probability is 0 or every one is 1).
    pub fn new(cells: &GroupCells<'_>, row: impl Fn(usize) -> (f64, f64)) -> Self {
        let positive = cells.means_from_sums(
            Statistic::positive_rate(),
            &cells.sums(|i| (1.0, row(i).1)).0,
            &cells.sums(|_| (1.0, 0.0)).1,
        );
        let (correct, total) = cells.sums(|i| {
            let (y, d) = row(i);
            (1.0, y * d + (1.0 - y) * (1.0 - d))
        });
        let (labels, _) = cells.sums(|i| (1.0, row(i).0));
        let weight: f64 = total.iter().sum();
        let base_rate = labels.iter().sum::<f64>() / weight;
        Self {
            groups: positive.groups,
            positive_rate: positive.values.iter().map(|v| v.ok()).collect(),
            overall_positive_rate: positive.overall.unwrap_or(f64::NAN),
            accuracy: correct.iter().sum::<f64>() / weight,
            majority_accuracy: base_rate.max(1.0 - base_rate),
        }
    }

    /// The profile of hard `decisions` (one per row of `data`) against `data`'s labels, groups
    /// and weights; an error when the lengths differ.
    ///
    /// ```
    /// use fairfit::data::fairness::DecisionProfile;
    /// use fairfit::data::synthetic::BiasedParams;
    /// let data = BiasedParams::new(200, 2).seed(7).generate()?.data;
    /// let nobody = DecisionProfile::of(&data, &vec![false; data.nrows()])?;
    /// assert_eq!(nobody.constant(), Some(false));
    /// assert!(DecisionProfile::of(&data, &[true]).is_err());
    /// # Ok::<(), fairfit::data::DataError>(())
    /// ```
    pub fn of(data: &FairDataset, decisions: &[bool]) -> Result<Self> {
        if decisions.len() != data.nrows() {
            return Err(DataError::LengthMismatch {
                what: "decisions".into(),
                expected: data.nrows(),
                found: decisions.len(),
            });
        }
        let labels = data.targets();
        Ok(Self::new(&GroupCells::of(data), |i| {
            (labels[i], f64::from(u8::from(decisions[i])))
        }))
    }

    /// `Some(decision)` when every row is decided alike (the constant rule), else `None`.
    pub fn constant(&self) -> Option<bool> {
        constant_decision(self.overall_positive_rate)
    }

    /// Per group, `Some(decision)` where every member is decided alike.
    pub fn constant_groups(&self) -> Vec<(&str, Option<bool>)> {
        self.groups
            .iter()
            .zip(&self.positive_rate)
            .map(|(g, r)| (g.as_str(), r.and_then(constant_decision)))
            .collect()
    }

    /// Whether the decisions are alike within some group but not for everyone (`a` all
    /// accepted, `b` mixed, say): parity can then only be met by the other groups' rates.
    pub fn constant_in_a_group(&self) -> bool {
        self.constant().is_none() && self.constant_groups().iter().any(|(_, c)| c.is_some())
    }

    /// Whether the decisions' accuracy is strictly above the majority-class rule's.
    pub fn beats_majority(&self) -> bool {
        self.accuracy > self.majority_accuracy
    }

    /// Whether the decisions are constant for everyone or for a group, or no more accurate
    /// than the majority-class rule: a model no user would call useful, whatever its gap.
    pub fn is_degenerate(&self) -> bool {
        !self.beats_majority() || self.constant_groups().iter().any(|(_, c)| c.is_some())
    }
}

/// The decision of a share of positive decisions that is exactly 0 or 1.
fn constant_decision(rate: f64) -> Option<bool> {
    if rate == 1.0 {
        Some(true)
    } else if rate == 0.0 {
        Some(false)
    } else {
        None
    }
}

fn decision(d: bool) -> u8 {
    u8::from(d)
}

impl fmt::Display for DecisionProfile {
    /// One line: `constant rule: ...`, `constant in group ...`, `no more accurate than ...`, or
    /// `informative`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(d) = self.constant() {
            return write!(f, "constant rule: decides {} for everyone", decision(d));
        }
        let constant: Vec<String> = self
            .constant_groups()
            .into_iter()
            .filter_map(|(g, c)| c.map(|d| format!("{g} (all {})", decision(d))))
            .collect();
        if !constant.is_empty() {
            return write!(f, "constant within group {}", constant.join(", "));
        }
        if !self.beats_majority() {
            return write!(
                f,
                "accuracy {:.4} does not beat the majority-class rule's {:.4}",
                self.accuracy, self.majority_accuracy
            );
        }
        write!(f, "informative")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::Groups;

    fn groups() -> Groups {
        Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 1, 1, 1]).unwrap()
    }

    #[test]
    fn a_group_decided_alike_is_named_and_the_rest_is_not() {
        let g = groups();
        let cells = GroupCells::new(&g, None).unwrap();
        let labels = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
        let decisions = [1.0, 0.0, 1.0, 0.0, 0.0, 0.0];
        let p = DecisionProfile::new(&cells, |i| (labels[i], decisions[i]));
        assert_eq!(p.constant(), None);
        assert_eq!(p.constant_groups(), vec![("a", None), ("b", Some(false))]);
        assert!(p.is_degenerate());
        assert_eq!(p.to_string(), "constant within group b (all 0)");
        assert!((p.accuracy - 5.0 / 6.0).abs() < 1e-15);
        assert!((p.majority_accuracy - 0.5).abs() < 1e-15);
    }

    #[test]
    fn weights_decide_accuracy_and_the_majority_rule() {
        let g = groups();
        let w = [1.0, 1.0, 1.0, 1.0, 1.0, 5.0];
        let cells = GroupCells::new(&g, Some(&w)).unwrap();
        let labels = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
        let decisions = [1.0, 0.0, 1.0, 0.0, 1.0, 1.0];
        let p = DecisionProfile::new(&cells, |i| (labels[i], decisions[i]));
        // Correct: rows 0 to 4 (weight 5 of 10); negatives weigh 7 of 10.
        assert!((p.accuracy - 0.5).abs() < 1e-15);
        assert!((p.majority_accuracy - 0.7).abs() < 1e-15);
        assert!(!p.beats_majority());
        assert_eq!(
            p.to_string(),
            "accuracy 0.5000 does not beat the majority-class rule's 0.7000"
        );
    }

    #[test]
    fn randomised_decisions_are_constant_only_at_zero_or_one() {
        let g = groups();
        let cells = GroupCells::new(&g, None).unwrap();
        let labels = [1.0, 1.0, 1.0, 0.0, 0.0, 1.0];
        let half = DecisionProfile::new(&cells, |i| (labels[i], 0.5));
        assert_eq!(half.constant(), None);
        assert_eq!(half.constant_groups(), vec![("a", None), ("b", None)]);
        let none = DecisionProfile::new(&cells, |i| (labels[i], 0.0));
        assert_eq!(none.constant(), Some(false));
        assert_eq!(none.to_string(), "constant rule: decides 0 for everyone");
    }
}
