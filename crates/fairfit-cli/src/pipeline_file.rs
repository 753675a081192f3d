//! Loading a saved pipeline and preparing records for it, so scored rows keep their lines.

use std::path::Path;

use fairfit_data::schema::{CsvOptions, RawTable};
use fairfit_train::{FittedLogistic, FittedPipeline};

use crate::error::{CliError, Result};
use crate::input::{read_table, LoadedSchema};
use crate::schema_file::SchemaFile;

/// A pipeline of fairfit's logistic regression, as `fairfit train` writes it.
pub type Pipeline = FittedPipeline<FittedLogistic>;

/// Reads a pipeline file.
pub fn load(path: &Path) -> Result<Pipeline> {
    let text = std::fs::read_to_string(path).map_err(CliError::io(path))?;
    Pipeline::from_json(&text).map_err(CliError::pipeline(path))
}

/// Reads `data` and checks it against the pipeline's schema (the label is needed only when
/// `need_label`); rows the schema's policy drops are left out here, so every remaining raw row
/// is one scored row. `weight`: a column of row weights the file must have (read by
/// [`LoadedSchema::encode`]).
pub fn records(
    pipeline: &Pipeline,
    data: &Path,
    options: &CsvOptions,
    need_label: bool,
    weight: Option<String>,
) -> Result<(LoadedSchema, RawTable)> {
    let schema = pipeline.encoder().schema().clone();
    let loaded = LoadedSchema {
        file: SchemaFile::from_schema(&schema, None, weight),
        schema,
    };
    let table = loaded.prepare(read_table(data, options)?, need_label)?;
    Ok((loaded, table))
}
