//! [`ParquetRows`]: the rows of a Parquet file as text cells, read a batch at a time through
//! the column readers (one row group's column chunks open at once, never the whole file).
//!
//! Every cell becomes the text a CSV file would hold, so the [`Schema`](super::Schema) reads
//! both alike: integers in decimal (a DECIMAL column with its scale), floats in the shortest
//! form that reads back to the same value, booleans as `true`/`false`, UTF-8 strings as they
//! are, and a null as the options' null marker. Nested and repeated columns, INT96 timestamps
//! and fixed-length binary have no such text and are a [`DataError::Format`].
//!
//! Numeric columns a reader is asked for ([`ChunkedTable::numbers`](super::ChunkedTable::numbers))
//! skip the text: their cells go straight into `f64`, with the value the text would parse to
//! (an integer rounded as parsing rounds it, a decimal divided by its exact power of ten, a
//! FLOAT through its shortest decimal form). The column buffers are reused from batch to batch.

use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{ConvertedType, LogicalType, Type as PhysicalType};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType};
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
    /// For each column read as numbers, its place in each row's numbers.
    numeric: Vec<Option<usize>>,
    /// Column buffers, reused from batch to batch.
    buffers: Buffers,
}

/// The values and definition levels of one column's batch, kept between batches.
#[derive(Default)]
struct Buffers {
    levels: Vec<i16>,
    bools: Vec<bool>,
    ints: Vec<i32>,
    longs: Vec<i64>,
    floats: Vec<f32>,
    doubles: Vec<f64>,
    bytes: Vec<ByteArray>,
    /// A FLOAT's shortest decimal text.
    text: String,
}

/// A cell as a row holds it.
enum Cell {
    Text(String),
    Number(f64),
}

impl ParquetRows {
    /// Opens the file and checks its schema: flat columns of types that have a text form. The
    /// columns named in `numbers` that the file stores as numbers are read as numbers.
    pub(super) fn open(path: &Path, null_marker: &str, numbers: &[String]) -> Result<Self> {
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
        let mut width = 0;
        let numeric = columns
            .iter()
            .zip(&descriptors)
            .map(|(name, d)| {
                let is_number = matches!(
                    d.physical_type(),
                    PhysicalType::INT32
                        | PhysicalType::INT64
                        | PhysicalType::FLOAT
                        | PhysicalType::DOUBLE
                );
                if !(is_number && numbers.contains(name)) {
                    return None;
                }
                width += 1;
                Some(width - 1)
            })
            .collect();
        Ok(Self {
            path: path.to_path_buf(),
            file: Arc::new(file),
            columns,
            descriptors,
            null_marker: null_marker.to_string(),
            next_group: 0,
            group: None,
            emitted: 0,
            numeric,
            buffers: Buffers::default(),
        })
    }

