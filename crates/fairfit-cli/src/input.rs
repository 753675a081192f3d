//! Reading data files: the one place a file becomes a [`RawTable`] ([`read_table`]), the checks
//! that a schema fits a file (with file, line and column), and the seeded stratified split or the
//! separate train and test files every command takes.

use std::path::{Path, PathBuf};

use fairfit_data::schema::{split_raw, CsvOptions, Encoder, MissingPolicy, RawTable, Schema};
use fairfit_data::{DataError, FairDataset};

use crate::error::{BadLabel, CliError, Result};
use crate::schema_file::SchemaFile;

/// Reads a data file as text, every row keeping its line: plain CSV, gzip CSV or Parquet, told
/// apart by the file's first bytes ([`RawTable::open`]). Every command reads its data through
/// this function and nothing else.
pub fn read_table(path: &Path, options: &CsvOptions) -> Result<RawTable> {
    Ok(RawTable::open(path, options)?)
}

/// The CSV layout of the command line: a one-byte delimiter, a header line, trimmed fields.
pub fn csv_options(delimiter: char) -> Result<CsvOptions> {
    let byte = u8::try_from(delimiter)
        .ok()
        .filter(u8::is_ascii)
        .ok_or_else(|| {
            CliError::Usage(format!(
                "--delimiter `{delimiter}` is not one ASCII character"
            ))
        })?;
    Ok(CsvOptions::default().delimiter(byte))
}

/// A schema file and the data crate's schema made from it.
#[derive(Debug, Clone)]
pub struct LoadedSchema {
    /// The file as read.
    pub file: SchemaFile,
    /// The validated schema.
    pub schema: Schema,
}

impl LoadedSchema {
    /// Reads and validates a schema file.
    pub fn read(path: &Path) -> Result<Self> {
        let file = SchemaFile::read(path)?;
        let schema = file.to_schema().map_err(|message| CliError::SchemaFile {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message,
        })?;
        Ok(Self { file, schema })
    }

    /// Checks that the schema fits `table` (every column it names exists; every other column is
    /// named, unless the schema ignores others; every label value is one of the two, when the
    /// file names both), and leaves out rows with a missing value in a used column when the
    /// policy drops them, so that encoded rows and raw rows stay aligned. `need_label`: whether
    /// the label column must be present (not for scoring).
    pub fn prepare(&self, table: RawTable, need_label: bool) -> Result<RawTable> {
        let mut wanted = self.labelled_columns();
        if !need_label {
            wanted = self.schema.used_columns();
            wanted.retain(|c| *c != self.schema.label());
        }
        self.check_columns(table.path(), table.columns(), &wanted)?;
        if need_label {
            self.check_labels(&table)?;
        }
        if self.schema.missing_policy() != MissingPolicy::DropRow {
            return Ok(table);
        }
        let indices = wanted
            .iter()
            .map(|c| table.column_index(c))
            .collect::<fairfit_data::Result<Vec<_>>>()?;
        let schema = &self.schema;
        Ok(table.filter(|row| !indices.iter().any(|&i| schema.is_missing(row.field(i)))))
    }

    /// The columns a file (`path`, with `columns`) must have for this schema, including its
    /// weight column when the label is needed: every column in `wanted` exists, and every other
    /// column is named, unless the schema ignores others.
    pub fn check_columns(&self, path: &Path, columns: &[String], wanted: &[&str]) -> Result<()> {
        for column in wanted {
            if !columns.iter().any(|c| c == column) {
                return Err(CliError::Mismatch {
                    path: path.to_path_buf(),
                    message: format!(
                        "the schema names column `{column}`, which the file does not have (its columns: {})",
                        columns.join(", ")
                    ),
                });
            }
        }
        if !self.schema.ignores_others() {
            let known = |c: &String| {
                wanted.contains(&c.as_str())
                    || self.schema.ignored().contains(c)
                    || c == self.schema.label()
                    || self.file.weight.as_ref() == Some(c)
            };
            if let Some(extra) = columns.iter().find(|c| !known(c)) {
                return Err(CliError::Mismatch {
                    path: path.to_path_buf(),
                    message: format!(
                        "column `{extra}` is not in the schema: add it to `numeric`, `categorical` or `ignore`, or set `ignore_others = true`"
                    ),
                });
            }
        }
        Ok(())
    }

    /// The columns a labelled file needs: those the schema uses and its weight column.
    pub fn labelled_columns(&self) -> Vec<&str> {
        let mut wanted: Vec<&str> = self.schema.used_columns();
        if let Some(weight) = &self.file.weight {
            wanted.push(weight);
        }
        wanted
    }

    /// Every label value is the favourable or the unfavourable one (when the file names the
    /// latter); a missing marker is left to the missing-value policy.
    fn check_labels(&self, table: &RawTable) -> Result<()> {
        let Some(unfavourable) = &self.file.unfavourable else {
            return Ok(());
        };
        let favourable = self.schema.favourable();
        let label = table.column_index(self.schema.label())?;
        for row in table.rows() {
            let value = row.field(label);
            if value != favourable && value != unfavourable && !self.schema.is_missing(value) {
                return Err(CliError::LabelValue(Box::new(BadLabel {
                    position: table.position(row, Some(label)),
                    value: value.to_string(),
                    favourable: favourable.to_string(),
                    unfavourable: unfavourable.clone(),
                })));
            }
        }
        Ok(())
    }

