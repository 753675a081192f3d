//! Fair oversampling, in the spirit of Fair-SMOTE (Chakraborty et al. 2021): grow every
//! group x label cell to the size of the largest one with synthetic rows interpolated inside
//! the cell, so that groups and labels are balanced without discarding data.
//!
//! For a cell that needs more rows, base rows are taken in a seeded random order (cycling, so
//! every row is used once before any is used twice); for each, one of its `k` nearest
//! neighbours in the same cell (Euclidean distance over all features, so standardise first) is
//! drawn at random (neighbours are computed once per base row), and with `u ~ U[0, 1)` the synthetic row is
//!
//! `x_new = x_base + u * (x_neighbour - x_base)`
//!
//! on the continuous columns, while every categorical block (a one-hot block, or a 0/1 column)
//! is copied whole from the nearer of the two (`u < 1/2`: the base). A synthetic row therefore
//! lies inside its cell's per-feature range, and a one-hot block stays a valid one-hot block
//! (exactly the pattern of a real row). The synthetic row takes the base row's label, sensitive
//! attributes and group.
//!
//! J. Chakraborty, S. Majumder and T. Menzies, "Bias in machine learning software: why? how?
//! what to do?", ESEC/FSE 2021; N. V. Chawla et al., "SMOTE: synthetic minority over-sampling
//! technique", JAIR 16, 2002.

use std::collections::HashMap;

use linfa::ParamGuard;
use ndarray::{s, Array2, Axis};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

use super::cells::{check_features, empty_cell, require_unweighted, Cells};
use super::Preprocessor;

/// Which feature columns are categorical: copied whole from one real row, never interpolated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CategoricalColumns {
    /// From the training set: columns named `name=value` that share `name` form a one-hot
    /// block, and any other column holding only 0 and 1 is a categorical column of its own.
    #[default]
    Infer,
    /// The given blocks of column indices (each copied whole); all other columns are continuous.
    Blocks(Vec<Vec<usize>>),
}

/// Checked parameters of fair oversampling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FairOversamplingValidParams {
    k: usize,
    seed: u64,
    categorical: CategoricalColumns,
}

impl FairOversamplingValidParams {
    /// Number of nearest neighbours to interpolate towards.
    pub fn k(&self) -> usize {
        self.k
    }

    /// The random seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How categorical columns are found.
    pub fn categorical(&self) -> &CategoricalColumns {
        &self.categorical
    }
}

/// Parameters of fair oversampling (builder): [`Fit`](linfa::traits::Fit) them to get a [`FairOversampling`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FairOversamplingParams(FairOversamplingValidParams);

impl Default for FairOversamplingParams {
    fn default() -> Self {
        Self(FairOversamplingValidParams {
            k: 5,
            seed: 0,
            categorical: CategoricalColumns::Infer,
        })
    }
}

impl FairOversamplingParams {
    /// Sets the number of nearest neighbours (default 5, at least 1).
    pub fn k(mut self, k: usize) -> Self {
        self.0.k = k;
        self
    }

    /// Sets the random seed (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }

    /// Sets how categorical columns are found (default [`CategoricalColumns::Infer`]).
    pub fn categorical(mut self, categorical: CategoricalColumns) -> Self {
        self.0.categorical = categorical;
        self
    }
}

impl ParamGuard for FairOversamplingParams {
    type Checked = FairOversamplingValidParams;
    type Error = DataError;

    /// Rejects `k = 0`, empty blocks and a column listed in two blocks.
    fn check_ref(&self) -> Result<&Self::Checked> {
        if self.0.k == 0 {
            return Err(DataError::InvalidParameter {
                name: "k",
                reason: "needs at least one neighbour".into(),
            });
        }
        if let CategoricalColumns::Blocks(blocks) = &self.0.categorical {
            let mut seen = Vec::new();
            for (b, block) in blocks.iter().enumerate() {
                if block.is_empty() {
                    return Err(DataError::InvalidParameter {
                        name: "categorical",
                        reason: format!("block {b} is empty"),
                    });
                }
                if let Some(col) = block.iter().find(|c| seen.contains(*c)) {
                    return Err(DataError::InvalidParameter {
                        name: "categorical",
                        reason: format!("column {col} is listed twice"),
                    });
                }
                seen.extend_from_slice(block);
            }
        }
        Ok(&self.0)
    }

