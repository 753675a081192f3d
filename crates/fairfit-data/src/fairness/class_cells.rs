//! [`ClassCells`] and [`CellSums`]: the engine's group cells refined by label class, for
//! statistics whose per-row quantity is differentiated (training's one pass over the rows).
//!
//! A statistic whose condition reads only the label (all rows, `y = 1`, `y = 0`) selects whole
//! group × label-class cells, so its group sums `Σ w m q` are sums of cell sums and its cell
//! weights `Σ w m` sums of cell weights. One pass can therefore add each row's weighted
//! quantity, and the weighted derivative vector of that quantity, into the row's cell once
//! ([`CellSums`]); [`ClassCells::means`] then reads the group values, their weights and shares
//! from the sums, with a group whose cell has no weight [`Undefined`] in the same words as
//! [`GroupCells::evaluate`](super::GroupCells::evaluate). The sums are additive over rows, so
//! threads, chunks and partitions add theirs with [`CellSums::add`].

use crate::error::{DataError, Result};

use super::cells::GroupMeans;
use super::statistic::{Condition, Statistic};
use super::undefined::{ratio, Undefined};

/// The weight of every group × label-class cell of a set of rows: two classes (labels 0 and 1)
/// for binary labels, one for real-valued labels.
///
/// ```
/// use fairfit::data::fairness::{CellSums, ClassCells, Statistic};
/// // Groups a, b; binary labels: cells (a, 0), (a, 1), (b, 0), (b, 1) with these weights.
/// let cells = ClassCells::new(vec!["a".into(), "b".into()], true, vec![2.0, 2.0, 3.0, 0.0])?;
/// let mut sums = CellSums::zeros(cells.len(), 0);
/// for (cell, q) in [(0, 0.5), (0, 1.0), (1, 1.0), (1, 1.0), (2, 0.0), (2, 1.0), (2, 1.0)] {
///     sums.add_row(cell, q);
/// }
/// let rate = cells.means(Statistic::positive_rate(), &sums).expect("a label condition");
/// assert_eq!(rate.values, vec![Ok(3.5 / 4.0), Ok(2.0 / 3.0)]);
/// assert_eq!(rate.shares(), vec![4.0 / 7.0, 3.0 / 7.0]);
/// // Group b has no row with y = 1: its true-positive rate is undefined, not 0.
/// let tpr = cells.means(Statistic::true_positive_rate(), &sums).expect("a label condition");
/// assert!(tpr.values[1].is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ClassCells {
    groups: Vec<String>,
    classes: usize,
    weights: Vec<f64>,
}

impl ClassCells {
    /// The cells of `groups`, with binary labels (two classes) or real-valued ones (one), and
    /// the weight of each cell in the order of [`ClassCells::cell`].
    ///
    /// Errors: a weight vector of another length than groups × classes, or a weight that is
    /// negative or not finite.
    pub fn new(groups: Vec<String>, binary: bool, weights: Vec<f64>) -> Result<Self> {
        let classes = if binary { 2 } else { 1 };
        if weights.len() != groups.len() * classes {
            return Err(DataError::LengthMismatch {
                what: "cell weights".into(),
                expected: groups.len() * classes,
                found: weights.len(),
            });
        }
        if let Some(cell) = weights.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
            return Err(DataError::InvalidParameter {
                name: "weights",
                reason: format!(
                    "cell {cell} has weight {}: weights must be finite and non-negative",
                    weights[cell]
                ),
            });
        }
        Ok(Self {
            groups,
            classes,
            weights,
        })
    }

    /// The number of cells (groups × classes).
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The group names.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// The index of the cell of `group` and label `class` (0 for real-valued labels).
    #[inline]
    pub fn cell(&self, group: usize, class: usize) -> usize {
        group * self.classes + class
    }

    /// The weight of every cell.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The label classes a condition selects: both for all rows, 1 for `y = 1`, 0 for `y = 0`
    /// (the only class of real-valued labels for all rows). `None` for conditions on
    /// predictions, and for label conditions without binary labels.
    pub fn classes(&self, condition: Condition) -> Option<&'static [usize]> {
        match (self.classes, condition) {
            (2, Condition::All) => Some(&[0, 1]),
            (2, Condition::Positives) => Some(&[1]),
            (2, Condition::Negatives) => Some(&[0]),
            (1, Condition::All) => Some(&[0]),
            _ => None,
        }
    }

    /// The cells of `group` that `classes` select.
    pub fn cells_of<'c>(
        &'c self,
        group: usize,
        classes: &'c [usize],
    ) -> impl Iterator<Item = usize> + 'c {
        classes.iter().map(move |&class| self.cell(group, class))
    }

    /// The first group in which `statistic` is undefined whatever the rows' quantities (its
    /// cell has no weight), with the reason; `None` when it is defined in every group or its
    /// condition does not select label classes.
    pub fn undefined(&self, statistic: Statistic) -> Option<(&str, Undefined)> {
        let classes = self.classes(statistic.condition)?;
        let reason = statistic.condition.lacks();
        (0..self.groups.len()).find_map(|g| {
            let w: f64 = self.cells_of(g, classes).map(|c| self.weights[c]).sum();
            ratio(0.0, w, reason)
                .err()
                .map(|u| (self.groups[g].as_str(), u))
        })
    }

    /// The group values of `statistic` from per-cell sums of its quantity: each group's sum
    /// over the selected cells divided by their weight, undefined with the condition's reason
    /// where that weight is zero. `None` when the condition does not select label classes.
    pub fn means(&self, statistic: Statistic, sums: &CellSums) -> Option<GroupMeans> {
        let classes = self.classes(statistic.condition)?;
        let n = self.groups.len();
        let mut num = vec![0.0; n];
        let mut den = vec![0.0; n];
        for g in 0..n {
            for c in self.cells_of(g, classes) {
                num[g] += sums.value[c];
                den[g] += self.weights[c];
            }
        }
        Some(GroupMeans::from_sums(statistic, &self.groups, &num, &den))
    }
}

