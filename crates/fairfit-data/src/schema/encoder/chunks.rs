//! [`Encoder::fit_chunks`]: the encoder fitted on a file read in chunks, equal to
//! [`Encoder::fit`] on the whole table, and [`Encoder::transform_chunk`] to encode each chunk.
//!
//! Every fitted statistic is a sum or a set over rows, so it is gathered chunk by chunk: label
//! values and sensitive levels as sorted sets, category counts (the one-hot categories and the
//! imputation mode), and for numeric columns the count and sum in a first pass and the squared
//! deviations from the mean in a second one. Both sums run in row order, as
//! [`Standardiser::fit`] runs them, so means and standard deviations are the same to the last
//! bit, and two passes keep a large mean from swamping a small spread. Numeric columns are read
//! straight into numbers where the file stores them so ([`ChunkedTable::numbers_for`]).

use std::collections::{BTreeMap, BTreeSet};

use super::super::chunked::ChunkedTable;
use super::super::columns::{is_missing, kept_rows, label_values_of, Columns};
use super::super::one_hot::OneHot;
use super::super::spec::{FeatureKind, Schema};
use super::super::standardiser::Standardiser;
use super::super::table::RawTable;
use super::{Encoder, FeatureEncoder};
use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

/// More distinct label values than this stop the first pass: the label is not binary.
const MAX_LABEL_VALUES: usize = 64;

/// What the first pass gathers for one feature column.
enum Gathered {
    Numeric { count: usize, sum: f64 },
    Categorical(BTreeMap<String, usize>),
    Indicator(String),
}

