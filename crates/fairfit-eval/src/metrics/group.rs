//! [`ByGroup`]: one metric evaluated overall and on every group of a partition.

use std::ops::Range;

use fairfit_data::Groups;

use crate::error::{EvalError, Result};
use crate::metrics::disparity::{aggregate, Aggregate, Disparity};
use crate::metrics::{Metric, Outcomes, Value};

/// One metric's value overall and in every group (like a column of Fairlearn's `MetricFrame`).
///
/// A group's value may be [`crate::metrics::Undefined`] (e.g. its TPR when it has no positive
/// labels); it is then kept as undefined, never replaced by 0, and disparities skip it and say so.
///
/// ```
/// use fairfit::data::Groups;
/// use fairfit::eval::metrics::{by_group, Aggregate, Measure, Outcomes};
/// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 1, 1])?;
/// let out = Outcomes::classification(
///     &[true, false, true, false, false],
///     &[true, true, false, true, false],
/// )?;
/// let tpr = by_group(&Measure::Tpr, &out, &groups)?;
/// assert_eq!(tpr.overall(), Ok(0.5));
/// assert_eq!(tpr.get("a"), Some(Ok(0.5)));
/// assert!(tpr.get("b").unwrap().is_err()); // group b has no positives: undefined, not 0
/// let sr = by_group(&Measure::SelectionRate, &out, &groups)?;
/// assert_eq!(sr.disparity(Aggregate::Difference)?.value, 2.0 / 3.0 - 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ByGroup {
    metric: String,
    names: Vec<String>,
    overall: Value,
    values: Vec<Value>,
}

/// Evaluates `metric` on all rows and on each group's rows (weighted).
///
/// Errors: `groups` has another number of rows than `outcomes`, a group has no rows, an input the
/// metric needs is missing or out of its domain.
pub fn by_group(metric: &dyn Metric, outcomes: &Outcomes, groups: &Groups) -> Result<ByGroup> {
    let grouped = Grouped::new(outcomes, groups)?;
    outcomes.check(metric)?;
    Ok(grouped.by_group(metric, grouped.outcomes.weights()))
}

impl ByGroup {
    /// Builds a column from values already computed (e.g. by a bootstrap replicate).
    pub(crate) fn from_parts(
        metric: String,
        names: Vec<String>,
        overall: Value,
        values: Vec<Value>,
    ) -> Self {
        Self {
            metric,
            names,
            overall,
            values,
        }
    }

    /// The metric's name.
    pub fn metric(&self) -> &str {
        &self.metric
    }

    /// The group names, in the partition's order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The value on all rows.
    pub fn overall(&self) -> Value {
        self.overall
    }

    /// The value of every group, in the partition's order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The value of the named group (`None` if no group has that name).
    pub fn get(&self, group: &str) -> Option<Value> {
        self.names
            .iter()
            .position(|n| n == group)
            .map(|g| self.values[g])
    }

    /// The value of the named group as a number: an error if the group is unknown or its
    /// value undefined.
    pub fn value(&self, group: &str) -> Result<f64> {
        let g =
            self.names
                .iter()
                .position(|n| n == group)
                .ok_or_else(|| EvalError::UnknownGroup {
                    name: group.to_string(),
                    known: self.names.clone(),
                })?;
        self.values[g].map_err(|u| EvalError::Undefined {
            metric: self.metric.clone(),
            group: Some(group.to_string()),
            reason: u.reason.to_string(),
        })
    }

    /// Summarises the groups into one number (group minimum or maximum, difference, ratio, ...),
    /// skipping undefined groups and listing them in the result; see [`Aggregate`].
    pub fn disparity(&self, kind: Aggregate) -> Result<Disparity> {
        match aggregate(kind, self.overall, &self.values) {
            Ok((value, skipped)) => Ok(Disparity {
                metric: self.metric.clone(),
                aggregate: kind,
                value,
                skipped: skipped
                    .into_iter()
                    .filter_map(|g| self.values[g].err().map(|u| (self.names[g].clone(), u)))
                    .collect(),
            }),
            Err(u) => {
                let undefined: Vec<&str> = self
                    .values
                    .iter()
                    .zip(&self.names)
                    .filter(|(v, _)| v.is_err())
                    .map(|(_, n)| n.as_str())
                    .collect();
                let reason = if undefined.is_empty() {
                    u.reason.to_string()
                } else {
                    format!("{} (undefined in groups {undefined:?})", u.reason)
                };
                Err(EvalError::Undefined {
                    metric: format!("{} of {}", kind, self.metric),
                    group: None,
                    reason,
                })
            }
        }
    }
}

