//! [`ChunkedTable`]: a data file read in chunks of rows, one pass at a time, for data larger
//! than memory.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use super::csv_rows::CsvRows;
use super::format::TableFormat;
use super::parquet_rows::ParquetRows;
use super::spec::{FeatureKind, Schema};
use super::table::{CsvOptions, RawRow, RawTable};
use crate::error::{DataError, Result};

/// Rows per chunk that [`RawTable::open`] reads at most ahead of its own growing table.
const FIRST_CAPACITY: usize = 1 << 16;

/// A data file of any [`TableFormat`] read in chunks of at most `chunk_rows` rows: each chunk a
/// [`RawTable`] whose rows keep their file lines (so every later error still names file, line
/// and column), each call of [`ChunkedTable::chunks`] a fresh pass from the first row. Only one
/// chunk (and, for Parquet, one row group's compressed column chunks) is held at a time.
///
/// ```
/// use fairfit::data::schema::{ChunkedTable, CsvOptions};
/// let path = std::env::temp_dir().join("fairfit-chunked-doc.csv");
/// std::fs::write(&path, "x,y\n1,a\n2,b\n3,c\n")?;
/// let table = ChunkedTable::open(&path, &CsvOptions::default(), 2)?;
/// let sizes: Vec<usize> = table.chunks()?.map(|c| c.map(|c| c.len())).collect::<Result<_, _>>()?;
/// assert_eq!(sizes, [2, 1]);
/// let last = table.chunks()?.last().expect("two chunks")?; // a second pass
/// assert_eq!(last.rows()[0].line(), 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkedTable {
    path: PathBuf,
    options: CsvOptions,
    format: TableFormat,
    chunk_rows: usize,
    columns: Vec<String>,
    /// Columns to read straight into numbers where the file stores numbers.
    numbers: Vec<String>,
}

impl ChunkedTable {
    /// Opens a file: detects its format, reads its column names and checks that it can be
    /// read (header, gzip signature, Parquet footer and schema). `chunk_rows` must be positive.
    pub fn open(path: impl AsRef<Path>, options: &CsvOptions, chunk_rows: usize) -> Result<Self> {
        if chunk_rows == 0 {
            return Err(DataError::InvalidParameter {
                name: "chunk_rows",
                reason: "a chunk needs at least one row".into(),
            });
        }
        let path = path.as_ref().to_path_buf();
        let format = TableFormat::detect(&path)?;
        let mut table = Self {
            path,
            options: options.clone(),
            format,
            chunk_rows,
            columns: Vec::new(),
            numbers: Vec::new(),
        };
        table.columns = match table.reader()? {
            Rows::Csv(csv) => csv.columns().to_vec(),
            Rows::Parquet(parquet) => parquet.columns().to_vec(),
        };
        Ok(table)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its format.
    pub fn format(&self) -> TableFormat {
        self.format
    }

    /// The column names, in file order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The most rows a chunk holds.
    pub fn chunk_rows(&self) -> usize {
        self.chunk_rows
    }

    /// The same file with these columns read straight into `f64` where it stores them as
    /// numbers (Parquet INT32, INT64, FLOAT, DOUBLE; a null stays the null marker's text), with
    /// no trip through text; every other column, and every CSV column, stays text. The values
    /// are those the text would give ([`RawTable::number`] reads both), so results do not
    /// change; such a cell has no text ([`RawTable::text`]). Names the file lacks are skipped.
    pub fn numbers<S: AsRef<str>>(mut self, columns: &[S]) -> Self {
        self.numbers = columns
            .iter()
            .map(|c| c.as_ref().to_string())
            .filter(|c| self.columns.contains(c))
            .collect();
        self
    }

    /// [`ChunkedTable::numbers`] of the schema's numeric features: what an [`Encoder`] reads
    /// as numbers.
    ///
    /// [`Encoder`]: super::Encoder
    pub fn numbers_for(self, schema: &Schema) -> Self {
        let numeric: Vec<&str> = schema
            .features()
            .iter()
            .filter(|f| f.kind == FeatureKind::Numeric)
            .map(|f| f.column.as_str())
            .collect();
        self.numbers(&numeric)
    }

    /// A pass over the file from its first row: an iterator of chunks, ending after the first
    /// error.
    pub fn chunks(&self) -> Result<Chunks<'_>> {
        Ok(Chunks {
            table: self,
            rows: Some(self.reader()?),
        })
    }

    fn reader(&self) -> Result<Rows> {
        let open = || {
            File::open(&self.path).map_err(|source| DataError::Io {
                path: self.path.clone(),
                source,
            })
        };
        let text: Box<dyn Read + Send> = match self.format {
            TableFormat::Csv => Box::new(BufReader::new(open()?)),
            TableFormat::GzipCsv => {
                Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(open()?)))
            }
            TableFormat::Parquet => {
                return Ok(Rows::Parquet(ParquetRows::open(
                    &self.path,
                    &self.options.null_marker,
                    &self.numbers,
                )?))
            }
        };
        Ok(Rows::Csv(CsvRows::new(
            text,
            self.path.clone(),
            self.format,
            &self.options,
        )?))
    }
}

/// Where a pass reads its rows from.
enum Rows {
    Csv(CsvRows<Box<dyn Read + Send>>),
    Parquet(ParquetRows),
}

/// One pass over a [`ChunkedTable`]: chunks of at most [`ChunkedTable::chunk_rows`] rows, in
/// file order.
pub struct Chunks<'t> {
    table: &'t ChunkedTable,
    /// `None` once the file is exhausted or an error was returned.
    rows: Option<Rows>,
}

impl Chunks<'_> {
    fn next_chunk(&mut self) -> Result<Option<RawTable>> {
        let n = self.table.chunk_rows;
        let mut numeric = Vec::new();
        let rows: Vec<RawRow> = match &mut self.rows {
            None => return Ok(None),
            Some(Rows::Parquet(parquet)) => {
                numeric = parquet.numeric().to_vec();
                parquet.next_rows(n)?
            }
            Some(Rows::Csv(csv)) => {
                let mut rows = Vec::with_capacity(n.min(FIRST_CAPACITY));
                while rows.len() < n {
                    match csv.next_row()? {
                        Some(row) => rows.push(row),
                        None => break,
                    }
                }
                rows
            }
        };
        if rows.is_empty() {
            self.rows = None;
            return Ok(None);
        }
        Ok(Some(
            RawTable::from_rows(self.table.path.clone(), self.table.columns.clone(), rows)
                .with_numeric(numeric),
        ))
    }
}

impl Iterator for Chunks<'_> {
    type Item = Result<RawTable>;

    fn next(&mut self) -> Option<Self::Item> {
        let next = self.next_chunk();
        if next.is_err() {
            self.rows = None;
        }
        next.transpose()
    }
}
