//! The objective over rows streamed from a [`ChunkSource`]: [`Objective::from_chunks`].
//!
//! Nothing in a pass needs two chunks at once: the loss, its gradient, the Hessian and every
//! fairness term's per-cell sums (`Σ w v`, `Σ w v' x`) are sums over rows, so each chunk is
//! encoded, read through the same kernels as an in-memory block and its sums added. What the
//! in-memory objective knows before its first pass (cell weights, the column moments the
//! solver standardises by, the density that picks the layout) is gathered in one pass when the
//! objective is built. Peak memory is one chunk plus `O(cells × d)` sums, whatever the rows.

use std::collections::HashMap;

use fairfit_data::DataError;

use super::rows::RowBlock;
use super::{ChunkSource, Objective, ObjectiveParams, Rows};
use crate::design::{Layout, SPARSE_DENSITY};
use crate::error::{Result, TrainError};
use crate::loss::{Loss, ModelKind};

/// A source of rows and what the first pass learnt about them.
pub(super) struct Streamed<'a> {
    source: &'a dyn ChunkSource,
    /// Dense or sparse, fixed for every chunk from the density of all rows.
    layout: Layout,
    /// Group name → the objective's group index (groups without rows are left out).
    groups: HashMap<String, usize>,
    ncols: usize,
    moments: (Vec<f64>, Vec<f64>),
}

impl std::fmt::Debug for Streamed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Streamed")
            .field("layout", &self.layout)
            .field("groups", &self.groups)
            .field("ncols", &self.ncols)
            .finish_non_exhaustive()
    }
}

impl Streamed<'_> {
    pub(super) fn ncols(&self) -> usize {
        self.ncols
    }

    pub(super) fn is_sparse(&self) -> bool {
        self.layout == Layout::Sparse
    }

    pub(super) fn column_moments(&self) -> (&[f64], &[f64]) {
        (&self.moments.0, &self.moments.1)
    }

    /// One pass over the source, each chunk prepared as a block.
    pub(super) fn for_each_block(
        &self,
        loss: Loss,
        visit: &mut dyn FnMut(&RowBlock<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut first_row = 0;
        self.source.for_each_chunk(&mut |data| {
            check_width(data.nfeatures(), self.ncols, first_row)?;
            let global = global_groups(&self.groups, data.groups().names())?;
            let block = RowBlock::new(data, self.layout, loss, &global, first_row)?;
            first_row += block.nrows();
            visit(&block)
        })
    }
}