/// Per group × label-class cell, the sum of a weighted per-row quantity `Σ w q` and of its
/// weighted derivative vector `Σ w ∂q` (of `width` entries, e.g. with respect to a model's
/// parameters; `width` 0 keeps values only). Added to row by row; sums of disjoint rows add.
#[derive(Debug, Clone, PartialEq)]
pub struct CellSums {
    width: usize,
    value: Vec<f64>,
    derivative: Vec<f64>,
}

impl CellSums {
    /// Zero sums over `cells` cells with derivative vectors of `width` entries.
    pub fn zeros(cells: usize, width: usize) -> Self {
        Self {
            width,
            value: vec![0.0; cells],
            derivative: vec![0.0; cells * width],
        }
    }

    /// Adds one row's weighted quantity `w q` to `cell`.
    #[inline]
    pub fn add_row(&mut self, cell: usize, weighted: f64) {
        self.value[cell] += weighted;
    }

    /// The derivative sum of `cell`, to add a row's weighted derivative to.
    #[inline]
    pub fn derivative_mut(&mut self, cell: usize) -> &mut [f64] {
        &mut self.derivative[cell * self.width..(cell + 1) * self.width]
    }

    /// The derivative sum `Σ w ∂q` of `cell`.
    #[inline]
    pub fn derivative(&self, cell: usize) -> &[f64] {
        &self.derivative[cell * self.width..(cell + 1) * self.width]
    }

    /// The quantity sum `Σ w q` of `cell`.
    pub fn value(&self, cell: usize) -> f64 {
        self.value[cell]
    }

    /// Adds the sums of other rows (of the same cells and width).
    pub fn add(&mut self, other: &CellSums) {
        for (a, b) in self.value.iter_mut().zip(&other.value) {
            *a += b;
        }
        for (a, b) in self.derivative.iter_mut().zip(&other.derivative) {
            *a += b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::GroupCells;
    use crate::groups::Groups;

    #[test]
    fn cell_sums_give_the_engines_group_values() {
        // The same rows through GroupCells::evaluate and through cell sums.
        let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 1, 1, 1, 0]).unwrap();
        let labels = [1.0, 0.0, 1.0, 0.0, 1.0, 1.0];
        let p = [0.3, 0.8, 0.6, 0.1, 0.9, 0.5];
        let w = [1.0, 2.0, 0.5, 1.5, 1.0, 3.0];
        let engine = GroupCells::new(&groups, Some(&w)).unwrap();
        let mut weights = vec![0.0; 4];
        let mut sums = CellSums::zeros(4, 1);
        for i in 0..6 {
            let cell = groups.of_row()[i] * 2 + labels[i] as usize;
            weights[cell] += w[i];
            sums.add_row(cell, w[i] * p[i]);
            sums.derivative_mut(cell)[0] += w[i];
        }
        let cells = ClassCells::new(groups.names().to_vec(), true, weights).unwrap();
        for statistic in [
            Statistic::positive_rate(),
            Statistic::true_positive_rate(),
            Statistic::false_positive_rate(),
        ] {
            let direct = engine.evaluate(statistic, |i| (labels[i], p[i])).unwrap();
            let from_cells = cells.means(statistic, &sums).unwrap();
            assert_eq!(from_cells.weights, direct.weights);
            for (a, b) in from_cells.values.iter().zip(&direct.values) {
                assert!((a.unwrap() - b.unwrap()).abs() < 1e-15, "{statistic:?}");
            }
        }
        assert_eq!(sums.derivative(cells.cell(0, 1)), &[4.0]);
        let mut twice = sums.clone();
        twice.add(&sums);
        assert_eq!(twice.value(0), 2.0 * sums.value(0));
        assert!(cells
            .means(Statistic::positive_predictive_value(), &sums)
            .is_none());
        assert_eq!(cells.undefined(Statistic::true_positive_rate()), None);
    }

    #[test]
    fn empty_cells_are_undefined_and_bad_weights_refused() {
        let names = vec!["a".to_string(), "b".to_string()];
        let cells = ClassCells::new(names.clone(), true, vec![1.0, 0.0, 1.0, 2.0]).unwrap();
        let (group, undefined) = cells.undefined(Statistic::true_positive_rate()).unwrap();
        assert_eq!(group, "a");
        assert_eq!(undefined.reason, Condition::Positives.lacks());
        assert!(cells.undefined(Statistic::positive_rate()).is_none());
        let real = ClassCells::new(names.clone(), false, vec![1.0, 1.0]).unwrap();
        assert_eq!(real.classes(Condition::All), Some(&[0][..]));
        assert_eq!(real.classes(Condition::Positives), None);
        assert!(ClassCells::new(names.clone(), true, vec![1.0; 3]).is_err());
        assert!(ClassCells::new(names, false, vec![1.0, f64::NAN]).is_err());
    }
}
