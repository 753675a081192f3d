//! [`Objective::gather`]: the rows of a [`ChunkSource`] read once and kept in memory as one
//! block, compressed sparse where most entries are zero.
//!
//! This is the route for designs too wide to hold dense: one-hot columns of high-cardinality
//! categoricals (10⁵ rows × 5·10⁴ columns are 40 GB as a dense matrix, a few MB as sparse rows).
//! Each chunk is dense only while it is read; its non-zeros are appended to the gathered rows and
//! the chunk is dropped. Unlike [`Objective::from_chunks`], which reads the source again in every
//! solver evaluation, the gathered objective is an in-memory one: it equals [`Objective::new`]
//! on the same rows, with its speed.

use fairfit_data::DataError;

use super::rows::RowBlock;
use super::stream::{check_width, global_groups, index_of};
use super::{ChunkSource, Objective, ObjectiveParams, Rows};
use crate::design::{Design, Layout, Row};
use crate::error::{Result, TrainError};
use crate::loss::ModelKind;

/// Compressed sparse rows with their targets, weights and cells, appended chunk by chunk.
#[derive(Default)]
struct Gathered {
    ncols: Option<usize>,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f64>,
    targets: Vec<f64>,
    /// `None` while every row so far has weight 1.
    weights: Option<Vec<f64>>,
    cell: Vec<u32>,
}

impl Gathered {
    fn nrows(&self) -> usize {
        self.targets.len()
    }

    /// Appends a block's rows: their non-zeros, targets, weights and cells.
    fn append(&mut self, block: &RowBlock<'_>) {
        if self.indptr.is_empty() {
            self.indptr.push(0);
        }
        for i in 0..block.nrows() {
            match block.design.row(i) {
                Row::Sparse(idx, val) => {
                    self.indices.extend_from_slice(idx);
                    self.values.extend_from_slice(val);
                }
                Row::Dense(x) => {
                    for (j, &v) in x.iter().enumerate() {
                        if v != 0.0 {
                            self.indices.push(j as u32);
                            self.values.push(v);
                        }
                    }
                }
            }
            self.indptr.push(self.indices.len());
        }
        match (&mut self.weights, &block.weights) {
            (Some(all), Some(w)) => all.extend_from_slice(w),
            (Some(all), None) => all.resize(all.len() + block.nrows(), 1.0),
            (None, Some(w)) => {
                let mut all = vec![1.0; self.nrows()];
                all.extend_from_slice(w);
                self.weights = Some(all);
            }
            (None, None) => {}
        }
        self.targets.extend_from_slice(&block.targets);
        self.cell.extend_from_slice(&block.cell);
    }
}

impl Objective<'static> {
    /// The objective over every row of `source`, read in one pass and kept in memory as
    /// compressed sparse rows (or dense, when [`Layout::Auto`] finds more than a quarter of the
    /// entries non-zero or the parameters ask for [`Layout::Dense`]). Checks the rows as
    /// [`Objective::new`] does, with errors naming the row among all rows; groups that no chunk
    /// has are left out, as in [`Objective::from_chunks`].
    ///
    /// Peak memory is one dense chunk plus the gathered non-zeros, so a design whose dense
    /// matrix would not fit (a categorical with tens of thousands of levels, one-hot) can be
    /// fitted in memory; [`Solver::Auto`](crate::Solver::Auto) then chooses L-BFGS, whose memory
    /// is linear in the width.
    ///
    /// ```
    /// use fairfit::data::synthetic::BiasedParams;
    /// use fairfit::train::{DatasetChunks, FairLogisticRegression, Objective, ParamGuard, Penalty};
    /// use ndarray::Array1;
    /// let data = BiasedParams::new(300, 3).seed(2).generate()?.data;
    /// let params = FairLogisticRegression::params()
    ///     .penalty(Penalty::demographic_parity(), 1.0)
    ///     .check()?;
    /// let gathered = Objective::gather(&DatasetChunks::new(&data, 50)?, &params)?;
    /// let held = Objective::new(&data, &params)?;
    /// let theta = Array1::from_elem(held.dim(), 0.1);
    /// let (a, b) = (gathered.value_and_gradient(&theta)?, held.value_and_gradient(&theta)?);
    /// assert!((a.0 - b.0).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn gather<P: ObjectiveParams>(source: &dyn ChunkSource, params: &P) -> Result<Self> {
        let loss = <P::Kind as ModelKind>::LOSS;
        let n_classes = if loss.is_classification() { 2 } else { 1 };
        let names = source.group_names();
        let all = index_of(&names);
        let mut gathered = Gathered::default();
        source.for_each_chunk(&mut |data| {
            let first_row = gathered.nrows();
            match gathered.ncols {
                Some(ncols) => check_width(data.nfeatures(), ncols, first_row)?,
                None => gathered.ncols = Some(data.nfeatures()),
            }
            let global = global_groups(&all, data.groups().names())?;
            // Sparse: the chunk's non-zeros are collected while it is checked.
            let block = RowBlock::new(data, Layout::Sparse, loss, &global, first_row)?;
            gathered.append(&block);
            Ok(())
        })?;
        let ncols = match gathered.ncols {
            Some(ncols) if gathered.nrows() > 0 => ncols,
            _ => {
                return Err(TrainError::Data(DataError::Empty(
                    "the chunk source has no rows".into(),
                )))
            }
        };
        // Groups without rows are not groups of the data (as in `Groups`): renumber the rest.
        let mut members = vec![0usize; names.len()];
        for &c in &gathered.cell {
            members[c as usize / n_classes] += 1;
        }
        let kept: Vec<usize> = (0..names.len()).filter(|&g| members[g] > 0).collect();
        let mut renumber = vec![0u32; names.len()];
        for (k, &g) in kept.iter().enumerate() {
            renumber[g] = k as u32;
        }
        let n = n_classes as u32;
        for c in &mut gathered.cell {
            *c = renumber[(*c / n) as usize] * n + *c % n;
        }
        let block = RowBlock {
            design: Design::from_csr(
                ncols,
                gathered.indptr,
                gathered.indices,
                gathered.values,
                params.layout(),
            ),
            targets: gathered.targets,
            weights: gathered.weights,
            cell: gathered.cell,
        };
        let mut cell_weight = vec![0.0; kept.len() * n_classes];
        let mut class_weight = [0.0; 2];
        block.add_weights(n_classes, &mut cell_weight, &mut class_weight);
        let names = kept.iter().map(|&g| names[g].clone()).collect();
        Self::assemble(
            Rows::Held(block),
            loss,
            names,
            cell_weight,
            class_weight,
            params,
        )
    }
}
