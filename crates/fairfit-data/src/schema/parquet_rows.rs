//! [`ParquetRows`]: the rows of a Parquet file as text cells, read a batch at a time through
//! the column readers (one row group's column chunks open at once, never the whole file).
//!
//! Every cell becomes the text a CSV file would hold, so the [`Schema`](super::Schema) reads
//! both alike: integers in decimal (a DECIMAL column with its scale), floats in the shortest
//! form that reads back to the same value, booleans as `true`/`false`, UTF-8 strings as they
//! are, and a null as the options' null marker. Nested and repeated columns, INT96 timestamps
//! and fixed-length binary have no such text and are a [`DataError::Format`].

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{ConvertedType, LogicalType, Type as PhysicalType};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::DataType;
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::schema::types::ColumnDescPtr;

use super::table::{unique_names, RawRow};
use crate::error::{DataError, Result};

const FORMAT: &str = "Parquet";

/// The column readers of the open row group and how many of its rows are still unread.
struct Group {
    readers: Vec<ColumnReader>,
    left: usize,
}

/// The rows of a Parquet file, a batch at a time.
pub(super) struct ParquetRows {
    path: PathBuf,
    file: Arc<SerializedFileReader<File>>,
    columns: Vec<String>,
    descriptors: Vec<ColumnDescPtr>,
    null_marker: String,
    next_group: usize,
    group: Option<Group>,
    /// Rows handed out so far (the next row's number is one more).
    emitted: u64,
}

impl ParquetRows {
    /// Opens the file and checks its schema: flat columns of types that have a text form.
    pub(super) fn open(path: &Path, null_marker: &str) -> Result<Self> {
        let file = File::open(path).map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let file =
            SerializedFileReader::new(file).map_err(|e| format_error(path, None, None, e))?;
        let schema = file.metadata().file_metadata().schema_descr_ptr();
        let descriptors: Vec<ColumnDescPtr> = (0..schema.num_columns())
            .map(|i| schema.column(i))
            .collect();
        for d in &descriptors {
            let unsupported = |what: &str| {
                Err(DataError::format(
                    path,
                    FORMAT,
                    None,
                    Some(&d.path().string()),
                    format!("{what} columns are not supported; store it as a flat column of numbers or strings"),
                ))
            };
            if d.max_rep_level() > 0 || d.path().parts().len() > 1 {
                return unsupported("nested or repeated");
            }
            match d.physical_type() {
                PhysicalType::INT96 => return unsupported("INT96 timestamp"),
                PhysicalType::FIXED_LEN_BYTE_ARRAY => return unsupported("fixed-length binary"),
                _ => {}
            }
        }
        let columns = unique_names(descriptors.iter().map(|d| d.name()));
        if columns.is_empty() {
            return Err(DataError::Empty(format!(
                "{} has no columns",
                path.display()
            )));
        }
        Ok(Self {
            path: path.to_path_buf(),
            file: Arc::new(file),
            columns,
            descriptors,
            null_marker: null_marker.to_string(),
            next_group: 0,
            group: None,
            emitted: 0,
        })
    }

    /// The column names, in file order.
    pub(super) fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Up to `max` further rows (fewer only at the end of the file; none after it).
    pub(super) fn next_rows(&mut self, max: usize) -> Result<Vec<RawRow>> {
        let mut rows: Vec<RawRow> = Vec::new();
        while rows.len() < max {
            if !self.open_group()? {
                break;
            }
            let mut group = self
                .group
                .take()
                .expect("open_group just opened a row group");
            let take = group.left.min(max - rows.len());
            let mut fields: Vec<Vec<String>> = (0..take)
                .map(|_| Vec::with_capacity(self.columns.len()))
                .collect();
            let first = self.emitted + 1;
            for (c, reader) in group.readers.iter_mut().enumerate() {
                let descriptor = &self.descriptors[c];
                read_cells(reader, descriptor, take, &self.null_marker, &mut fields).map_err(
                    |message| {
                        DataError::format(
                            &self.path,
                            FORMAT,
                            Some(first),
                            Some(&self.columns[c]),
                            message,
                        )
                    },
                )?;
            }
            group.left -= take;
            if group.left > 0 {
                self.group = Some(group);
            }
            rows.extend(
                fields
                    .into_iter()
                    .zip(first..)
                    .map(|(fields, line)| RawRow::new(line, fields)),
            );
            self.emitted += take as u64;
        }
        Ok(rows)
    }