    /// The weight column's values of `table` (prepared), when the schema names one.
    pub fn weights(&self, table: &RawTable) -> fairfit_data::Result<Option<Vec<f64>>> {
        let Some(weight) = &self.file.weight else {
            return Ok(None);
        };
        let column = table.column_index(weight)?;
        let values = table
            .rows()
            .iter()
            .map(|row| {
                let w = table.number(row, column)?;
                if w < 0.0 {
                    return Err(DataError::Parse {
                        position: table.position(row, Some(column)),
                        message: format!("weight {w} is negative"),
                    });
                }
                Ok(w)
            })
            .collect::<fairfit_data::Result<Vec<f64>>>()?;
        Ok(Some(values))
    }

    /// Encodes a prepared table with a fitted encoder, with the schema's weights.
    pub fn encode(&self, encoder: &Encoder, table: &RawTable) -> Result<FairDataset> {
        Ok(self.encode_weighted(encoder, table)?)
    }

    /// [`LoadedSchema::encode`] with the data crate's error, for a streamed fit's chunks.
    pub fn encode_weighted(
        &self,
        encoder: &Encoder,
        table: &RawTable,
    ) -> fairfit_data::Result<FairDataset> {
        let data = encoder.transform(table)?;
        match self.weights(table)? {
            None => Ok(data),
            Some(weights) => {
                if weights.len() != data.nrows() {
                    return Err(DataError::LengthMismatch {
                        what: format!(
                            "weights of {} (rows encoded against weights read)",
                            table.path().display()
                        ),
                        expected: data.nrows(),
                        found: weights.len(),
                    });
                }
                data.with_weights(weights.into_iter().collect())
            }
        }
    }

    /// One chunk of a streamed file made ready to encode, as [`LoadedSchema::prepare`] makes a
    /// whole file (its columns are checked once, by [`LoadedSchema::check_columns`]): every label
    /// value is one of the two, and under the drop-row policy rows with a missing value in a
    /// column the schema uses are left out. A missing weight is an error here, not a dropped
    /// row, so that the rows encoded are the rows [`Encoder::fit_chunks`] fitted on.
    pub fn prepare_chunk(&self, chunk: RawTable) -> fairfit_data::Result<RawTable> {
        if let Some(unfavourable) = &self.file.unfavourable {
            let label = chunk.column_index(self.schema.label())?;
            let favourable = self.schema.favourable();
            if let Some(row) = chunk.rows().iter().find(|row| {
                let v = row.field(label);
                v != favourable && v != unfavourable && !self.schema.is_missing(v)
            }) {
                return Err(DataError::UnknownLevel {
                    position: chunk.position(row, Some(label)),
                    value: row.field(label).to_string(),
                    known: vec![unfavourable.clone(), favourable.to_string()],
                });
            }
        }
        if self.schema.missing_policy() != MissingPolicy::DropRow {
            return Ok(chunk);
        }
        let indices = self
            .schema
            .used_columns()
            .iter()
            .map(|c| chunk.column_index(c))
            .collect::<fairfit_data::Result<Vec<_>>>()?;
        let schema = &self.schema;
        let keep: Vec<bool> = chunk
            .rows()
            .iter()
            .map(|row| {
                !indices
                    .iter()
                    .any(|&i| chunk.text(row, i).is_some_and(|f| schema.is_missing(f)))
            })
            .collect();
        let mut keep = keep.into_iter();
        Ok(chunk.filter(|_| keep.next().unwrap_or(true)))
    }
}

/// Where the training and test rows come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// One file, split (stratified by the first sensitive column × label, seeded).
    Split {
        /// The file.
        path: PathBuf,
        /// Share of rows held out for testing.
        test_fraction: f64,
        /// Seed of the split.
        seed: u64,
    },
    /// Separate files.
    Files {
        /// The training file.
        train: PathBuf,
        /// The test file.
        test: PathBuf,
    },
}

/// Training and test rows, raw and encoded by the encoder fitted on the training rows alone.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The schema.
    pub schema: LoadedSchema,
    /// The encoder, fitted on the training rows.
    pub encoder: Encoder,
    /// The raw training rows (prepared).
    pub train_raw: RawTable,
    /// The raw test rows (prepared).
    pub test_raw: RawTable,
    /// The encoded training rows.
    pub train: FairDataset,
    /// The encoded test rows.
    pub test: FairDataset,
}

impl Loaded {
    /// Reads, checks, splits and encodes.
    pub fn load(schema: LoadedSchema, source: &Source, options: &CsvOptions) -> Result<Self> {
        let (train_raw, test_raw) = match source {
            Source::Split {
                path,
                test_fraction,
                seed,
            } => {
                let table = schema.prepare(read_table(path, options)?, true)?;
                split_raw(&schema.schema, &table, *test_fraction, *seed)?
            }
            Source::Files { train, test } => (
                schema.prepare(read_table(train, options)?, true)?,
                schema.prepare(read_table(test, options)?, true)?,
            ),
        };
        let encoder = Encoder::fit(&schema.schema, &train_raw)?;
        let train = schema.encode(&encoder, &train_raw)?;
        let test = schema.encode(&encoder, &test_raw)?;
        Ok(Self {
            schema,
            encoder,
            train_raw,
            test_raw,
            train,
            test,
        })
    }
}