    /// For each column read as numbers, its place in each row's numbers.
    pub(super) fn numeric(&self) -> &[Option<usize>] {
        &self.numeric
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
            let width = self.numeric.iter().flatten().count();
            let mut cells: Vec<(Vec<String>, Vec<Option<f64>>)> = (0..take)
                .map(|_| {
                    (
                        Vec::with_capacity(self.columns.len()),
                        Vec::with_capacity(width),
                    )
                })
                .collect();
            let first = self.emitted + 1;
            for (c, reader) in group.readers.iter_mut().enumerate() {
                let column = Column {
                    descriptor: &self.descriptors[c],
                    null: &self.null_marker,
                    numbers: self.numeric[c].is_some(),
                };
                read_cells(reader, &column, take, &mut self.buffers, &mut cells).map_err(
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
                cells
                    .into_iter()
                    .zip(first..)
                    .map(|((fields, numbers), line)| {
                        if width == 0 {
                            RawRow::new(line, fields)
                        } else {
                            RawRow::with_numbers(line, fields, numbers)
                        }
                    }),
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

/// One column as a batch reads it.
struct Column<'a> {
    descriptor: &'a ColumnDescPtr,
    null: &'a str,
    /// Whether its cells go straight into numbers.
    numbers: bool,
}

/// Exact powers of ten (`10^k` for `k ≤ 22` is an `f64` without rounding).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Integers below this in magnitude are `f64`s without rounding.
const EXACT_INTEGERS: u64 = 1 << 53;

/// `value × 10^-scale` as the `f64` its decimal text parses to: with both factors exact, one
/// correctly rounded division gives the nearest `f64`, as parsing does; otherwise parse.
fn integer_number(value: i64, scale: u32) -> f64 {
    if scale == 0 {
        return value as f64; // rounds to nearest, ties to even, as parsing does
    }
    match POW10.get(scale as usize) {
        Some(&power) if value.unsigned_abs() < EXACT_INTEGERS => value as f64 / power,
        _ => integer_text(value, scale)
            .parse()
            .expect("an integer's decimal text is a number"),
    }
}

/// Reads `take` cells of one column and appends them to each row (text, or a number).
fn read_cells(
    reader: &mut ColumnReader,
    column: &Column<'_>,
    take: usize,
    buffers: &mut Buffers,
    rows: &mut [(Vec<String>, Vec<Option<f64>>)],
) -> std::result::Result<(), String> {
    let scale = decimal_scale(column.descriptor);
    let numbers = column.numbers;
    let Buffers {
        levels,
        bools,
        ints,
        longs,
        floats,
        doubles,
        bytes,
        text,
    } = buffers;
    match reader {
        ColumnReader::BoolColumnReader(r) => {
            read_typed(r, column, take, levels, bools, rows, |v| {
                Ok(Cell::Text(v.to_string()))
            })
        }
        ColumnReader::Int32ColumnReader(r) => {
            read_typed(r, column, take, levels, ints, rows, |v| {
                Ok(if numbers {
                    Cell::Number(integer_number(i64::from(*v), scale))
                } else {
                    Cell::Text(integer_text(i64::from(*v), scale))
                })
            })
        }
        ColumnReader::Int64ColumnReader(r) => {
            read_typed(r, column, take, levels, longs, rows, |v| {
                Ok(if numbers {
                    Cell::Number(integer_number(*v, scale))
                } else {
                    Cell::Text(integer_text(*v, scale))
                })
            })
        }
        ColumnReader::FloatColumnReader(r) => {
            read_typed(r, column, take, levels, floats, rows, |v| {
                if !numbers {
                    return Ok(Cell::Text(v.to_string()));
                }
                // The value its text parses to (not the wider f64 of the same binary value).
                text.clear();
                write!(text, "{v}").map_err(|e| e.to_string())?;
                Ok(Cell::Number(
                    text.parse()
                        .map_err(|_| format!("`{text}` is not a number"))?,
                ))
            })
        }
        ColumnReader::DoubleColumnReader(r) => {
            read_typed(r, column, take, levels, doubles, rows, |v| {
                Ok(if numbers {
                    Cell::Number(*v)
                } else {
                    Cell::Text(v.to_string())
                })
            })
        }
        ColumnReader::ByteArrayColumnReader(r) => {
            read_typed(r, column, take, levels, bytes, rows, |v| {
                v.as_utf8()
                    .map(|s| Cell::Text(s.to_string()))
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
    column: &Column<'_>,
    take: usize,
    levels: &mut Vec<i16>,
    values: &mut Vec<T::T>,
    rows: &mut [(Vec<String>, Vec<Option<f64>>)],
    mut cell: impl FnMut(&T::T) -> std::result::Result<Cell, String>,
) -> std::result::Result<(), String> {
    let max_def = column.descriptor.max_def_level();
    values.clear();
    levels.clear();
    let mut read = 0;
    while read < take {
        let (records, _, _) = reader
            .read_records(
                take - read,
                (max_def > 0).then_some(&mut *levels),
                None,
                values,
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
    for (i, (fields, numbers)) in rows.iter_mut().enumerate() {
        let present = max_def == 0 || levels.get(i) == Some(&max_def);
        if !present {
            fields.push(column.null.to_string());
            if column.numbers {
                numbers.push(None);
            }
            continue;
        }
        let value = next
            .next()
            .ok_or_else(|| "fewer values than definition levels".to_string())?;
        match cell(value)? {
            Cell::Text(text) => fields.push(text),
            Cell::Number(number) => {
                fields.push(String::new());
                numbers.push(Some(number));
            }
        }
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

    #[test]
    fn numbers_are_what_their_text_parses_to() {
        for (value, scale) in [
            (-1234, 2),
            (5, 3),
            (7, 0),
            (i64::MAX, 0),
            (i64::MIN, 4),
            (123_456_789_123, 7),
            (1 << 53, 2),
            (3, 25),
            ((1 << 53) - 1, 22),
        ] {
            let parsed: f64 = integer_text(value, scale).parse().unwrap();
            assert_eq!(
                integer_number(value, scale).to_bits(),
                parsed.to_bits(),
                "{value} scale {scale}"
            );
        }
    }
}