impl<'a> Objective<'a> {
    /// The objective over rows read from `source` a chunk at a time: every evaluation is one
    /// pass over the source, and only one chunk is in memory at once. Building it takes one
    /// pass (checking the data as [`Objective::new`] does, and gathering the cell weights, the
    /// column moments and the density); a fit on it equals the fit on the same rows in memory
    /// up to the order of floating-point sums.
    pub fn from_chunks<P: ObjectiveParams>(
        source: &'a dyn ChunkSource,
        params: &P,
    ) -> Result<Self> {
        let loss = <P::Kind as ModelKind>::LOSS;
        let n_classes = if loss.is_classification() { 2 } else { 1 };
        let names = source.group_names();
        let all = index_of(&names);
        let mut cell_weight = vec![0.0; names.len() * n_classes];
        let mut class_weight = [0.0; 2];
        let mut members = vec![0usize; names.len()];
        let mut moments: Option<Moments> = None;
        let mut non_zeros = 0usize;
        let mut nrows = 0usize;
        source.for_each_chunk(&mut |data| {
            if let Some(m) = &moments {
                check_width(data.nfeatures(), m.mean.len(), nrows)?;
            }
            let global = global_groups(&all, data.groups().names())?;
            // Dense: the block borrows the chunk's matrix and only checks it.
            let block = RowBlock::new(data, Layout::Dense, loss, &global, nrows)?;
            block.add_weights(n_classes, &mut cell_weight, &mut class_weight);
            for &g in data.groups().of_row() {
                members[global[g]] += 1;
            }
            non_zeros += data.records().iter().filter(|&&v| v != 0.0).count();
            let (mean, sd) = block.design.column_moments();
            let part = Moments::of_block(block.nrows(), mean, sd);
            match moments.as_mut() {
                Some(m) => m.merge(&part),
                None => moments = Some(part),
            }
            nrows += block.nrows();
            Ok(())
        })?;
        let moments = match moments {
            Some(m) if nrows > 0 => m,
            _ => {
                return Err(TrainError::Data(DataError::Empty(
                    "the chunk source has no rows".into(),
                )))
            }
        };
        // Groups without rows are not groups of the data (as in `Groups`).
        let kept: Vec<usize> = (0..names.len()).filter(|&g| members[g] > 0).collect();
        let cell_weight: Vec<f64> = kept
            .iter()
            .flat_map(|&g| cell_weight[g * n_classes..(g + 1) * n_classes].to_vec())
            .collect();
        let groups = kept
            .iter()
            .enumerate()
            .map(|(k, &g)| (names[g].clone(), k))
            .collect();
        let ncols = moments.mean.len();
        let sparse = match params.layout() {
            Layout::Auto => non_zeros <= (SPARSE_DENSITY * (nrows * ncols) as f64) as usize,
            Layout::Sparse => true,
            Layout::Dense => false,
        };
        let stream = Streamed {
            source,
            layout: if sparse {
                Layout::Sparse
            } else {
                Layout::Dense
            },
            groups,
            ncols,
            moments: moments.finish(),
        };
        let names = kept.iter().map(|&g| names[g].clone()).collect();
        Self::assemble(
            Rows::Streamed(stream),
            loss,
            names,
            cell_weight,
            class_weight,
            params,
        )
    }
}

/// Column means and sums of squared deviations, merged across blocks (Chan et al.'s update,
/// exact up to rounding and stable for large means).
struct Moments {
    n: f64,
    mean: Vec<f64>,
    squares: Vec<f64>,
}

impl Moments {
    fn of_block(n: usize, mean: &[f64], sd: &[f64]) -> Self {
        let n = n as f64;
        Self {
            n,
            mean: mean.to_vec(),
            squares: sd.iter().map(|s| s * s * n).collect(),
        }
    }

    fn merge(&mut self, other: &Self) {
        let n = self.n + other.n;
        if other.n == 0.0 || n == 0.0 {
            return;
        }
        for j in 0..self.mean.len() {
            let delta = other.mean[j] - self.mean[j];
            self.mean[j] += delta * other.n / n;
            self.squares[j] += other.squares[j] + delta * delta * self.n * other.n / n;
        }
        self.n = n;
    }

    /// Means and population standard deviations.
    fn finish(self) -> (Vec<f64>, Vec<f64>) {
        let n = self.n.max(1.0);
        let sd = self.squares.iter().map(|q| (q / n).sqrt()).collect();
        (self.mean, sd)
    }
}

pub(super) fn check_width(found: usize, expected: usize, first_row: usize) -> Result<()> {
    if found == expected {
        Ok(())
    } else {
        Err(TrainError::LengthMismatch {
            what: format!("the features of the chunk starting at row {first_row}"),
            expected,
            found,
        })
    }
}

/// Each of the source's group names → its index among them.
pub(super) fn index_of(names: &[String]) -> HashMap<String, usize> {
    names
        .iter()
        .enumerate()
        .map(|(g, name)| (name.clone(), g))
        .collect()
}

/// The objective's group index of each of a chunk's groups.
pub(super) fn global_groups(
    groups: &HashMap<String, usize>,
    names: &[String],
) -> Result<Vec<usize>> {
    names
        .iter()
        .map(|name| {
            groups
                .get(name)
                .copied()
                .ok_or_else(|| TrainError::InvalidParameter {
                    name: "source",
                    reason: format!(
                        "a chunk has group `{name}`, which is not among the source's groups"
                    ),
                })
        })
        .collect()
}
