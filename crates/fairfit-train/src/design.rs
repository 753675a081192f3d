//! The design matrix as the objective reads it: the dense rows of the data set (borrowed, never
//! copied when they are contiguous) or a compressed sparse row copy when most entries are zero
//! (one-hot blocks), chosen by measured density.
//!
//! Only two row kernels are needed, `x_i · w` and `out += a x_i`; both are written as plain
//! loops over contiguous memory, which is several times faster than `x.t().dot(r)` without BLAS.

use std::sync::OnceLock;

use ndarray::{ArrayView2, CowArray, Ix2};
use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};

/// How the objective stores the feature matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Layout {
    /// Sparse when at most a quarter of the entries are non-zero, dense otherwise.
    #[default]
    Auto,
    /// Always read the dense rows.
    Dense,
    /// Always build a compressed-sparse-row copy.
    Sparse,
}

/// Fraction of non-zeros at or below which [`Layout::Auto`] chooses the sparse layout.
pub(crate) const SPARSE_DENSITY: f64 = 0.25;

/// Compressed sparse rows: the non-zeros of row `i` are `indices/values[indptr[i]..indptr[i+1]]`.
#[derive(Debug, Clone)]
struct Csr {
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f64>,
}

#[derive(Debug, Clone)]
enum Storage<'a> {
    Dense(CowArray<'a, f64, Ix2>),
    Sparse(Csr),
}

/// The feature matrix in the layout the kernels read.
#[derive(Debug, Clone)]
pub(crate) struct Design<'a> {
    storage: Storage<'a>,
    nrows: usize,
    ncols: usize,
    /// The column means and standard deviations, computed on first use (once per objective,
    /// however many solves a path or an augmented-Lagrangian loop runs on it).
    moments: OnceLock<(Vec<f64>, Vec<f64>)>,
}

impl<'a> Design<'a> {
    /// Checks that every entry is finite and stores the matrix in the requested layout.
    ///
    /// One pass over the matrix does both: unless the layout is [`Layout::Dense`], the sparse
    /// copy is built while checking, and under [`Layout::Auto`] it is dropped as soon as the
    /// non-zeros exceed the sparse density (so a dense matrix never costs a full sparse copy).
    pub(crate) fn new(records: ArrayView2<'a, f64>, layout: Layout) -> Result<Self> {
        let (nrows, ncols) = records.dim();
        let budget = match layout {
            Layout::Auto => (SPARSE_DENSITY * (nrows * ncols) as f64) as usize,
            Layout::Sparse => usize::MAX,
            Layout::Dense => 0,
        };
        // Room for a sparse matrix at the density limit up front, so the copy is not moved
        // again and again as it grows (a denser matrix under `Auto` stops at the limit).
        let room = (SPARSE_DENSITY * (nrows * ncols) as f64) as usize + ncols;
        let mut csr = (layout != Layout::Dense).then(|| Csr {
            indptr: Vec::with_capacity(nrows + 1),
            indices: Vec::with_capacity(room),
            values: Vec::with_capacity(room),
        });
        if let Some(m) = csr.as_mut() {
            m.indptr.push(0);
        }
        for (row, values) in records.outer_iter().enumerate() {
            // Checked without a branch per entry (so the check vectorises); the column is
            // searched for only when the row has a non-finite entry.
            if !values.fold(true, |finite, v| finite & v.is_finite()) {
                if let Some((column, &value)) =
                    values.iter().enumerate().find(|(_, v)| !v.is_finite())
                {
                    return Err(TrainError::NonFinite { row, column, value });
                }
            }
            if let Some(m) = csr.as_mut() {
                for (column, &value) in values.iter().enumerate() {
                    if value != 0.0 {
                        m.indices.push(column as u32);
                        m.values.push(value);
                    }
                }
                m.indptr.push(m.indices.len());
                if m.indices.len() > budget {
                    csr = None;
                }
            }
        }
        let storage = match csr {
            Some(m) => Storage::Sparse(m),
            None if records.is_standard_layout() => Storage::Dense(CowArray::from(records)),
            None => Storage::Dense(CowArray::from(records.as_standard_layout().into_owned())),
        };
        Ok(Self {
            storage,
            nrows,
            ncols,
            moments: OnceLock::new(),
        })
    }

    /// The design of rows already checked finite and gathered as compressed sparse rows (from
    /// the chunks of a source, see `objective/gather.rs`), stored as `layout` asks: under
    /// [`Layout::Auto`] sparse at the density limit or below, dense above it.
    pub(crate) fn from_csr(
        ncols: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f64>,
        layout: Layout,
    ) -> Self {
        let nrows = indptr.len().saturating_sub(1);
        let sparse = match layout {
            Layout::Auto => values.len() as f64 <= SPARSE_DENSITY * (nrows * ncols) as f64,
            Layout::Sparse => true,
            Layout::Dense => false,
        };
        let storage = if sparse {
            Storage::Sparse(Csr {
                indptr,
                indices,
                values,
            })
        } else {
            let mut dense = ndarray::Array2::zeros((nrows, ncols));
            for (i, mut row) in dense.outer_iter_mut().enumerate() {
                for k in indptr[i]..indptr[i + 1] {
                    row[indices[k] as usize] = values[k];
                }
            }
            Storage::Dense(CowArray::from(dense))
        };
        Self {
            storage,
            nrows,
            ncols,
            moments: OnceLock::new(),
        }
    }

