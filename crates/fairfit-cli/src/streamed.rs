//! Data files read a chunk at a time, for `fairfit train --stream`: the training file served to
//! the solver as prepared, encoded and weighted chunks ([`WeightedChunks`]), and a held-out
//! file's decisions gathered chunk by chunk ([`HeldOutRows::streamed`]), so that no file's
//! features are ever in memory whole.

use std::sync::atomic::{AtomicUsize, Ordering};

use fairfit_data::schema::{ChunkedTable, Encoder};
use fairfit_data::{FairDataset, SensitiveAttribute};
use fairfit_train::{ChunkSource, FittedLogistic, FittedPipeline};
use ndarray::{Array1, Array2};

use crate::error::{CliError, Result};
use crate::input::LoadedSchema;

/// A training file as the solver reads it: each chunk prepared as [`LoadedSchema::prepare`]
/// prepares a whole file, encoded by the encoder fitted over the chunks and weighted by the
/// schema's weight column, so a streamed fit sees the rows an in-memory `train` sees.
#[derive(Debug)]
pub struct WeightedChunks<'a> {
    /// The file, its numeric features read straight into numbers.
    table: ChunkedTable,
    schema: &'a LoadedSchema,
    encoder: &'a Encoder,
    /// Rows served by the last complete pass.
    rows: AtomicUsize,
    /// Complete passes so far.
    passes: AtomicUsize,
}

impl<'a> WeightedChunks<'a> {
    /// The chunks of `table` under `schema`, encoded by `encoder` (fitted on the same file).
    pub fn new(table: &ChunkedTable, schema: &'a LoadedSchema, encoder: &'a Encoder) -> Self {
        Self {
            table: table.clone().numbers_for(&schema.schema),
            schema,
            encoder,
            rows: AtomicUsize::new(0),
            passes: AtomicUsize::new(0),
        }
    }

    /// Rows the last complete pass served (0 before the first).
    pub fn rows(&self) -> usize {
        self.rows.load(Ordering::Relaxed)
    }

    /// Complete passes over the file so far.
    pub fn passes(&self) -> usize {
        self.passes.load(Ordering::Relaxed)
    }
}

impl ChunkSource for WeightedChunks<'_> {
    fn group_names(&self) -> Vec<String> {
        self.encoder
            .sensitive_levels()
            .first()
            .cloned()
            .unwrap_or_default()
    }

    fn for_each_chunk(
        &self,
        visit: &mut dyn FnMut(&FairDataset) -> fairfit_train::Result<()>,
    ) -> fairfit_train::Result<()> {
        let mut rows = 0;
        for chunk in self.table.chunks()? {
            let chunk = self.schema.prepare_chunk(chunk?)?;
            if chunk.is_empty() {
                continue;
            }
            let data = self.schema.encode_weighted(self.encoder, &chunk)?;
            rows += data.nrows();
            visit(&data)?;
        }
        self.rows.store(rows, Ordering::Relaxed);
        self.passes.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Held-out rows as the report reads them: labels, the first sensitive column's groups and
/// weights (no features), with the pipeline's decisions and scores of every row.
#[derive(Debug, Clone)]
pub struct HeldOutRows {
    /// The rows without their features (zero feature columns).
    pub data: FairDataset,
    /// The probability of the favourable decision of every row.
    pub decisions: Vec<f64>,
    /// The model's score of every row.
    pub scores: Vec<f64>,
}

impl HeldOutRows {
    /// Decides a held-out file chunk by chunk: memory holds one chunk's features, and five
    /// numbers per row for the report (label, group, weight, decision, score).
    pub fn streamed(
        table: &ChunkedTable,
        schema: &LoadedSchema,
        pipeline: &FittedPipeline<FittedLogistic>,
    ) -> Result<Self> {
        let what = table.path();
        let table = table.clone().numbers_for(&schema.schema);
        let mut targets = Vec::new();
        let mut codes = Vec::new();
        let mut weights = Vec::new();
        let mut decisions = Vec::new();
        let mut scores = Vec::new();
        for chunk in table.chunks()? {
            let chunk = schema.prepare_chunk(chunk?)?;
            if chunk.is_empty() {
                continue;
            }
            let data = schema.encode_weighted(pipeline.encoder(), &chunk)?;
            targets.extend(data.targets().iter());
            codes.extend_from_slice(data.attributes()[0].codes());
            if let Some(w) = data.weights() {
                weights.extend(w.iter());
            }
            scores.extend(pipeline.score(&chunk).map_err(CliError::pipeline(what))?);
            decisions.extend(
                pipeline
                    .decision_probability(&chunk)
                    .map_err(CliError::pipeline(what))?,
            );
        }
        let encoder = pipeline.encoder();
        let column = &encoder.schema().sensitive()[0].column;
        let levels = encoder.sensitive_levels()[0].clone();
        let attribute = SensitiveAttribute::new(column, levels, codes)?;
        let n = targets.len();
        let mut data = FairDataset::new(
            Array2::zeros((n, 0)),
            Array1::from(targets),
            vec![attribute],
        )?;
        if schema.file.weight.is_some() {
            data = data.with_weights(Array1::from(weights))?;
        }
        Ok(Self {
            data,
            decisions,
            scores,
        })
    }
}
