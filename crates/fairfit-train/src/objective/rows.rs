//! [`RowBlock`]: the rows one pass reads at a time — the whole training set of an in-memory
//! objective, or one chunk of a streamed one — with each row's target, weight and
//! group × label cell, and the parallel loop over them whose sums add across blocks.

use fairfit_data::FairDataset;
use rayon::prelude::*;

use crate::design::{Design, Layout};
use crate::error::{Result, TrainError};
use crate::loss::Loss;

/// Rows per parallel work item (Adult: 8 items for 2 cores; 2048 was measured no faster
/// for the objective's pass or the Hessian's).
pub(super) const CHUNK: usize = 4096;

/// A block of training rows as the objective's kernels read them.
#[derive(Debug)]
pub(crate) struct RowBlock<'a> {
    pub(super) design: Design<'a>,
    pub(super) targets: Vec<f64>,
    pub(super) weights: Option<Vec<f64>>,
    /// `group × n_classes + class` of every row, groups numbered across all blocks.
    pub(super) cell: Vec<u32>,
}

impl<'a> RowBlock<'a> {
    /// The rows of `data`, whose group `g` is group `global[g]` of the objective; checks that
    /// every feature is finite and, for a classifier, that every label is 0 or 1 (errors name
    /// the row among all rows).
    pub(super) fn new(
        data: &'a FairDataset,
        layout: Layout,
        loss: Loss,
        global: &[usize],
        first_row: usize,
    ) -> Result<Self> {
        let design = Design::new(data.records(), layout).map_err(|e| match e {
            TrainError::NonFinite { row, column, value } => TrainError::NonFinite {
                row: row + first_row,
                column,
                value,
            },
            other => other,
        })?;
        let n_classes = if loss.is_classification() { 2 } else { 1 };
        let targets = data.targets().to_vec();
        let mut cell = Vec::with_capacity(targets.len());
        for (row, (&g, &y)) in data.groups().of_row().iter().zip(&targets).enumerate() {
            let class = if loss.is_classification() {
                match y {
                    0.0 => 0,
                    1.0 => 1,
                    value => {
                        return Err(TrainError::NotBinary {
                            row: row + first_row,
                            value,
                        })
                    }
                }
            } else {
                0
            };
            cell.push((global[g] * n_classes + class) as u32);
        }
        Ok(Self {
            design,
            targets,
            weights: data.weights().map(|w| w.to_vec()),
            cell,
        })
    }

    pub(super) fn nrows(&self) -> usize {
        self.design.nrows()
    }

    pub(super) fn weight(&self, i: usize) -> f64 {
        self.weights.as_ref().map_or(1.0, |w| w[i])
    }

    /// Adds every row's weight to its cell and its class (`cell % n_classes`).
    pub(super) fn add_weights(
        &self,
        n_classes: usize,
        cell_weight: &mut [f64],
        class_weight: &mut [f64; 2],
    ) {
        for (i, &c) in self.cell.iter().enumerate() {
            let w = self.weight(i);
            cell_weight[c as usize] += w;
            class_weight[c as usize % n_classes] += w;
        }
    }

    /// Runs `work` over row ranges, in parallel for large blocks, and adds the results in order
    /// (so results do not depend on thread scheduling).
    pub(super) fn over_rows<T: Send>(
        &self,
        zero: impl Fn() -> T + Sync,
        work: impl Fn(&mut T, usize, usize) + Sync,
        add: impl Fn(&mut T, &T),
    ) -> T {
        let n = self.nrows();
        if n <= 2 * CHUNK {
            let mut acc = zero();
            work(&mut acc, 0, n);
            return acc;
        }
        let parts: Vec<T> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|k| {
                let mut acc = zero();
                work(&mut acc, k * CHUNK, ((k + 1) * CHUNK).min(n));
                acc
            })
            .collect();
        let mut parts = parts.into_iter();
        let mut total = parts.next().unwrap_or_else(&zero);
        for p in parts {
            add(&mut total, &p);
        }
        total
    }

    /// [`RowBlock::over_rows`] that also hands `work` the slice of `kept` (one entry per row
    /// of the block) for its row range, so a pass can write a per-row result in place: no
    /// per-part vectors to append in order afterwards, and `kept` can be reused from one
    /// pass to the next (a fresh buffer of this size is fresh pages to fault in every time).
    pub(super) fn over_rows_keeping<T: Send, R: Send>(
        &self,
        kept: &mut [R],
        zero: impl Fn() -> T + Sync,
        work: impl Fn(&mut T, usize, usize, &mut [R]) + Sync,
        add: impl Fn(&mut T, &T),
    ) -> T {
        let n = self.nrows();
        debug_assert_eq!(kept.len(), n, "one kept entry per row");
        if n <= 2 * CHUNK {
            let mut acc = zero();
            work(&mut acc, 0, n, kept);
            return acc;
        }
        let parts: Vec<T> = kept
            .par_chunks_mut(CHUNK)
            .enumerate()
            .map(|(k, out)| {
                let mut acc = zero();
                work(&mut acc, k * CHUNK, k * CHUNK + out.len(), out);
                acc
            })
            .collect();
        let mut parts = parts.into_iter();
        let mut total = parts.next().unwrap_or_else(&zero);
        for p in parts {
            add(&mut total, &p);
        }
        total
    }

    /// The scores `x_i·w + b` of the block's rows.
    pub(super) fn scores(&self, w: &[f64], b: f64) -> Vec<f64> {
        let mut scores = vec![0.0; self.nrows()];
        scores
            .par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(k, out)| {
                for (i, s) in out.iter_mut().enumerate() {
                    *s = self.design.row(k * CHUNK + i).dot(w) + b;
                }
            });
        scores
    }
}
