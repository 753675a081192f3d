//! Schema-driven loading of a user's own data file, and the encoders it fits.
//!
//! Three steps, each its own type: read the file as text ([`RawTable`], which remembers every
//! row's line; plain or gzip CSV or Parquet, see [`TableFormat`]; [`ChunkedTable`] reads a file
//! larger than memory a chunk of rows at a time), say what the columns mean ([`Schema`], validated by [`SchemaBuilder`]), and fit
//! the encodings on training rows ([`Encoder`]: [`Standardiser`] for numbers, [`OneHot`] for
//! categories, imputation statistics) to apply them unchanged to test and new data. The reference
//! loaders use the same three steps. One file that is to be split into train and test goes
//! through [`load_split`], which splits the raw rows (stratified by group × label, seeded)
//! *before* the encoder is fitted, so the test rows never inform the encoding.
//!
//! ```
//! use fairfit::data::schema::{CsvOptions, Encoder, MissingPolicy, RawTable, Schema};
//! let csv = "age,sex,y\n20,F,1\n?,M,1\n40,M,0\n";
//! let table = RawTable::from_reader(csv.as_bytes(), "people.csv", &CsvOptions::default())?;
//! let schema = Schema::builder()
//!     .label("y", "1")
//!     .sensitive("sex")
//!     .numeric(&["age"])
//!     .missing("?", MissingPolicy::DropRow)
//!     .build()?;
//! let (encoder, data) = Encoder::fit_transform(&schema, &table)?;
//! assert_eq!(data.nrows(), 2);
//! assert_eq!(data.records().column(0).to_vec(), [-1.0, 1.0]);
//! assert_eq!(encoder.sensitive_levels()[0], ["F", "M"]);
//! # Ok::<(), fairfit::data::DataError>(())
//! ```

mod chunked;
mod columns;
mod csv_rows;
mod encoder;
mod format;
mod one_hot;
mod parquet_rows;
mod parquet_write;
mod spec;
mod standardiser;
mod stratify;
mod table;

pub use chunked::{ChunkedTable, Chunks};
pub use encoder::{Encoder, FeatureEncoder};
pub use format::TableFormat;
pub use one_hot::OneHot;
pub use parquet_write::{ParquetColumn, ParquetKind, ParquetWriter};
pub use spec::{
    FeatureKind, FeatureSpec, MissingPolicy, Schema, SchemaBuilder, SensitiveSpec, UnseenCategory,
};
pub use standardiser::Standardiser;
pub use stratify::{load_split, raw_strata, split_raw};
pub use table::{CsvOptions, RawRow, RawTable};

use std::path::Path;

use crate::error::Result;
use crate::split::TrainTest;

/// Reads a training and a test file laid out alike, fits the schema on the training file only
/// and encodes both: the whole loading path for a user's own data in one call.
pub fn load_train_test(
    schema: &Schema,
    train: impl AsRef<Path>,
    test: impl AsRef<Path>,
    options: &CsvOptions,
) -> Result<(Encoder, TrainTest)> {
    let train = RawTable::read(train, options)?;
    let test = RawTable::read(test, options)?;
    encode_split(schema, &train, &test)
}

/// Fits the encoder on the raw training rows alone and encodes both parts with it, so the test
/// rows never inform the encoding.
pub(crate) fn encode_split(
    schema: &Schema,
    train: &RawTable,
    test: &RawTable,
) -> Result<(Encoder, TrainTest)> {
    let encoder = Encoder::fit(schema, train)?;
    let split = TrainTest {
        train: encoder.transform(train)?,
        test: encoder.transform(test)?,
    };
    Ok((encoder, split))
}

#[cfg(test)]
mod chunks_tests;
#[cfg(test)]
mod tests;