    fn check(self) -> Result<Self::Checked> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// Fitted fair oversampling: the column layout (categorical blocks, continuous columns).
///
/// ```
/// use fairfit::data::mitigation::FairOversampling;
/// use linfa::traits::{Fit, Transformer};
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use ndarray::array;
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "M", "M", "M", "F", "F", "F"], None)?;
/// let x = array![
///     [0.1, 1.0, 0.0], [0.2, 0.0, 1.0], [0.3, 1.0, 0.0], [0.4, 0.0, 1.0], [0.5, 1.0, 0.0],
///     [0.6, 0.0, 1.0], [0.7, 1.0, 0.0], [0.8, 0.0, 1.0],
/// ];
/// let y = array![1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
/// let names = ["age", "job=a", "job=b"].map(String::from).to_vec();
/// let train = FairDataset::new(x, y, vec![sex])?.with_feature_names(names)?;
/// let fitted = FairOversampling::params().k(2).seed(1).fit(&train.as_linfa())?;
/// assert_eq!(fitted.categorical_blocks(), &[vec![1, 2]]);
/// let out = fitted.transform(&train)?;
/// // Every (group, label) cell now has 3 rows, the size of the largest (M, 1).
/// assert_eq!(out.nrows(), 12);
/// for row in out.records().rows() {
///     assert_eq!(row[1] + row[2], 1.0);
/// }
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FairOversampling {
    blocks: Vec<Vec<usize>>,
    continuous: Vec<usize>,
    nfeatures: usize,
    k: usize,
    seed: u64,
}

impl FairOversampling {
    /// The parameters: `k = 5`, seed 0, inferred categorical columns.
    pub fn params() -> FairOversamplingParams {
        FairOversamplingParams::default()
    }

    /// The categorical blocks (column indices), each copied whole from one real row.
    pub fn categorical_blocks(&self) -> &[Vec<usize>] {
        &self.blocks
    }

    /// The continuous columns, interpolated.
    pub fn continuous_columns(&self) -> &[usize] {
        &self.continuous
    }
}

const METHOD: &str = "fair oversampling";

/// One-hot blocks from `name=value` feature names, and 0/1 columns, in column order.
fn infer_blocks(data: &FairDataset) -> Vec<Vec<usize>> {
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    let mut by_prefix: HashMap<&str, usize> = HashMap::new();
    for (j, name) in data.feature_names().iter().enumerate() {
        if let Some((prefix, _)) = name.split_once('=') {
            match by_prefix.get(prefix) {
                Some(&b) => blocks[b].push(j),
                None => {
                    by_prefix.insert(prefix, blocks.len());
                    blocks.push(vec![j]);
                }
            }
        } else if data
            .records()
            .column(j)
            .iter()
            .all(|&v| v == 0.0 || v == 1.0)
        {
            blocks.push(vec![j]);
        }
    }
    blocks
}

impl FairOversamplingValidParams {
    /// Resolves the column layout on `train`; fails on a block column out of range.
    pub(super) fn learn(&self, train: &FairDataset) -> Result<FairOversampling> {
        require_unweighted(train, METHOD)?;
        train.labels()?;
        let d = train.nfeatures();
        let blocks = match &self.categorical {
            CategoricalColumns::Infer => infer_blocks(train),
            CategoricalColumns::Blocks(blocks) => {
                if let Some(&col) = blocks.iter().flatten().find(|&&c| c >= d) {
                    return Err(DataError::InvalidParameter {
                        name: "categorical",
                        reason: format!("column {col} is out of range for {d} features"),
                    });
                }
                blocks.clone()
            }
        };
        let continuous = (0..d)
            .filter(|j| !blocks.iter().flatten().any(|c| c == j))
            .collect();
        Ok(FairOversampling {
            blocks,
            continuous,
            nfeatures: d,
            k: self.k,
            seed: self.seed,
        })
    }
}

