//! Reweighing (Kamiran & Calders 2012): weights that make group and label independent.
//!
//! Each row of group `s` with label `y` gets the weight
//! `w(s, y) = P(s) P(y) / P(s, y)`,
//! the ratio of the cell's expected mass under independence to its observed mass. In the
//! weighted data `P(y | s) = P(y)` for every group, exactly. Probabilities are weighted by any
//! weights the data already has, and the new weight multiplies the old one.
//!
//! F. Kamiran and T. Calders, "Data preprocessing techniques for classification without
//! discrimination", Knowledge and Information Systems 33(1), 2012.

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

use super::cells::{empty_cell, match_groups, Cells};
use super::Preprocessor;

/// Reweighing's parameters (it has none): [`Fit`](linfa::traits::Fit) it to get a [`Reweighing`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReweighingParams;

/// Fitted reweighing: one weight per (group, label) cell.
///
/// ```
/// use fairfit::data::mitigation::Reweighing;
/// use linfa::traits::{Fit, Transformer};
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use ndarray::{array, Array2};
/// // Group M: 2 of 3 positive; group F: 1 of 3 positive.
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "M", "F", "F", "F"], None)?;
/// let y = array![1.0, 1.0, 0.0, 1.0, 0.0, 0.0];
/// let train = FairDataset::new(Array2::zeros((6, 1)), y, vec![sex])?;
/// let fitted = Reweighing::params().fit(&train.as_linfa())?;
/// // w(F, 1) = P(F) P(1) / P(F, 1) = (1/2)(1/2) / (1/6) = 1.5
/// assert!((fitted.weight("F", true)? - 1.5).abs() < 1e-12);
/// let weighted = fitted.transform(&train)?;
/// assert_eq!(weighted.weights().unwrap().to_vec(), vec![0.75, 0.75, 1.5, 1.5, 0.75, 0.75]);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Reweighing {
    groups: Vec<String>,
    /// `weights[g][y]`.
    weights: Vec<[f64; 2]>,
}

impl Reweighing {
    /// The parameters to fit reweighing with.
    pub fn params() -> ReweighingParams {
        ReweighingParams
    }

    /// The weight of rows in `group` with label `label` (true = 1).
    pub fn weight(&self, group: &str, label: bool) -> Result<f64> {
        let g = self
            .groups
            .iter()
            .position(|name| name == group)
            .ok_or_else(|| DataError::UnknownGroup {
                name: group.to_string(),
                known: self.groups.clone(),
            })?;
        Ok(self.weights[g][usize::from(label)])
    }
}

impl ReweighingParams {
    /// Computes the cell weights; fails when a group lacks rows (or weight) with either label,
    /// since no weight could then make its positive rate equal the overall one.
    pub(super) fn learn(&self, train: &FairDataset) -> Result<Reweighing> {
        let cells = Cells::new(train)?;
        let w = train.weights_or_ones();
        let mut mass = Vec::with_capacity(cells.n_groups());
        for (name, rows) in cells.names.iter().zip(&cells.rows) {
            let cell_mass = [0, 1].map(|y| rows[y].iter().map(|&i| w[i]).sum::<f64>());
            if let Some(y) = (0..2).find(|&y| cell_mass[y] <= 0.0) {
                return Err(empty_cell(name, y));
            }
            mass.push(cell_mass);
        }
        let total: f64 = mass.iter().map(|m| m[0] + m[1]).sum();
        let label_mass = [0, 1].map(|y| mass.iter().map(|m| m[y]).sum::<f64>());
        let weights = mass
            .iter()
            .map(|m| {
                let group_mass = m[0] + m[1];
                [0, 1].map(|y| group_mass * label_mass[y] / (total * m[y]))
            })
            .collect();
        Ok(Reweighing {
            groups: cells.names,
            weights,
        })
    }
}

