//! [`ParquetWriter`]: writes a flat Parquet file a row group at a time (test fixtures, synthetic
//! data larger than memory, exports), snappy-compressed as pandas and Spark write by default.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, ConvertedType, Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::error::{DataError, Result};

/// The type of one Parquet column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParquetKind {
    /// 64-bit floats, never null.
    Double,
    /// 64-bit floats that may be null.
    NullableDouble,
    /// 64-bit integers, never null.
    Int64,
    /// UTF-8 strings that may be null.
    Text,
}

/// The values of one column in one row group.
#[derive(Debug, Clone, PartialEq)]
pub enum ParquetColumn {
    /// See [`ParquetKind::Double`].
    Double(Vec<f64>),
    /// See [`ParquetKind::NullableDouble`].
    NullableDouble(Vec<Option<f64>>),
    /// See [`ParquetKind::Int64`].
    Int64(Vec<i64>),
    /// See [`ParquetKind::Text`].
    Text(Vec<Option<String>>),
}

impl ParquetColumn {
    fn kind(&self) -> ParquetKind {
        match self {
            Self::Double(_) => ParquetKind::Double,
            Self::NullableDouble(_) => ParquetKind::NullableDouble,
            Self::Int64(_) => ParquetKind::Int64,
            Self::Text(_) => ParquetKind::Text,
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Double(v) => v.len(),
            Self::NullableDouble(v) => v.len(),
            Self::Int64(v) => v.len(),
            Self::Text(v) => v.len(),
        }
    }
}

/// A Parquet file being written, one row group per [`ParquetWriter::write`].
///
/// ```
/// use fairfit::data::schema::{CsvOptions, ParquetColumn, ParquetKind, ParquetWriter, RawTable};
/// let path = std::env::temp_dir().join("fairfit-writer-doc.parquet");
/// let mut writer = ParquetWriter::create(&path, &[("x", ParquetKind::Double), ("g", ParquetKind::Text)])?;
/// writer.write(&[
///     ParquetColumn::Double(vec![0.5, 2.0]),
///     ParquetColumn::Text(vec![Some("a".into()), None]),
/// ])?;
/// writer.finish()?;
/// let table = RawTable::open(&path, &CsvOptions::default())?;
/// assert_eq!(table.rows()[1].fields(), ["2", ""]); // the null is the default missing marker
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ParquetWriter {
    path: PathBuf,
    kinds: Vec<ParquetKind>,
    writer: SerializedFileWriter<File>,
}

impl ParquetWriter {
    /// Creates the file with these columns.
    pub fn create(path: impl AsRef<Path>, columns: &[(&str, ParquetKind)]) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let fields = columns
            .iter()
            .map(|&(name, kind)| {
                let (physical, repetition) = match kind {
                    ParquetKind::Double => (PhysicalType::DOUBLE, Repetition::REQUIRED),
                    ParquetKind::NullableDouble => (PhysicalType::DOUBLE, Repetition::OPTIONAL),
                    ParquetKind::Int64 => (PhysicalType::INT64, Repetition::REQUIRED),
                    ParquetKind::Text => (PhysicalType::BYTE_ARRAY, Repetition::OPTIONAL),
                };
                let mut builder =
                    Type::primitive_type_builder(name, physical).with_repetition(repetition);
                if kind == ParquetKind::Text {
                    builder = builder.with_converted_type(ConvertedType::UTF8);
                }
                builder.build().map(Arc::new)
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| write_error(&path, e))?;
        let schema = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
            .map_err(|e| write_error(&path, e))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_dictionary_enabled(false)
            .build();
        let file = File::create(&path).map_err(|source| DataError::Io {
            path: path.clone(),
            source,
        })?;
        let writer = SerializedFileWriter::new(file, Arc::new(schema), Arc::new(properties))
            .map_err(|e| write_error(&path, e))?;
        Ok(Self {
            path,
            kinds: columns.iter().map(|&(_, kind)| kind).collect(),
            writer,
        })
    }

    /// Writes one row group: one column of values per declared column, all of one length.
    pub fn write(&mut self, columns: &[ParquetColumn]) -> Result<()> {
        let kinds: Vec<ParquetKind> = columns.iter().map(ParquetColumn::kind).collect();
        if kinds != self.kinds {
            return Err(DataError::InvalidParameter {
                name: "columns",
                reason: format!("expected columns of kinds {:?}, got {kinds:?}", self.kinds),
            });
        }
        let n = columns.first().map_or(0, ParquetColumn::len);
        if let Some(bad) = columns.iter().find(|c| c.len() != n) {
            return Err(DataError::LengthMismatch {
                what: "a Parquet column of the row group".into(),
                expected: n,
                found: bad.len(),
            });
        }
        let path = self.path.clone();
        let error = |e| write_error(&path, e);
        let mut group = self.writer.next_row_group().map_err(error)?;
        for column in columns {
            let Some(mut writer) = group.next_column().map_err(error)? else {
                break;
            };
            match column {
                ParquetColumn::Double(values) => {
                    writer
                        .typed::<DoubleType>()
                        .write_batch(values, None, None)
                        .map_err(error)?;
                }
                ParquetColumn::NullableDouble(values) => {
                    let (present, levels) = split_nulls(values.iter().map(|v| v.as_ref()));
                    let present: Vec<f64> = present.into_iter().copied().collect();
                    writer
                        .typed::<DoubleType>()
                        .write_batch(&present, Some(&levels), None)
                        .map_err(error)?;
                }
                ParquetColumn::Int64(values) => {
                    writer
                        .typed::<Int64Type>()
                        .write_batch(values, None, None)
                        .map_err(error)?;
                }
                ParquetColumn::Text(values) => {
                    let (present, levels) = split_nulls(values.iter().map(|v| v.as_ref()));
                    let present: Vec<ByteArray> = present
                        .into_iter()
                        .map(|s| ByteArray::from(s.as_str()))
                        .collect();
                    writer
                        .typed::<ByteArrayType>()
                        .write_batch(&present, Some(&levels), None)
                        .map_err(error)?;
                }
            }
            writer.close().map_err(error)?;
        }
        group.close().map_err(error)?;
        Ok(())
    }

    /// Writes the footer and closes the file.
    pub fn finish(self) -> Result<()> {
        let path = self.path;
        self.writer
            .close()
            .map(|_| ())
            .map_err(|e| write_error(&path, e))
    }
}

/// The present values and the definition level of every cell (1 present, 0 null).
fn split_nulls<'v, T: 'v>(values: impl Iterator<Item = Option<&'v T>>) -> (Vec<&'v T>, Vec<i16>) {
    let mut present = Vec::new();
    let mut levels = Vec::new();
    for value in values {
        levels.push(i16::from(value.is_some()));
        present.extend(value);
    }
    (present, levels)
}

fn write_error(path: &Path, error: parquet::errors::ParquetError) -> DataError {
    DataError::format(
        path,
        "Parquet",
        None,
        None,
        format_args!("writing: {error}"),
    )
}
