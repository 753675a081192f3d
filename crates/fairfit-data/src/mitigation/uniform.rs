//! Uniform sampling (Kamiran & Calders 2012): resample every group x label cell to the size it
//! would have if group and label were independent.
//!
//! Cell (s, y) is brought to `round(n_s * n_y / n)` rows (on data other than the training set:
//! `round(n * P(s) * P(y))` with the training set's probabilities). A cell with too many rows
//! loses randomly chosen rows; a cell with too few keeps all and duplicates randomly chosen
//! rows, cycling through a random order so that no row is copied twice before every row is
//! copied once. Afterwards every group's positive rate equals the overall one up to rounding.
//!
//! F. Kamiran and T. Calders, "Data preprocessing techniques for classification without
//! discrimination", Knowledge and Information Systems 33(1), 2012.

use linfa::ParamGuard;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

use super::cells::{resize_cell, CellTargets};
use super::Preprocessor;

/// Checked parameters of uniform sampling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniformSamplingValidParams {
    seed: u64,
}

impl UniformSamplingValidParams {
    /// The random seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

/// Parameters of uniform sampling (builder): [`Fit`](linfa::traits::Fit) them to get a [`UniformSampling`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniformSamplingParams(UniformSamplingValidParams);

impl Default for UniformSamplingParams {
    fn default() -> Self {
        Self(UniformSamplingValidParams { seed: 0 })
    }
}

impl UniformSamplingParams {
    /// Sets the random seed (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }
}

impl ParamGuard for UniformSamplingParams {
    type Checked = UniformSamplingValidParams;
    type Error = DataError;

    fn check_ref(&self) -> Result<&Self::Checked> {
        Ok(&self.0)
    }

    fn check(self) -> Result<Self::Checked> {
        Ok(self.0)
    }
}

/// Fitted uniform sampling: the training set's group and label frequencies.
///
/// ```
/// use fairfit::data::mitigation::UniformSampling;
/// use linfa::traits::{Fit, Transformer};
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use ndarray::{array, Array2};
/// // M: 3 of 4 positive; F: 1 of 4 positive; overall 4 of 8.
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "M", "M", "F", "F", "F", "F"], None)?;
/// let y = array![1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0];
/// let train = FairDataset::new(Array2::zeros((8, 1)), y, vec![sex])?;
/// let resampled = UniformSampling::params().seed(7).fit(&train.as_linfa())?.transform(&train)?;
/// // Every cell now holds round(4 * 4 / 8) = 2 rows.
/// assert_eq!(resampled.nrows(), 8);
/// assert_eq!(resampled.targets().sum(), 4.0);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniformSampling {
    cells: CellTargets,
    seed: u64,
}

impl UniformSampling {
    /// The parameters, with seed 0.
    pub fn params() -> UniformSamplingParams {
        UniformSamplingParams::default()
    }
}

const METHOD: &str = "uniform sampling";

impl UniformSamplingValidParams {
    /// Learns the group and label counts; fails on sample weights or a single class.
    pub(super) fn learn(&self, train: &FairDataset) -> Result<UniformSampling> {
        Ok(UniformSampling {
            cells: CellTargets::fit(train, METHOD)?,
            seed: self.seed,
        })
    }
}

impl UniformSampling {
    /// Resamples `data`'s cells to their independent sizes (rows in ascending original order,
    /// duplicates next to their original); fails when a cell must grow but is empty.
    pub(super) fn apply(&self, data: &FairDataset) -> Result<FairDataset> {
        let (cells, targets) = self.cells.targets(data, METHOD)?;
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut rows = Vec::new();
        for (g, target) in targets.iter().enumerate() {
            for (y, &t) in target.iter().enumerate() {
                let mut order = cells.rows[g][y].clone();
                order.shuffle(&mut rng);
                rows.extend(resize_cell(&order, t));
            }
        }
        rows.sort_unstable();
        data.select(&rows)
    }
}

linfa_traits!(UniformSamplingValidParams => UniformSampling);

impl Preprocessor for UniformSamplingParams {
    fn name(&self) -> String {
        format!("uniform-sampling(seed={})", self.0.seed)
    }