    /// Opens the next non-empty row group unless one is being read; `false` at the end.
    fn open_group(&mut self) -> Result<bool> {
        while self.group.is_none() && self.next_group < self.file.num_row_groups() {
            let i = self.next_group;
            self.next_group += 1;
            let row = Some(self.emitted + 1);
            let reader = self
                .file
                .get_row_group(i)
                .map_err(|e| format_error(&self.path, row, None, e))?;
            let left = usize::try_from(reader.metadata().num_rows()).unwrap_or(0);
            if left == 0 {
                continue;
            }
            let readers = (0..self.columns.len())
                .map(|c| {
                    reader
                        .get_column_reader(c)
                        .map_err(|e| format_error(&self.path, row, Some(&self.columns[c]), e))
                })
                .collect::<Result<Vec<_>>>()?;
            self.group = Some(Group { readers, left });
        }
        Ok(self.group.is_some())
    }
}

fn format_error(
    path: &Path,
    row: Option<u64>,
    column: Option<&str>,
    error: parquet::errors::ParquetError,
) -> DataError {
    DataError::format(path, FORMAT, row, column, error)
}

/// Reads `take` cells of one column and appends their text to each row's fields.
fn read_cells(
    reader: &mut ColumnReader,
    descriptor: &ColumnDescPtr,
    take: usize,
    null: &str,
    rows: &mut [Vec<String>],
) -> std::result::Result<(), String> {
    let scale = decimal_scale(descriptor);
    match reader {
        ColumnReader::BoolColumnReader(r) => {
            read_typed(r, descriptor, take, null, rows, |v| Ok(v.to_string()))
        }
        ColumnReader::Int32ColumnReader(r) => read_typed(r, descriptor, take, null, rows, |v| {
            Ok(integer_text(i64::from(*v), scale))
        }),
        ColumnReader::Int64ColumnReader(r) => read_typed(r, descriptor, take, null, rows, |v| {
            Ok(integer_text(*v, scale))
        }),
        ColumnReader::FloatColumnReader(r) => {
            read_typed(r, descriptor, take, null, rows, |v| Ok(v.to_string()))
        }
        ColumnReader::DoubleColumnReader(r) => {
            read_typed(r, descriptor, take, null, rows, |v| Ok(v.to_string()))
        }
        ColumnReader::ByteArrayColumnReader(r) => {
            read_typed(r, descriptor, take, null, rows, |v| {
                v.as_utf8()
                    .map(str::to_string)
                    .map_err(|_| "a string cell is not valid UTF-8".to_string())
            })
        }
        ColumnReader::Int96ColumnReader(_) | ColumnReader::FixedLenByteArrayColumnReader(_) => {
            Err("this column type has no text form".into())
        }
    }
}

/// The scale of a DECIMAL integer column (0 for any other column).
fn decimal_scale(descriptor: &ColumnDescPtr) -> u32 {
    let decimal = matches!(descriptor.logical_type(), Some(LogicalType::Decimal { .. }))
        || descriptor.converted_type() == ConvertedType::DECIMAL;
    if decimal {
        u32::try_from(descriptor.type_scale()).unwrap_or(0)
    } else {
        0
    }
}

/// `value × 10^-scale` written exactly (`-1234`, scale 2 → `-12.34`).
fn integer_text(value: i64, scale: u32) -> String {
    if scale == 0 {
        return value.to_string();
    }
    let digits = value.unsigned_abs().to_string();
    let scale = scale as usize;
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{whole}.{fraction}")
}

fn read_typed<T: DataType>(
    reader: &mut ColumnReaderImpl<T>,
    descriptor: &ColumnDescPtr,
    take: usize,
    null: &str,
    rows: &mut [Vec<String>],
    text: impl Fn(&T::T) -> std::result::Result<String, String>,
) -> std::result::Result<(), String> {
    let max_def = descriptor.max_def_level();
    let mut values: Vec<T::T> = Vec::with_capacity(take);
    let mut levels: Vec<i16> = Vec::with_capacity(take);
    let mut read = 0;
    while read < take {
        let (records, _, _) = reader
            .read_records(
                take - read,
                (max_def > 0).then_some(&mut levels),
                None,
                &mut values,
            )
            .map_err(|e| e.to_string())?;
        if records == 0 {
            return Err(format!(
                "the column chunk ends after {read} of the {take} rows its row group declares"
            ));
        }
        read += records;
    }
    let mut next = values.iter();
    for (i, row) in rows.iter_mut().enumerate() {
        let present = max_def == 0 || levels.get(i) == Some(&max_def);
        let cell = if present {
            let value = next
                .next()
                .ok_or_else(|| "fewer values than definition levels".to_string())?;
            text(value)?
        } else {
            null.to_string()
        };
        row.push(cell);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_exactly() {
        assert_eq!(integer_text(-1234, 2), "-12.34");
        assert_eq!(integer_text(5, 3), "0.005");
        assert_eq!(integer_text(i64::MIN, 0), i64::MIN.to_string());
        assert_eq!(integer_text(7, 0), "7");
    }
}
