//! [`GroupCells`]: the one engine that reads group statistics off per-row outcomes.
//!
//! Each row belongs to one group and carries a sample weight `w`. A statistic's value in group
//! `g` is `Σ_{i∈g} w_i m_i q_i / Σ_{i∈g} w_i m_i`, with `m_i` the row's membership in the
//! statistic's [`Condition`](super::Condition) and `q_i` its [`Quantity`](super::Quantity). A group whose cell has no weight is
//! [`Undefined`] with the condition's reason — the same value, the same words, in training,
//! evaluation, post-processing, monitoring and audits.

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};
use crate::groups::Groups;

use super::aggregate::{Aggregate, Aggregated};
use super::statistic::Statistic;
use super::undefined::{ratio, Undefined, Value};

/// The group × condition cells of a set of weighted rows.
///
/// ```
/// use fairfit::data::fairness::{Aggregate, GroupCells, Statistic};
/// use fairfit::data::Groups;
/// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 1, 1])?;
/// let labels = [1.0, 0.0, 1.0, 0.0, 0.0];
/// let decisions = [1.0, 1.0, 0.0, 1.0, 0.0];
/// let cells = GroupCells::new(&groups, None)?;
/// let tpr = cells.evaluate(Statistic::true_positive_rate(), |i| (labels[i], decisions[i]))?;
/// assert_eq!(tpr.values[0], Ok(0.5));
/// assert!(tpr.values[1].is_err()); // group b has no positives: undefined, not 0
/// let dp = cells.evaluate(Statistic::positive_rate(), |i| (labels[i], decisions[i]))?;
/// assert!((dp.aggregate(Aggregate::Difference)?.value - (2.0 / 3.0 - 0.5)).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct GroupCells<'a> {
    groups: &'a Groups,
    weights: Option<&'a [f64]>,
}

/// A statistic's value in every group and overall, with each cell's weight.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMeans {
    /// The statistic.
    pub statistic: Statistic,
    /// Group names, indexed like the values.
    pub groups: Vec<String>,
    /// The value in each group (undefined where the group's cell has no weight).
    pub values: Vec<Value>,
    /// The value on all rows.
    pub overall: Value,
    /// The total weight of each group's cell (its row count without weights and on hard
    /// decisions).
    pub weights: Vec<f64>,
}

impl<'a> GroupCells<'a> {
    /// The cells of `groups` with optional row weights (unit weights when `None`).
    ///
    /// Errors: weights of another length than the groups' rows, or weights that are negative
    /// or not finite (with the row).
    pub fn new(groups: &'a Groups, weights: Option<&'a [f64]>) -> Result<Self> {
        if let Some(w) = weights {
            if w.len() != groups.len() {
                return Err(DataError::LengthMismatch {
                    what: "weights".into(),
                    expected: groups.len(),
                    found: w.len(),
                });
            }
            if let Some(row) = w.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
                return Err(DataError::InvalidParameter {
                    name: "weights",
                    reason: format!(
                        "row {row} has weight {}: weights must be finite and non-negative",
                        w[row]
                    ),
                });
            }
        }
        Ok(Self { groups, weights })
    }

    /// The cells of a data set: its active groups and its sample weights (checked when the
    /// data set was built).
    pub fn of(data: &'a FairDataset) -> Self {
        Self {
            groups: data.groups(),
            weights: data.weights().map(|w| {
                w.to_slice()
                    .expect("a data set's own weights are one contiguous array")
            }),
        }
    }

    /// The partition.
    pub fn groups(&self) -> &'a Groups {
        self.groups
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The weight of row `i`.
    #[inline]
    pub fn weight(&self, i: usize) -> f64 {
        self.weights.map_or(1.0, |w| w[i])
    }

    /// Per group, `(Σ w m q, Σ w m)` over the rows, where `row(i)` gives row `i`'s membership
    /// `m` and quantity `q`: the sums every statistic is a ratio of.
    pub fn sums(&self, mut row: impl FnMut(usize) -> (f64, f64)) -> (Vec<f64>, Vec<f64>) {
        let n_groups = self.groups.n_groups();
        let mut num = vec![0.0; n_groups];
        let mut den = vec![0.0; n_groups];
        for (i, &g) in self.groups.of_row().iter().enumerate() {
            let (m, q) = row(i);
            if m != 0.0 {
                let wm = self.weight(i) * m;
                num[g] += wm * q;
                den[g] += wm;
            }
        }
        (num, den)
    }

    /// The weighted means of a statistic from per-group sums: undefined where a cell has no
    /// weight, with the reason of the statistic's condition.
    pub fn means_from_sums(&self, statistic: Statistic, num: &[f64], den: &[f64]) -> GroupMeans {
        GroupMeans::from_sums(statistic, self.groups.names(), num, den)
    }

    /// Evaluates `statistic` per group, where `row(i)` gives row `i`'s label and prediction (a
    /// decision in {0, 1}, a probability of deciding 1, or a regression value).
    ///
    /// Errors: the statistic's quantity needs the model's score ([`Quantity::needs_score`]);
    /// such statistics are evaluated by the training crate, which has the scores, through
    /// [`GroupCells::sums`].
    ///
    /// [`Quantity::needs_score`]: super::Quantity::needs_score
    pub fn evaluate(
        &self,
        statistic: Statistic,
        row: impl Fn(usize) -> (f64, f64),
    ) -> Result<GroupMeans> {
        if statistic.quantity.needs_score() {
            return Err(DataError::InvalidParameter {
                name: "statistic",
                reason: format!(
                    "the {} needs the model's scores, not only its decisions",
                    statistic.name()
                ),
            });
        }
        let (num, den) = self.sums(|i| {
            let (label, prediction) = row(i);
            statistic
                .row(label, prediction)
                .expect("quantities that need scores were refused above")
        });
        Ok(self.means_from_sums(statistic, &num, &den))
    }
}