    fn fit_transform(&self, train: &FairDataset) -> Result<FairDataset> {
        self.check_ref()?.learn(train)?.apply(train)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{biased, cell_counts, occurrences};
    use super::*;
    use crate::mitigation::cells::round_ratio;
    use linfa::traits::{Fit, Transformer};

    #[test]
    fn cells_reach_the_independent_sizes() {
        let data = biased(&[230, 170, 90], 5);
        let before = cell_counts(&data);
        let n = data.nrows();
        let n_y = [0, 1].map(|y| before.iter().map(|c| c[y]).sum::<usize>());
        let out = UniformSampling::params()
            .seed(3)
            .fit_transform(&data)
            .unwrap();
        let after = cell_counts(&out);
        for (g, cell) in before.iter().enumerate() {
            let n_s = cell[0] + cell[1];
            for y in 0..2 {
                let expected = ((n_s * n_y[y]) as f64 / n as f64).round() as usize;
                assert_eq!(after[g][y], expected, "group {g}, label {y}");
                assert_eq!(after[g][y], round_ratio(n_s, n_y[y], n));
            }
            // Positive rate now equals the overall rate up to rounding.
            let rate = after[g][1] as f64 / (after[g][0] + after[g][1]) as f64;
            let overall = n_y[1] as f64 / n as f64;
            assert!((rate - overall).abs() <= 1.0 / (after[g][0] + after[g][1]) as f64);
        }
        // Some cells grow and some shrink on this biased data.
        assert!(after.iter().zip(&before).any(|(a, b)| a[1] > b[1]));
        assert!(after.iter().zip(&before).any(|(a, b)| a[1] < b[1]));
    }

    #[test]
    fn duplicates_are_spread_evenly_and_seeded() {
        let data = biased(&[150, 150], 9);
        let out = UniformSampling::params()
            .seed(1)
            .fit_transform(&data)
            .unwrap();
        let seen = occurrences(&data, &out);
        let (cells, targets) = UniformSampling::params()
            .fit(&data.as_linfa())
            .unwrap()
            .cells
            .targets(&data, METHOD)
            .unwrap();
        for (cell, target) in cells.rows.iter().zip(&targets) {
            for (rows, &t) in cell.iter().zip(target) {
                let m = rows.len();
                let counts: Vec<usize> = rows.iter().map(|&i| seen[i]).collect();
                assert_eq!(counts.iter().sum::<usize>(), t);
                // Copies differ by at most one within a cell: floor(t/m) or ceil(t/m).
                assert!(
                    counts.iter().all(|&c| c == t / m || c == t.div_ceil(m)),
                    "{counts:?}"
                );
            }
        }
        assert_eq!(
            out,
            UniformSampling::params()
                .seed(1)
                .fit_transform(&data)
                .unwrap()
        );
        assert_ne!(
            out,
            UniformSampling::params()
                .seed(2)
                .fit_transform(&data)
                .unwrap()
        );
    }

    #[test]
    fn rejects_weights_single_class_and_empty_needed_cells() {
        let data = biased(&[40, 40], 2);
        let weighted = data
            .clone()
            .with_weights(ndarray::Array1::ones(80))
            .unwrap();
        assert!(matches!(
            UniformSampling::params().fit(&weighted.as_linfa()),
            Err(DataError::InvalidParameter {
                name: "weights",
                ..
            })
        ));
        let ones = data
            .clone()
            .with_targets(ndarray::Array1::ones(80))
            .unwrap();
        assert!(matches!(
            UniformSampling::params().fit(&ones.as_linfa()),
            Err(DataError::SingleClass { .. })
        ));
        // Fit on balanced data, then transform data whose group g1 has no positives.
        let fitted = UniformSampling::params().fit(&data.as_linfa()).unwrap();
        let t =
            ndarray::Array1::from_iter((0..80).map(|i| f64::from(u8::from(i < 40 && i % 2 == 0))));
        let skewed = data.with_targets(t).unwrap();
        let err = fitted.transform(&skewed).unwrap_err();
        assert!(
            matches!(&err, DataError::EmptyGroup { group, .. } if group == "g1"),
            "{err}"
        );
    }
}