impl Encoder {
    /// Fits the schema on a file read in chunks, in two passes, with the result
    /// [`Encoder::fit`] gives on the whole table (label values, sensitive levels, standardisers,
    /// sorted categories and imputation statistics), holding one chunk at a time.
    ///
    /// The errors are those of [`Encoder::fit`], with one difference: a standardised value that
    /// overflows is reported when a chunk is transformed, not here.
    ///
    /// ```
    /// use fairfit::data::schema::{ChunkedTable, CsvOptions, Encoder, RawTable, Schema};
    /// let path = std::env::temp_dir().join("fairfit-fit-chunks-doc.csv");
    /// std::fs::write(&path, "age,job,sex,y\n20,a,F,1\n40,b,M,0\n30,a,M,1\n25,c,F,0\n")?;
    /// let schema = Schema::builder()
    ///     .label("y", "1")
    ///     .sensitive("sex")
    ///     .numeric(&["age"])
    ///     .categorical(&["job"])
    ///     .build()?;
    /// let opts = CsvOptions::default();
    /// let streamed = Encoder::fit_chunks(&schema, &ChunkedTable::open(&path, &opts, 3)?)?;
    /// assert_eq!(streamed, Encoder::fit(&schema, &RawTable::open(&path, &opts)?)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fit_chunks(schema: &Schema, table: &ChunkedTable) -> Result<Self> {
        let table = &table.clone().numbers_for(schema);
        let mut labels: BTreeSet<String> = BTreeSet::new();
        let mut levels: Vec<BTreeSet<String>> = vec![BTreeSet::new(); schema.sensitive().len()];
        let mut gathered: Vec<Gathered> = schema
            .features()
            .iter()
            .map(|spec| match spec.kind {
                FeatureKind::Numeric => Gathered::Numeric { count: 0, sum: 0.0 },
                FeatureKind::Categorical => Gathered::Categorical(BTreeMap::new()),
                FeatureKind::Indicator { ref level } => Gathered::Indicator(level.clone()),
            })
            .collect();
        for chunk in table.chunks()? {
            let chunk = chunk?;
            let columns = Columns::resolve(schema, &chunk, true)?;
            let rows = kept_rows(schema, &chunk, &columns, schema.missing_policy())?;
            let label = columns.label.expect("resolve finds the label column");
            for row in &rows {
                if !labels.contains(row.field(label)) {
                    labels.insert(row.field(label).to_string());
                }
                for (set, &c) in levels.iter_mut().zip(&columns.sensitive) {
                    if !set.contains(row.field(c)) {
                        set.insert(row.field(c).to_string());
                    }
                }
            }
            if labels.len() > MAX_LABEL_VALUES {
                return Err(DataError::LabelValues {
                    column: schema.label().to_string(),
                    path: table.path().to_path_buf(),
                    reason: format!("needs exactly two values, found over {MAX_LABEL_VALUES}"),
                });
            }
            for (g, &c) in gathered.iter_mut().zip(&columns.features) {
                let observed = rows.iter().filter(|r| !is_missing(schema, &chunk, r, c));
                match g {
                    Gathered::Numeric { count, sum } => {
                        for row in observed {
                            *sum += chunk.number(row, c)?;
                            *count += 1;
                        }
                    }
                    Gathered::Categorical(counts) => {
                        for row in observed {
                            match counts.get_mut(row.field(c)) {
                                Some(n) => *n += 1,
                                None => {
                                    counts.insert(row.field(c).to_string(), 1);
                                }
                            }
                        }
                    }
                    Gathered::Indicator(_) => {}
                }
            }
        }
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let label_values = label_values_of(schema, table.path(), &labels)?;
        let sensitive_levels = schema
            .sensitive()
            .iter()
            .zip(levels)
            .map(|(spec, seen)| match &spec.levels {
                Some(fixed) => fixed.clone(),
                None => seen.into_iter().collect(),
            })
            .collect();
        // Provisional standardisers (unit scale) until the second pass has the spreads.
        let features = schema
            .features()
            .iter()
            .zip(&gathered)
            .map(|(spec, g)| {
                Ok(match g {
                    Gathered::Numeric { count, sum } => {
                        let mean = sum / (*count).max(1) as f64;
                        FeatureEncoder::Numeric(Standardiser::from_moments(
                            spec.column.clone(),
                            *count,
                            mean,
                            0.0,
                        )?)
                    }
                    Gathered::Categorical(counts) => {
                        FeatureEncoder::Categorical(OneHot::from_sorted_counts(
                            &spec.column,
                            counts.iter().map(|(v, &n)| (v.as_str(), n)),
                        )?)
                    }
                    Gathered::Indicator(level) => FeatureEncoder::Indicator {
                        column: spec.column.clone(),
                        level: level.clone(),
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut encoder = Self {
            schema: schema.clone(),
            label_values,
            sensitive_levels,
            features,
        };
        encoder.second_pass(table)?;
        Ok(encoder)
    }

    /// Sums the squared deviations of every numeric column from its mean, sets the standard
    /// deviations, and checks every kept field as [`Encoder::fit`] does.
    fn second_pass(&mut self, table: &ChunkedTable) -> Result<()> {
        let mut squares = vec![(0usize, 0.0); self.features.len()];
        for chunk in table.chunks()? {
            let chunk = chunk?;
            let columns = Columns::resolve(&self.schema, &chunk, true)?;
            let rows = kept_rows(&self.schema, &chunk, &columns, self.schema.missing_policy())?;
            for ((f, &c), q) in self
                .features
                .iter()
                .zip(&columns.features)
                .zip(&mut squares)
            {
                if let FeatureEncoder::Numeric(s) = f {
                    for row in rows
                        .iter()
                        .filter(|r| !is_missing(&self.schema, &chunk, r, c))
                    {
                        q.0 += 1;
                        q.1 += (chunk.number(row, c)? - s.mean()).powi(2);
                    }
                }
            }
            if !rows.is_empty() {
                self.encode_rows(&chunk, &rows, &columns)?;
            }
        }
        for (f, (count, q)) in self.features.iter_mut().zip(squares) {
            if let FeatureEncoder::Numeric(s) = f {
                *s = Standardiser::from_moments(s.column().to_string(), count, s.mean(), q)?;
            }
        }
        Ok(())
    }

    /// Encodes one chunk as [`Encoder::transform`] does, or `None` when the missing-value
    /// policy drops every row of it (a whole table without rows is an error; a chunk is not).
    pub fn transform_chunk(&self, chunk: &RawTable) -> Result<Option<FairDataset>> {
        let columns = Columns::resolve(&self.schema, chunk, false)?;
        let rows = kept_rows(&self.schema, chunk, &columns, self.schema.missing_policy())?;
        if rows.is_empty() {
            return Ok(None);
        }
        self.transform(chunk).map(Some)
    }
}