    pub(crate) fn nrows(&self) -> usize {
        self.nrows
    }

    pub(crate) fn ncols(&self) -> usize {
        self.ncols
    }

    /// Whether the sparse layout was chosen.
    pub(crate) fn is_sparse(&self) -> bool {
        matches!(self.storage, Storage::Sparse(_))
    }

    /// The mean and the (population) standard deviation of every column, in two passes over the
    /// stored entries (the second sums squared deviations, so a large mean does not swamp a
    /// small spread). Unweighted: they only fix the solver's coordinates, not the objective.
    /// Computed once per design.
    pub(crate) fn column_moments(&self) -> (&[f64], &[f64]) {
        let (mean, sd) = self.moments.get_or_init(|| self.compute_moments());
        (mean, sd)
    }

    fn compute_moments(&self) -> (Vec<f64>, Vec<f64>) {
        let (n, d) = (self.nrows, self.ncols);
        let mut mean = vec![0.0; d];
        for i in 0..n {
            self.row(i).axpy(1.0, &mut mean);
        }
        let rows = n.max(1) as f64;
        mean.iter_mut().for_each(|m| *m /= rows);
        // Σ (x − μ)² over the stored entries, then the implicit zeros of a sparse column add μ².
        let mut squares = vec![0.0; d];
        let mut stored = vec![0usize; d];
        for i in 0..n {
            match self.row(i) {
                Row::Dense(x) => {
                    for ((q, &v), &m) in squares.iter_mut().zip(x).zip(&mean) {
                        *q += (v - m) * (v - m);
                    }
                    stored.iter_mut().for_each(|c| *c += 1);
                }
                Row::Sparse(idx, val) => {
                    for (&j, &v) in idx.iter().zip(val) {
                        let j = j as usize;
                        squares[j] += (v - mean[j]) * (v - mean[j]);
                        stored[j] += 1;
                    }
                }
            }
        }
        let sd = squares
            .iter()
            .zip(&stored)
            .zip(&mean)
            .map(|((&q, &c), &m)| ((q + (n - c) as f64 * m * m) / rows).sqrt())
            .collect();
        (mean, sd)
    }

    /// The non-zeros of row `i` as (column, value) pairs, or the dense row.
    #[inline(always)]
    pub(crate) fn row(&self, i: usize) -> Row<'_> {
        match &self.storage {
            Storage::Dense(x) => Row::Dense(
                x.row(i)
                    .to_slice()
                    .expect("dense storage is kept in standard layout"),
            ),
            Storage::Sparse(m) => {
                let range = m.indptr[i]..m.indptr[i + 1];
                Row::Sparse(&m.indices[range.clone()], &m.values[range])
            }
        }
    }
}

/// One row of the design matrix.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Row<'r> {
    Dense(&'r [f64]),
    Sparse(&'r [u32], &'r [f64]),
}

impl Row<'_> {
    /// `x_i · w` (w has at least as many entries as there are columns).
    #[inline(always)]
    pub(crate) fn dot(self, w: &[f64]) -> f64 {
        match self {
            Row::Dense(x) => dense_dot(x, &w[..x.len()]),
            Row::Sparse(idx, val) => idx.iter().zip(val).map(|(&j, &v)| v * w[j as usize]).sum(),
        }
    }

    /// `out += a · x_i`.
    #[inline]
    pub(crate) fn axpy(self, a: f64, out: &mut [f64]) {
        match self {
            Row::Dense(x) => {
                for (o, &v) in out.iter_mut().zip(x) {
                    *o += a * v;
                }
            }
            Row::Sparse(idx, val) => {
                for (&j, &v) in idx.iter().zip(val) {
                    out[j as usize] += a * v;
                }
            }
        }
    }

    /// `out += a · x_i` and `other += c · x_i` in one walk over the row (the objective's pass
    /// adds every row to the loss gradient and to one penalty cell's sum).
    #[inline]
    pub(crate) fn axpy2(self, a: f64, out: &mut [f64], c: f64, other: &mut [f64]) {
        match self {
            Row::Dense(x) => {
                for ((o, p), &v) in out.iter_mut().zip(other.iter_mut()).zip(x) {
                    *o += a * v;
                    *p += c * v;
                }
            }
            Row::Sparse(idx, val) => {
                for (&j, &v) in idx.iter().zip(val) {
                    out[j as usize] += a * v;
                    other[j as usize] += c * v;
                }
            }
        }
    }

    /// `out += a · x̃_i x̃_iᵀ` on the upper triangle of a row-major `(d + 1) × (d + 1)` matrix,
    /// where `x̃_i = (x_i, 1)` is the row extended by the intercept column (index `d`).
    #[inline]
    pub(crate) fn outer_upper(self, a: f64, out: &mut [f64], dim: usize) {
        let d = dim - 1;
        match self {
            Row::Dense(x) => {
                for (j, &xj) in x.iter().enumerate() {
                    let ax = a * xj;
                    if ax == 0.0 {
                        continue;
                    }
                    let line = &mut out[j * dim + j..j * dim + d];
                    for (o, &xk) in line.iter_mut().zip(&x[j..]) {
                        *o += ax * xk;
                    }
                    out[j * dim + d] += ax;
                }
            }
            Row::Sparse(idx, val) => {
                for (p, (&j, &xj)) in idx.iter().zip(val).enumerate() {
                    let ax = a * xj;
                    let base = j as usize * dim;
                    for (&k, &xk) in idx[p..].iter().zip(&val[p..]) {
                        out[base + k as usize] += ax * xk;
                    }
                    out[base + d] += ax;
                }
            }
        }
        out[d * dim + d] += a;
    }
}

