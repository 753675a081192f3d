//! Shared bookkeeping of the methods: group x label cells, parameter checks, group matching.

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

/// The rows of a data set split by active group and binary label: `rows[g][y]`.
#[derive(Debug, Clone)]
pub(crate) struct Cells {
    /// Group names, as in the data's active groups.
    pub names: Vec<String>,
    /// `rows[g][y]`: the row indices of group `g` with label `y` (0 or 1), ascending.
    pub rows: Vec<[Vec<usize>; 2]>,
    /// The label of every row.
    pub labels: Vec<bool>,
}

impl Cells {
    /// Splits the rows; fails unless every target is 0 or 1.
    pub fn new(data: &FairDataset) -> Result<Self> {
        let labels = data.labels()?;
        let groups = data.groups();
        let mut rows = vec![[Vec::new(), Vec::new()]; groups.n_groups()];
        for (row, (&g, &y)) in groups.of_row().iter().zip(&labels).enumerate() {
            rows[g][usize::from(y)].push(row);
        }
        Ok(Self {
            names: groups.names().to_vec(),
            rows,
            labels,
        })
    }

    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.rows.len()
    }

    /// Number of rows in cell (g, y).
    pub fn count(&self, g: usize, y: usize) -> usize {
        self.rows[g][y].len()
    }

    /// Number of rows in group g.
    pub fn group_count(&self, g: usize) -> usize {
        self.count(g, 0) + self.count(g, 1)
    }

    /// Number of rows with label y.
    pub fn label_count(&self, y: usize) -> usize {
        (0..self.n_groups()).map(|g| self.count(g, y)).sum()
    }

    /// Total number of rows.
    pub fn total(&self) -> usize {
        self.labels.len()
    }
}

/// The cell sizes of Kamiran & Calders' independent distribution, learned on a training set:
/// cell (s, y) of a data set with n rows should hold `round(n * P(s) * P(y))` rows, which on the
/// training set itself is `round(n_s * n_y / n)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CellTargets {
    pub groups: Vec<String>,
    group_counts: Vec<usize>,
    label_counts: [usize; 2],
    total: usize,
}

impl CellTargets {
    /// Learns P(s) and P(y) as counts; fails on weights or a single class.
    pub fn fit(train: &FairDataset, method: &str) -> Result<Self> {
        require_unweighted(train, method)?;
        let cells = Cells::new(train)?;
        require_both_classes(&cells, "the training labels")?;
        Ok(Self {
            group_counts: (0..cells.n_groups())
                .map(|g| cells.group_count(g))
                .collect(),
            label_counts: [cells.label_count(0), cells.label_count(1)],
            total: cells.total(),
            groups: cells.names,
        })
    }

    /// The target size of every cell of `data`, `targets[g][y]` indexed by `data`'s groups,
    /// with the cells themselves; fails when a cell must grow but has no row to copy.
    pub fn targets(&self, data: &FairDataset, method: &str) -> Result<(Cells, Vec<[usize; 2]>)> {
        require_unweighted(data, method)?;
        let cells = Cells::new(data)?;
        let to_fitted = match_groups(&self.groups, data)?;
        let n = cells.total();
        let mut targets = Vec::with_capacity(cells.n_groups());
        for (g, &f) in to_fitted.iter().enumerate() {
            let target = [0, 1].map(|y| {
                round_ratio(
                    n * self.group_counts[f],
                    self.label_counts[y],
                    self.total * self.total,
                )
            });
            for (y, &t) in target.iter().enumerate() {
                if t > 0 && cells.count(g, y) == 0 {
                    return Err(empty_cell(&cells.names[g], y));
                }
            }
            targets.push(target);
        }
        Ok((cells, targets))
    }
}

/// The error for an empty group x label cell.
pub(crate) fn empty_cell(group: &str, y: usize) -> DataError {
    DataError::EmptyGroup {
        group: group.to_string(),
        what: format!("rows with label {y}"),
    }
}

/// Fails unless both labels occur.
pub(crate) fn require_both_classes(cells: &Cells, what: &str) -> Result<()> {
    for y in 0..2 {
        if cells.label_count(y) == 0 {
            return Err(DataError::SingleClass {
                what: what.to_string(),
                class: (1 - y) as f64,
            });
        }
    }
    Ok(())
}