/// Outcomes reordered so that every group's rows are contiguous: one evaluation per group is
/// then a slice, and a bootstrap replicate only changes the weights.
#[derive(Debug, Clone)]
pub(crate) struct Grouped {
    /// The rows, sorted by group (stable).
    pub(crate) outcomes: Outcomes,
    /// The rows of group `g`.
    pub(crate) ranges: Vec<Range<usize>>,
    /// The group names.
    pub(crate) names: Vec<String>,
}

/// The rows sorted by group (stable) and each group's positions in that order; an error names
/// a group without rows.
pub(crate) fn group_order(groups: &Groups) -> Result<(Vec<usize>, Vec<Range<usize>>)> {
    let members = groups.members();
    if let Some(g) = members.iter().position(Vec::is_empty) {
        return Err(EvalError::EmptyGroup {
            group: groups.names()[g].clone(),
        });
    }
    let mut ranges = Vec::with_capacity(members.len());
    let mut start = 0;
    for m in &members {
        ranges.push(start..start + m.len());
        start += m.len();
    }
    Ok((members.concat(), ranges))
}

impl Grouped {
    pub(crate) fn new(outcomes: &Outcomes, groups: &Groups) -> Result<Self> {
        if groups.len() != outcomes.len() {
            return Err(EvalError::LengthMismatch {
                what: "groups".into(),
                expected: outcomes.len(),
                found: groups.len(),
            });
        }
        let (order, ranges) = group_order(groups)?;
        Ok(Self {
            outcomes: outcomes.select(&order),
            ranges,
            names: groups.names().to_vec(),
        })
    }

    /// `metric` overall and per group under `weights` (one per reordered row).
    pub(crate) fn by_group(&self, metric: &dyn Metric, weights: &[f64]) -> ByGroup {
        let overall = metric.compute(&self.outcomes.view_with(0..weights.len(), weights));
        let values = self
            .ranges
            .iter()
            .map(|r| metric.compute(&self.outcomes.view_with(r.clone(), &weights[r.clone()])))
            .collect();
        ByGroup::from_parts(metric.name(), self.names.clone(), overall, values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{Measure, Undefined};

    fn two_groups() -> Groups {
        Groups::new(vec!["a".into(), "b".into()], vec![0, 1, 0, 1, 0, 1]).unwrap()
    }

    #[test]
    fn per_group_rates_match_hand_values() {
        // Group a = rows 0, 2, 4: y 1 0 1, ŷ 1 1 0 → SR 2/3, TPR 1/2, FPR 1/1.
        // Group b = rows 1, 3, 5: y 0 0 0, ŷ 0 1 0 → SR 1/3, TPR undefined, FPR 1/3.
        let y = [true, false, false, false, true, false];
        let p = [true, false, true, true, false, false];
        let out = Outcomes::classification(&y, &p).unwrap();
        let g = two_groups();
        let sr = by_group(&Measure::SelectionRate, &out, &g).unwrap();
        assert_eq!(sr.values(), &[Ok(2.0 / 3.0), Ok(1.0 / 3.0)]);
        assert_eq!(sr.overall(), Ok(0.5));
        let tpr = by_group(&Measure::Tpr, &out, &g).unwrap();
        assert_eq!(tpr.get("a"), Some(Ok(0.5)));
        assert!(matches!(tpr.get("b"), Some(Err(Undefined { .. }))));
        assert!(matches!(
            tpr.value("b"),
            Err(EvalError::Undefined { group: Some(ref b), .. }) if b == "b"
        ));
        let fpr = by_group(&Measure::Fpr, &out, &g).unwrap();
        assert_eq!(fpr.values(), &[Ok(1.0), Ok(1.0 / 3.0)]);
        assert_eq!(fpr.overall(), Ok(0.5));
    }

    #[test]
    fn rejects_mismatched_and_empty_groups() {
        let out = Outcomes::classification(&[true; 6], &[true; 6]).unwrap();
        let short = Groups::new(vec!["a".into()], vec![0, 0]).unwrap();
        assert!(matches!(
            by_group(&Measure::Accuracy, &out, &short),
            Err(EvalError::LengthMismatch { .. })
        ));
        // `select` keeps the name of a group that lost its rows.
        let emptied = two_groups().select(&[0, 2, 4, 0, 2, 4]);
        assert!(matches!(
            by_group(&Measure::Accuracy, &out, &emptied),
            Err(EvalError::EmptyGroup { ref group }) if group == "b"
        ));
    }
}
