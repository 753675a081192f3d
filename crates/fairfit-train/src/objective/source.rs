//! [`ChunkSource`]: where a streamed objective's rows come from, one pass at a time, and
//! [`DatasetChunks`], the in-memory source.

use fairfit_data::FairDataset;

use crate::error::{Result, TrainError};

/// Rows read a chunk at a time, as often as asked: what [`Objective::from_chunks`] needs to fit
/// a model on data larger than memory. Every call of [`ChunkSource::for_each_chunk`] is one
/// full pass, in the same row order each time.
///
/// Chunks are [`FairDataset`]s whose active groups are named among
/// [`ChunkSource::group_names`] (a chunk may lack some groups); feature columns, label coding
/// and sample weights mean the same in every chunk. Implementations: [`DatasetChunks`] (a data
/// set in memory, cut into chunks) and
/// [`EncodedChunks`](crate::streaming::EncodedChunks) (a file read in chunks, each encoded by a
/// fitted encoder).
///
/// [`Objective::from_chunks`]: crate::Objective::from_chunks
pub trait ChunkSource: Sync {
    /// The names of the active groups, in the order the fairness terms number them.
    fn group_names(&self) -> Vec<String>;

    /// One pass: calls `visit` with every chunk, in order, and stops at the first error.
    fn for_each_chunk(&self, visit: &mut dyn FnMut(&FairDataset) -> Result<()>) -> Result<()>;
}

/// A data set in memory served in chunks of rows: the streamed fit on it equals the in-memory
/// fit (the tests check this), and it shows what a [`ChunkSource`] must provide.
///
/// ```
/// use fairfit::data::synthetic::BiasedParams;
/// use fairfit::train::{DatasetChunks, FairLogisticRegression, ParamGuard, Penalty};
/// let data = BiasedParams::new(500, 3).seed(1).generate()?.data;
/// let params = FairLogisticRegression::params()
///     .penalty(Penalty::demographic_parity(), 1.0)
///     .check()?;
/// let held = params.fit(&data)?;
/// let streamed = params.fit_streaming(&DatasetChunks::new(&data, 64)?)?;
/// let gap = (&held.coefficients() - &streamed.coefficients()).mapv(f64::abs);
/// assert!(gap.iter().all(|&g| g < 1e-8));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DatasetChunks<'d> {
    data: &'d FairDataset,
    chunk_rows: usize,
}

impl<'d> DatasetChunks<'d> {
    /// Serves `data` in chunks of `chunk_rows` rows (the last may be shorter).
    pub fn new(data: &'d FairDataset, chunk_rows: usize) -> Result<Self> {
        if chunk_rows == 0 {
            return Err(TrainError::InvalidParameter {
                name: "chunk_rows",
                reason: "a chunk needs at least one row".into(),
            });
        }
        Ok(Self { data, chunk_rows })
    }
}

impl ChunkSource for DatasetChunks<'_> {
    fn group_names(&self) -> Vec<String> {
        self.data.groups().names().to_vec()
    }

    fn for_each_chunk(&self, visit: &mut dyn FnMut(&FairDataset) -> Result<()>) -> Result<()> {
        let n = self.data.nrows();
        for start in (0..n).step_by(self.chunk_rows) {
            let rows: Vec<usize> = (start..(start + self.chunk_rows).min(n)).collect();
            visit(&self.data.select(&rows)?)?;
        }
        Ok(())
    }
}
