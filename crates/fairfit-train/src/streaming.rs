//! Fits on data larger than memory: a file read in chunks ([`ChunkedTable`]), each chunk
//! encoded by an [`Encoder`] fitted over the chunks ([`Encoder::fit_chunks`]), served to the
//! solver as a [`ChunkSource`] ([`EncodedChunks`]): every solver evaluation is one pass over the
//! file, and memory holds one chunk.
//!
//! ```
//! use fairfit::data::schema::{ChunkedTable, CsvOptions, Schema};
//! use fairfit::train::streaming::fit_table;
//! use fairfit::train::{FairLogisticRegression, ParamGuard, Penalty};
//! let path = std::env::temp_dir().join("fairfit-streaming-doc.csv");
//! let rows: String = (0..400)
//!     .map(|i| format!("{},{},{}\n", i % 17, ["F", "M"][i % 2], u8::from((i * 7) % 17 > 8 + i % 2)))
//!     .collect();
//! std::fs::write(&path, format!("x,sex,y\n{rows}"))?;
//! let schema = Schema::builder().label("y", "1").sensitive("sex").numeric(&["x"]).build()?;
//! let table = ChunkedTable::open(&path, &CsvOptions::default(), 64)?;
//! let params = FairLogisticRegression::params()
//!     .penalty(Penalty::demographic_parity(), 1.0)
//!     .check()?;
//! let (encoder, model) = fit_table(&params, &schema, &table)?;
//! assert_eq!(encoder.feature_names(), ["x"]);
//! assert!(model.report().is_some_and(|r| r.converged()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use fairfit_data::schema::{ChunkedTable, Encoder, Schema};
use fairfit_data::FairDataset;
use ndarray::Array1;

use crate::error::Result;
use crate::loss::ModelKind;
use crate::model::FittedModel;
use crate::objective::{ChunkSource, Objective};
use crate::params::{solve, ValidFairParams};

/// A file read in chunks, each chunk encoded by a fitted [`Encoder`] (its first sensitive
/// column gives the groups, as [`Encoder::transform`] makes it the active one). A chunk whose
/// rows the missing-value policy all drops is skipped.
#[derive(Debug, Clone)]
pub struct EncodedChunks<'a> {
    table: ChunkedTable,
    encoder: &'a Encoder,
}

impl<'a> EncodedChunks<'a> {
    /// The chunks of `table`, encoded by `encoder`; the numeric features are read straight into
    /// numbers where the file stores them so ([`ChunkedTable::numbers_for`]).
    pub fn new(table: &ChunkedTable, encoder: &'a Encoder) -> Self {
        Self {
            table: table.clone().numbers_for(encoder.schema()),
            encoder,
        }
    }
}

impl ChunkSource for EncodedChunks<'_> {
    fn group_names(&self) -> Vec<String> {
        self.encoder
            .sensitive_levels()
            .first()
            .cloned()
            .unwrap_or_default()
    }

    fn for_each_chunk(&self, visit: &mut dyn FnMut(&FairDataset) -> Result<()>) -> Result<()> {
        for chunk in self.table.chunks()? {
            if let Some(data) = self.encoder.transform_chunk(&chunk?)? {
                visit(&data)?;
            }
        }
        Ok(())
    }
}

impl<K: ModelKind> ValidFairParams<K> {
    /// Fits from zero on rows read from `source` a chunk at a time (see
    /// [`Objective::from_chunks`]): one pass to prepare, then one pass per solver evaluation.
    /// The model is the one [`ValidFairParams::fit`] gives on the same rows in memory, up to the
    /// order of floating-point sums, with the same errors.
    pub fn fit_streaming(&self, source: &dyn ChunkSource) -> Result<FittedModel<K>> {
        let objective = Objective::from_chunks(source, self)?;
        solve(&objective, self, Array1::zeros(objective.dim()))
    }

    /// Fits from zero on every row of `source`, read once and kept in memory as compressed
    /// sparse rows (see [`Objective::gather`]): for designs too wide to hold dense, such as
    /// one-hot columns of a categorical with tens of thousands of levels. The model is the one
    /// [`ValidFairParams::fit`] gives on the same rows, up to the order of floating-point sums.
    pub fn fit_gathered(&self, source: &dyn ChunkSource) -> Result<FittedModel<K>> {
        let objective = Objective::gather(source, self)?;
        solve(&objective, self, Array1::zeros(objective.dim()))
    }
}

/// The whole out-of-core fit of a file: the encoder fitted over the chunks (two passes), then
/// the model fitted streaming. Save both as a
/// [`FittedPipeline`](crate::pipeline::FittedPipeline).
pub fn fit_table<K: ModelKind>(
    params: &ValidFairParams<K>,
    schema: &Schema,
    table: &ChunkedTable,
) -> Result<(Encoder, FittedModel<K>)> {
    let encoder = Encoder::fit_chunks(schema, table)?;
    let model = params.fit_streaming(&EncodedChunks::new(table, &encoder))?;
    Ok((encoder, model))
}