/// Dot product with four independent accumulators (lets the compiler vectorise).
#[inline]
fn dense_dot(x: &[f64], w: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let xc = x.chunks_exact(4);
    let wc = w.chunks_exact(4);
    let tail: f64 = xc
        .remainder()
        .iter()
        .zip(wc.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (a, b) in xc.zip(wc) {
        acc[0] += a[0] * b[0];
        acc[1] += a[1] * b[1];
        acc[2] += a[2] * b[2];
        acc[3] += a[3] * b[3];
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn dense_and_sparse_kernels_agree() {
        let x = array![
            [1.0, 0.0, 2.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, -3.0],
            [0.0; 5]
        ];
        let w = [0.5, 1.0, -1.0, 2.0, 4.0];
        let dense = Design::new(x.view(), Layout::Dense).unwrap();
        let sparse = Design::new(x.view(), Layout::Sparse).unwrap();
        assert!(!dense.is_sparse() && sparse.is_sparse());
        assert!(Design::new(x.view(), Layout::Auto).unwrap().is_sparse());
        for i in 0..3 {
            assert_eq!(dense.row(i).dot(&w), sparse.row(i).dot(&w));
            let (mut a, mut b) = (vec![0.0; 5], vec![0.0; 5]);
            dense.row(i).axpy(2.0, &mut a);
            sparse.row(i).axpy(2.0, &mut b);
            assert_eq!(a, b);
            let (mut a, mut b) = (vec![1.0; 5], vec![-1.0; 5]);
            let (mut c, mut e) = (vec![1.0; 5], vec![-1.0; 5]);
            dense.row(i).axpy2(2.0, &mut a, -3.0, &mut b);
            sparse.row(i).axpy(2.0, &mut c);
            sparse.row(i).axpy(-3.0, &mut e);
            assert_eq!((a, b), (c, e));
            let (mut a, mut b) = (vec![1.0; 5], vec![-1.0; 5]);
            sparse.row(i).axpy2(2.0, &mut a, -3.0, &mut b);
            let (mut c, mut e) = (vec![1.0; 5], vec![-1.0; 5]);
            dense.row(i).axpy(2.0, &mut c);
            dense.row(i).axpy(-3.0, &mut e);
            assert_eq!((a, b), (c, e));
            let (mut a, mut b) = (vec![0.0; 36], vec![0.0; 36]);
            dense.row(i).outer_upper(1.0, &mut a, 6);
            sparse.row(i).outer_upper(1.0, &mut b, 6);
            assert_eq!(a, b);
        }
        assert_eq!(dense.row(0).dot(&w), -1.5);
        // Row 0 extended by the intercept is (1, 0, 2, 0, 0, 1): its upper outer product.
        let mut upper = vec![0.0; 36];
        sparse.row(0).outer_upper(2.0, &mut upper, 6);
        let x = [1.0, 0.0, 2.0, 0.0, 0.0, 1.0];
        for j in 0..6 {
            for k in 0..6 {
                let expected = if k >= j { 2.0 * x[j] * x[k] } else { 0.0 };
                assert_eq!(upper[j * 6 + k], expected, "entry ({j}, {k})");
            }
        }
        // Column moments agree between layouts: means 1/3, 0, 2/3, 0, −1.
        for design in [&dense, &sparse] {
            let (mean, sd) = design.column_moments();
            let expected_mean = [1.0 / 3.0, 0.0, 2.0 / 3.0, 0.0, -1.0];
            let expected_sd = [2f64.sqrt() / 3.0, 0.0, 8f64.sqrt() / 3.0, 0.0, 2f64.sqrt()];
            for j in 0..5 {
                assert!((mean[j] - expected_mean[j]).abs() < 1e-15, "mean {j}");
                assert!((sd[j] - expected_sd[j]).abs() < 1e-15, "sd {j}: {}", sd[j]);
            }
        }
        let bad = array![[1.0, f64::NAN]];
        assert!(matches!(
            Design::new(bad.view(), Layout::Auto),
            Err(TrainError::NonFinite {
                row: 0,
                column: 1,
                ..
            })
        ));
    }
}