impl GroupMeans {
    /// The means of `statistic` from per-group sums `num = Σ w m q` and `den = Σ w m` (groups
    /// named by `groups`): undefined where a cell has no weight, with the reason of the
    /// statistic's condition. Every reading of group values from sums goes through here.
    pub fn from_sums(statistic: Statistic, groups: &[String], num: &[f64], den: &[f64]) -> Self {
        let reason = statistic.condition.lacks();
        Self {
            statistic,
            groups: groups.to_vec(),
            values: num
                .iter()
                .zip(den)
                .map(|(n, d)| ratio(*n, *d, reason))
                .collect(),
            overall: ratio(num.iter().sum(), den.iter().sum(), reason),
            weights: den.to_vec(),
        }
    }

    /// Each group's share of the total cell weight (what a smooth aggregate weighs groups by).
    pub fn shares(&self) -> Vec<f64> {
        let total: f64 = self.weights.iter().sum();
        self.weights.iter().map(|w| w / total).collect()
    }

    /// The group values summarised by `aggregate`, skipping (and listing) undefined groups.
    pub fn aggregate(&self, aggregate: Aggregate) -> std::result::Result<Aggregated, Undefined> {
        aggregate.apply(self.overall, &self.values)
    }

    /// The group values as numbers, or the first undefined group's name and reason.
    pub fn defined(&self) -> std::result::Result<Vec<f64>, (String, Undefined)> {
        self.values
            .iter()
            .zip(&self.groups)
            .map(|(v, g)| v.map_err(|u| (g.clone(), u)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups() -> Groups {
        Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 1, 1, 1]).unwrap()
    }

    #[test]
    fn weighted_rates_by_hand() {
        let g = groups();
        let w = [1.0, 2.0, 1.0, 1.0, 3.0, 0.0];
        let labels = [1.0, 1.0, 0.0, 1.0, 0.0, 1.0];
        let decided = [1.0, 0.0, 1.0, 1.0, 1.0, 0.0];
        let cells = GroupCells::new(&g, Some(&w)).unwrap();
        let at = |s: Statistic| cells.evaluate(s, |i| (labels[i], decided[i])).unwrap();
        let dp = at(Statistic::positive_rate());
        assert_eq!(dp.values, vec![Ok(0.5), Ok(1.0)]);
        assert_eq!(dp.overall, Ok(6.0 / 8.0));
        assert_eq!(dp.weights, vec![4.0, 4.0]);
        let tpr = at(Statistic::true_positive_rate());
        assert_eq!(tpr.values, vec![Ok(1.0 / 3.0), Ok(1.0)]);
        let fpr = at(Statistic::false_positive_rate());
        assert_eq!(fpr.values, vec![Ok(1.0), Ok(1.0)]);
        let err = at(Statistic::error_rate());
        assert_eq!(err.values, vec![Ok(3.0 / 4.0), Ok(3.0 / 4.0)]);
        let ppv = at(Statistic::positive_predictive_value());
        assert_eq!(ppv.values, vec![Ok(0.5), Ok(0.25)]);
        let fomr = at(Statistic::false_omission_rate());
        assert_eq!(fomr.values[0], Ok(1.0));
        // Group b's only row decided 0 has weight 0: undefined, with the condition's reason.
        assert_eq!(
            fomr.values[1],
            Err(Undefined {
                reason: "no rows with prediction 0"
            })
        );
    }

    #[test]
    fn probabilities_weight_prediction_conditions() {
        let g = groups();
        let labels = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0];
        let p = [0.5, 0.5, 1.0, 0.2, 0.4, 0.4];
        let cells = GroupCells::new(&g, None).unwrap();
        let ppv = cells
            .evaluate(Statistic::positive_predictive_value(), |i| {
                (labels[i], p[i])
            })
            .unwrap();
        assert_eq!(ppv.values[0], Ok(1.5 / 2.0));
        assert_eq!(ppv.values[1], Ok(0.2 / 1.0));
    }

    #[test]
    fn bad_weights_and_score_statistics_are_refused() {
        let g = groups();
        assert!(GroupCells::new(&g, Some(&[1.0; 5])).is_err());
        let err = GroupCells::new(&g, Some(&[1.0, 1.0, f64::NAN, 1.0, 1.0, 1.0])).unwrap_err();
        assert!(err.to_string().contains("row 2"), "{err}");
        assert!(GroupCells::new(&g, Some(&[1.0, -1.0, 1.0, 1.0, 1.0, 1.0])).is_err());
        let cells = GroupCells::new(&g, None).unwrap();
        assert!(cells
            .evaluate(Statistic::mean_loss(), |_| (0.0, 0.0))
            .is_err());
    }
}