/// Sampling methods balance row counts; sample weights would make those counts meaningless.
pub(crate) fn require_unweighted(data: &FairDataset, method: &str) -> Result<()> {
    if data.weights().is_some() {
        return Err(DataError::InvalidParameter {
            name: "weights",
            reason: format!(
                "{method} balances row counts and cannot honour sample weights; \
                 drop them with `without_weights()` or use reweighing instead"
            ),
        });
    }
    Ok(())
}

/// Checks that a parameter lies in [0, 1] (NaN does not).
pub(crate) fn check_unit_interval(name: &'static str, value: f64) -> Result<()> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(DataError::InvalidParameter {
            name,
            reason: format!("must lie in [0, 1], got {value}"),
        })
    }
}

/// The indices of the named feature columns (all columns when `names` is `None`).
pub(crate) fn feature_columns(names: Option<&[String]>, data: &FairDataset) -> Result<Vec<usize>> {
    match names {
        None => Ok((0..data.nfeatures()).collect()),
        Some(names) => names
            .iter()
            .map(|name| {
                data.feature_names()
                    .iter()
                    .position(|f| f == name)
                    .ok_or_else(|| DataError::UnknownColumn {
                        name: name.clone(),
                        context: "feature names".into(),
                    })
            })
            .collect(),
    }
}

/// The rows of every active group; fails naming a group without members.
pub(crate) fn nonempty_members(data: &FairDataset) -> Result<Vec<Vec<usize>>> {
    let members = data.groups().members();
    if let Some(g) = members.iter().position(Vec::is_empty) {
        return Err(DataError::EmptyGroup {
            group: data.groups().names()[g].clone(),
            what: "members".into(),
        });
    }
    Ok(members)
}

/// For every active group of `data`, its index among the groups a transformer was fitted on
/// (matched by name, so order and subsets may differ).
pub(crate) fn match_groups(fitted: &[String], data: &FairDataset) -> Result<Vec<usize>> {
    data.groups()
        .names()
        .iter()
        .map(|name| {
            fitted
                .iter()
                .position(|f| f == name)
                .ok_or_else(|| DataError::UnknownGroup {
                    name: name.clone(),
                    known: fitted.to_vec(),
                })
        })
        .collect()
}

/// Checks that `data` has the number of features a transformer was fitted on.
pub(crate) fn check_features(expected: usize, data: &FairDataset) -> Result<()> {
    if data.nfeatures() == expected {
        Ok(())
    } else {
        Err(DataError::LengthMismatch {
            what: "feature columns".into(),
            expected,
            found: data.nfeatures(),
        })
    }
}

/// `round(a * b / c)` in exact integer arithmetic, halves rounded up.
pub(crate) fn round_ratio(a: usize, b: usize, c: usize) -> usize {
    let (a, b, c) = (a as u128, b as u128, c as u128);
    ((2 * a * b + c) / (2 * c)) as usize
}

/// The rows that bring a cell to `target` rows when `order` lists its rows by priority:
/// too many rows drops the first `len - target` of `order`; too few keeps all and repeats
/// rows from the start of `order`, cycling, so duplicate counts differ by at most one.
pub(crate) fn resize_cell(order: &[usize], target: usize) -> Vec<usize> {
    let m = order.len();
    if target <= m {
        order[m - target..].to_vec()
    } else {
        let mut keep = order.to_vec();
        keep.extend((0..target - m).map(|i| order[i % m]));
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_ratio_rounds_halves_up() {
        assert_eq!(round_ratio(3, 5, 10), 2); // 1.5
        assert_eq!(round_ratio(7, 3, 10), 2); // 2.1
        assert_eq!(round_ratio(7, 9, 10), 6); // 6.3
        assert_eq!(round_ratio(5, 5, 10), 3); // 2.5
    }

    #[test]
    fn resize_cell_drops_from_the_front_and_cycles_duplicates() {
        assert_eq!(resize_cell(&[4, 2, 9], 1), vec![9]);
        assert_eq!(resize_cell(&[4, 2, 9], 3), vec![4, 2, 9]);
        assert_eq!(resize_cell(&[4, 2, 9], 8), vec![4, 2, 9, 4, 2, 9, 4, 2]);
    }
}