impl FairOversampling {
    /// For each query (an index into `rows`), the indices into `rows` of its `k` nearest
    /// other rows (itself, if it is alone), nearest first, ties by index. Squared distances
    /// come from the Gram matrix, in blocks of queries, so that this costs a few matrix
    /// products rather than a pass over the cell per query.
    fn nearest(&self, x: &Array2<f64>, rows: &[usize], queries: &[usize]) -> Vec<Vec<usize>> {
        let m = rows.len();
        if m == 1 {
            return vec![vec![0]; queries.len()];
        }
        let cell = x.select(Axis(0), rows);
        let norms: Vec<f64> = cell.rows().into_iter().map(|r| r.dot(&r)).collect();
        let k = self.k.min(m - 1);
        let by_distance =
            |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        let mut out = Vec::with_capacity(queries.len());
        for block in queries.chunks(256) {
            let gram = cell.select(Axis(0), block).dot(&cell.t());
            for (a, &i) in block.iter().enumerate() {
                let mut d: Vec<(f64, usize)> = (0..m)
                    .filter(|&j| j != i)
                    .map(|j| (norms[i] + norms[j] - 2.0 * gram[[a, j]], j))
                    .collect();
                if k < d.len() {
                    d.select_nth_unstable_by(k - 1, by_distance);
                    d.truncate(k);
                }
                d.sort_by(by_distance);
                out.push(d.into_iter().map(|(_, j)| j).collect());
            }
        }
        out
    }
}

impl FairOversampling {
    /// Appends synthetic rows until every cell of `data` has as many rows as its largest cell;
    /// fails when a group lacks rows with either label (there is nothing to interpolate).
    pub(super) fn apply(&self, data: &FairDataset) -> Result<FairDataset> {
        require_unweighted(data, METHOD)?;
        check_features(self.nfeatures, data)?;
        let cells = Cells::new(data)?;
        for (g, cell) in cells.rows.iter().enumerate() {
            if let Some(y) = (0..2).find(|&y| cell[y].is_empty()) {
                return Err(empty_cell(&cells.names[g], y));
            }
        }
        let target = cells.rows.iter().flatten().map(Vec::len).max().unwrap_or(0);
        let x = data.records().to_owned();
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut bases = Vec::new();
        let mut synthetic = Vec::new();
        for rows in cells.rows.iter().flatten() {
            let m = rows.len();
            let mut order: Vec<usize> = (0..m).collect();
            order.shuffle(&mut rng);
            let need = target - m;
            let near = self.nearest(&x, rows, &order[..need.min(m)]);
            for t in 0..need {
                let (i, near) = (order[t % m], &near[t % m]);
                let j = near[rng.gen_range(0..near.len())];
                let u: f64 = rng.gen();
                let (base, other) = (x.row(rows[i]), x.row(rows[j]));
                let mut new = base.to_owned();
                for &c in &self.continuous {
                    // Clamped to the segment, which rounding could leave by an ulp.
                    let (lo, hi) = (base[c].min(other[c]), base[c].max(other[c]));
                    new[c] = (base[c] + u * (other[c] - base[c])).clamp(lo, hi);
                }
                if u >= 0.5 {
                    for &c in self.blocks.iter().flatten() {
                        new[c] = other[c];
                    }
                }
                bases.push(rows[i]);
                synthetic.push(new);
            }
        }
        let mut all_rows: Vec<usize> = (0..data.nrows()).collect();
        all_rows.extend_from_slice(&bases);
        let mut records = Array2::zeros((all_rows.len(), self.nfeatures));
        records.slice_mut(s![..data.nrows(), ..]).assign(&x);
        for (r, new) in synthetic.iter().enumerate() {
            records.row_mut(data.nrows() + r).assign(new);
        }
        data.select(&all_rows)?.with_records(records)
    }
}

linfa_traits!(FairOversamplingValidParams => FairOversampling);

impl Preprocessor for FairOversamplingParams {
    fn name(&self) -> String {
        format!("fair-oversampling(k={},seed={})", self.0.k, self.0.seed)
    }

    fn fit_transform(&self, train: &FairDataset) -> Result<FairDataset> {
        self.check_ref()?.learn(train)?.apply(train)
    }
}

#[cfg(test)]
mod tests;