impl Reweighing {
    /// Multiplies every row's weight (1 if none) by its cell's weight.
    pub(super) fn apply(&self, data: &FairDataset) -> Result<FairDataset> {
        let labels = data.labels()?;
        let to_fitted = match_groups(&self.groups, data)?;
        let mut w = data.weights_or_ones();
        for ((wi, &g), &y) in w.iter_mut().zip(data.groups().of_row()).zip(&labels) {
            *wi *= self.weights[to_fitted[g]][usize::from(y)];
        }
        data.clone().with_weights(w)
    }
}

linfa_traits!(ReweighingParams => Reweighing);

impl Preprocessor for ReweighingParams {
    fn name(&self) -> String {
        "reweighing".into()
    }

    fn fit_transform(&self, train: &FairDataset) -> Result<FairDataset> {
        self.learn(train)?.apply(train)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{biased, weighted_rates};
    use super::*;
    use linfa::traits::Fit;
    use ndarray::Array1;

    #[test]
    fn weighted_data_has_group_and_label_independent() {
        let data = biased(&[300, 200, 100], 7)
            .with_groups_from(&["group", "band"])
            .unwrap();
        assert_eq!(data.groups().n_groups(), 6);
        let before = weighted_rates(&data);
        let spread = |r: &[f64]| {
            r.iter().cloned().fold(f64::MIN, f64::max) - r.iter().cloned().fold(f64::MAX, f64::min)
        };
        assert!(
            spread(&before) > 0.2,
            "fixture should be biased: {before:?}"
        );
        let out = ReweighingParams.fit_transform(&data).unwrap();
        let overall = data.targets().mean().unwrap();
        for rate in weighted_rates(&out) {
            assert!((rate - overall).abs() < 1e-12, "{rate} vs {overall}");
        }
        // Total weight is preserved: sum over cells of P(s)P(y) n = n.
        let total = out.weights().unwrap().sum();
        assert!((total - data.nrows() as f64).abs() < 1e-9);
    }

    #[test]
    fn existing_weights_are_respected_and_multiplied() {
        let data = biased(&[120, 80], 3);
        let prior = Array1::from_iter((0..200).map(|i| 1.0 + (i % 3) as f64));
        let data = data.with_weights(prior.clone()).unwrap();
        let out = ReweighingParams.fit_transform(&data).unwrap();
        let w = out.weights().unwrap();
        let overall = (&prior * &data.targets()).sum() / prior.sum();
        for rate in weighted_rates(&out) {
            assert!((rate - overall).abs() < 1e-12);
        }
        // Every row's weight is its prior weight times its cell's factor.
        let fitted = ReweighingParams.fit(&data.as_linfa()).unwrap();
        let labels = data.labels().unwrap();
        for (i, &g) in data.groups().of_row().iter().enumerate() {
            let name = &data.groups().names()[g];
            let factor = fitted.weight(name, labels[i]).unwrap();
            assert!((w[i] - prior[i] * factor).abs() < 1e-12);
        }
    }

    #[test]
    fn empty_cell_names_the_group() {
        let sex = crate::SensitiveAttribute::from_values("sex", &["M", "M", "F"], None).unwrap();
        let data = FairDataset::new(
            ndarray::array![[0.0], [1.0], [2.0]],
            ndarray::array![1.0, 0.0, 1.0],
            vec![sex],
        )
        .unwrap();
        let err = ReweighingParams.fit(&data.as_linfa()).unwrap_err();
        assert!(
            matches!(&err, DataError::EmptyGroup { group, what } if group == "F" && what.contains("label 0")),
            "{err}"
        );
        let fitted = ReweighingParams
            .fit(&biased(&[50, 50], 1).as_linfa())
            .unwrap();
        assert!(matches!(
            fitted.weight("g7", true),
            Err(DataError::UnknownGroup { .. })
        ));
        let bad = data.with_targets(ndarray::array![1.0, 0.5, 1.0]).unwrap();
        assert!(matches!(
            ReweighingParams.fit(&bad.as_linfa()),
            Err(DataError::NotBinary { row: 1, .. })
        ));
    }
}
