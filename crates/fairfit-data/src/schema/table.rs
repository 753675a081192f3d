//! [`RawTable`]: a data file read as strings (delimited text, gzip or Parquet), every row
//! remembering its line.
//!
//! Loading is two steps: read the file as text ([`RawTable`]), then interpret it by a
//! [`Schema`](super::Schema) through a fitted [`Encoder`](super::Encoder). Keeping the text
//! step separate lets loaders filter, split or derive columns before encoding (the reference
//! protocols do all three) while every later error still names file, line and column.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::chunked::ChunkedTable;
use super::csv_rows::CsvRows;
use super::format::TableFormat;
use crate::error::{DataError, Position, Result};

/// How a delimited text file is laid out.
///
/// ```
/// use fairfit::data::schema::CsvOptions;
/// let opts = CsvOptions::default().delimiter(b' ').no_headers(&["a", "b"]);
/// assert_eq!(opts.columns(), Some(&["a".to_string(), "b".to_string()][..]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    pub(super) delimiter: u8,
    pub(super) columns: Option<Vec<String>>,
    pub(super) comment: Option<u8>,
    pub(super) trim: bool,
    pub(super) null_marker: String,
}

impl Default for CsvOptions {
    /// Comma separated, first line is the header, no comment lines, fields trimmed.
    fn default() -> Self {
        Self {
            delimiter: b',',
            columns: None,
            comment: None,
            trim: true,
            null_marker: String::new(),
        }
    }
}

impl CsvOptions {
    /// The field separator (default `,`).
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// The file has no header line; these are its column names, in order.
    pub fn no_headers<S: AsRef<str>>(mut self, columns: &[S]) -> Self {
        self.columns = Some(columns.iter().map(|c| c.as_ref().to_string()).collect());
        self
    }

    /// Lines starting with this byte are skipped (e.g. `b'|'` for Adult's test file).
    pub fn comment(mut self, comment: u8) -> Self {
        self.comment = Some(comment);
        self
    }

    /// Whether leading and trailing whitespace is trimmed from fields (default `true`).
    pub fn trim(mut self, trim: bool) -> Self {
        self.trim = trim;
        self
    }

    /// The text a Parquet null becomes (default empty, the schema's default missing marker);
    /// set it to the schema's marker when the schema uses another one.
    pub fn null_marker(mut self, marker: &str) -> Self {
        self.null_marker = marker.to_string();
        self
    }

    /// The column names given by [`CsvOptions::no_headers`], if any.
    pub fn columns(&self) -> Option<&[String]> {
        self.columns.as_deref()
    }
}

/// One data line of a [`RawTable`]: its 1-based line number in the file and its fields.
#[derive(Debug, Clone)]
pub struct RawRow {
    line: u64,
    fields: Vec<String>,
    /// The cells read straight into numbers, in the order of the table's numeric columns
    /// (`None` for a null, whose field holds the null marker); empty for text rows.
    numbers: Vec<Option<f64>>,
}

/// Rows are equal when their lines, fields and numbers (bit for bit) are.
impl PartialEq for RawRow {
    fn eq(&self, other: &Self) -> bool {
        let bits = |n: &Option<f64>| n.map(f64::to_bits);
        self.line == other.line
            && self.fields == other.fields
            && self
                .numbers
                .iter()
                .map(bits)
                .eq(other.numbers.iter().map(bits))
    }
}

impl Eq for RawRow {}

impl RawRow {
    pub(super) fn new(line: u64, fields: Vec<String>) -> Self {
        Self {
            line,
            fields,
            numbers: Vec::new(),
        }
    }

    /// A row whose numeric columns were read as numbers (their fields are empty, or the null
    /// marker for a null).
    pub(super) fn with_numbers(line: u64, fields: Vec<String>, numbers: Vec<Option<f64>>) -> Self {
        Self {
            line,
            fields,
            numbers,
        }
    }

    /// The 1-based line number in the source file (for Parquet, the 1-based row number).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The field in column `index` (column indices come from [`RawTable::column_index`]). A
    /// cell read straight into a number has no text (see [`RawTable::text`]): its field is empty.
    pub fn field(&self, index: usize) -> &str {
        self.fields.get(index).map(String::as_str).unwrap_or("")
    }

    /// All fields, in column order.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }
}

/// A delimited text file as strings: column names and rows, each row with its line number.
///
/// Duplicate header names are made unique the way pandas does (`priors_count`,
/// `priors_count.1`), so every column can be named. Blank lines are skipped. A row with a
/// different number of fields than the header is a [`DataError::Ragged`] naming its line.
///
/// ```
/// use fairfit::data::schema::{CsvOptions, RawTable};
/// let text = "x,y\n1,a\n\n2,b\n";
/// let table = RawTable::from_reader(text.as_bytes(), "inline.csv", &CsvOptions::default())?;
/// assert_eq!(table.columns(), ["x", "y"]);
/// assert_eq!(table.len(), 2);
/// assert_eq!(table.rows()[1].line(), 4);
/// assert!(RawTable::from_reader("x,y\n1\n".as_bytes(), "bad.csv", &CsvOptions::default()).is_err());
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTable {
    path: PathBuf,
    columns: Vec<String>,
    rows: Vec<RawRow>,
    /// For each column read straight into numbers, its place in every row's numbers (empty
    /// when every column is text).
    numeric: Vec<Option<usize>>,
}

impl RawTable {
    /// Reads a file of any [`TableFormat`] (told by its first bytes): plain or gzip-compressed
    /// delimited text laid out as `options` say, or Parquet. For a file larger than memory, read
    /// it in chunks with [`ChunkedTable`] instead.
    ///
    /// ```
    /// use fairfit::data::schema::{CsvOptions, RawTable};
    /// let path = std::env::temp_dir().join("fairfit-open-doc.csv");
    /// std::fs::write(&path, "x,y\n1,a\n2,b\n")?;
    /// let table = RawTable::open(&path, &CsvOptions::default())?;
    /// assert_eq!((table.columns().len(), table.len(), table.rows()[1].line()), (2, 2, 3));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>, options: &CsvOptions) -> Result<Self> {
        let chunked = ChunkedTable::open(path, options, usize::MAX)?;
        let mut rows = Vec::new();
        for chunk in chunked.chunks()? {
            rows.extend(chunk?.rows);
        }
        Ok(Self::from_rows(
            chunked.path().to_path_buf(),
            chunked.columns().to_vec(),
            rows,
        ))
    }

    /// Reads a delimited text file (see [`RawTable::open`] for gzip and Parquet).
    pub fn read(path: impl AsRef<Path>, options: &CsvOptions) -> Result<Self> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_reader(std::io::BufReader::new(file), path, options)
    }

    /// Reads delimited text from any reader; `source` names it in error messages.
    pub fn from_reader<R: Read>(
        reader: R,
        source: impl Into<PathBuf>,
        options: &CsvOptions,
    ) -> Result<Self> {
        let path = source.into();
        let mut csv = CsvRows::new(reader, path.clone(), TableFormat::Csv, options)?;
        let mut rows = Vec::new();
        while let Some(row) = csv.next_row()? {
            rows.push(row);
        }
        Ok(Self::from_rows(path, csv.columns().to_vec(), rows))
    }

    /// A table from its parts (the readers build one per file or per chunk).
    pub(super) fn from_rows(path: PathBuf, columns: Vec<String>, rows: Vec<RawRow>) -> Self {
        Self {
            path,
            columns,
            rows,
            numeric: Vec::new(),
        }
    }

    /// Marks the columns whose cells the rows hold as numbers (`numeric[c]`: the place of
    /// column `c` in each row's numbers).
    pub(super) fn with_numeric(mut self, numeric: Vec<Option<usize>>) -> Self {
        self.numeric = numeric;
        self
    }

    /// The number a row holds for a column read straight into numbers: `None` for a text
    /// column, `Some(None)` for a null.
    fn typed(&self, row: &RawRow, column: usize) -> Option<Option<f64>> {
        let place = self.numeric.get(column).copied().flatten()?;
        row.numbers.get(place).copied()
    }

    /// A field as text, or `None` when it was read straight into a number (a numeric Parquet
    /// column of a [`ChunkedTable::numbers`] chunk; read it with [`RawTable::number`]). A null
    /// is the null marker's text, as in every other column.
    pub fn text<'r>(&self, row: &'r RawRow, column: usize) -> Option<&'r str> {
        match self.typed(row, column) {
            Some(Some(_)) => None,
            _ => Some(row.field(column)),
        }
    }

    /// The file the table was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The column names, in file order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The data rows.
    pub fn rows(&self) -> &[RawRow] {
        &self.rows
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no data rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The index of the named column, or [`DataError::UnknownColumn`] naming the file.
    pub fn column_index(&self, name: &str) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| DataError::UnknownColumn {
                name: name.to_string(),
                context: self.path.display().to_string(),
            })
    }

    /// The position of a field, for error messages.
    pub fn position(&self, row: &RawRow, column: Option<usize>) -> Position {
        Position {
            path: self.path.clone(),
            line: row.line,
            column: column.and_then(|c| self.columns.get(c).cloned()),
        }
    }

    /// A field as a finite number, or a [`DataError::Parse`] naming file, line and column
    /// (`NaN` and infinities are rejected too).
    pub fn number(&self, row: &RawRow, column: usize) -> Result<f64> {
        if let Some(Some(value)) = self.typed(row, column) {
            if value.is_finite() {
                return Ok(value);
            }
            return Err(DataError::Parse {
                position: self.position(row, Some(column)),
                message: format!("`{value}` is not a finite number"),
            });
        }
        let field = row.field(column);
        let message = match field.parse::<f64>() {
            Ok(v) if v.is_finite() => return Ok(v),
            Ok(_) => format!("`{field}` is not a finite number"),
            Err(_) => format!("`{field}` is not a number"),
        };
        Err(DataError::Parse {
            position: self.position(row, Some(column)),
            message,
        })
    }

    /// Keeps the rows for which `keep` returns `true` (line numbers are kept).
    pub fn filter(mut self, mut keep: impl FnMut(&RawRow) -> bool) -> Self {
        self.rows.retain(|row| keep(row));
        self
    }

    /// Keeps the rows for which `keep` returns `Ok(true)`; the first error stops the filter
    /// (use [`RawTable::position`] to say where).
    pub fn try_filter(mut self, mut keep: impl FnMut(&RawRow) -> Result<bool>) -> Result<Self> {
        let flags = self
            .rows
            .iter()
            .map(&mut keep)
            .collect::<Result<Vec<_>>>()?;
        let mut flags = flags.into_iter();
        self.rows.retain(|_| flags.next().unwrap_or(false));
        Ok(self)
    }

    /// The rows at these indices, in this order (e.g. one part of a
    /// [`StratifiedSplit`](crate::split::StratifiedSplit)); an index out of range is an error.
    pub fn select(&self, rows: &[usize]) -> Result<Self> {
        let rows = rows
            .iter()
            .map(|&r| {
                self.rows
                    .get(r)
                    .cloned()
                    .ok_or_else(|| DataError::InvalidParameter {
                        name: "rows",
                        reason: format!("row {r} is out of range for {} rows", self.rows.len()),
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            path: self.path.clone(),
            columns: self.columns.clone(),
            rows,
            numeric: self.numeric.clone(),
        })
    }

    /// Splits the rows in two: those for which `first` returns `true`, and the rest.
    pub fn partition(self, mut first: impl FnMut(&RawRow) -> bool) -> (Self, Self) {
        let (a, b): (Vec<RawRow>, Vec<RawRow>) = self.rows.into_iter().partition(|r| first(r));
        let with_rows = |rows| Self {
            path: self.path.clone(),
            columns: self.columns.clone(),
            rows,
            numeric: self.numeric.clone(),
        };
        (with_rows(a), with_rows(b))
    }

    /// Rewrites every field of the named column (a column read straight into numbers is
    /// refused: it has no text to rewrite).
    pub fn map_column(&mut self, name: &str, mut f: impl FnMut(&str) -> String) -> Result<()> {
        let index = self.column_index(name)?;
        if self.numeric.get(index).is_some_and(Option::is_some) {
            return Err(DataError::InvalidParameter {
                name: "name",
                reason: format!(
                    "column `{name}` of {} was read as numbers, not text",
                    self.path.display()
                ),
            });
        }
        for row in &mut self.rows {
            row.fields[index] = f(&row.fields[index]);
        }
        Ok(())
    }

    /// Appends a column computed from each row (e.g. a sensitive attribute derived from a code).
    /// The closure may fail with a typed error; [`RawTable::position`] helps it say where.
    pub fn add_column(
        &mut self,
        name: &str,
        mut f: impl FnMut(&RawRow) -> Result<String>,
    ) -> Result<()> {
        if self.columns.iter().any(|c| c == name) {
            return Err(DataError::InvalidParameter {
                name: "name",
                reason: format!("column `{name}` already exists in {}", self.path.display()),
            });
        }
        let values = self.rows.iter().map(&mut f).collect::<Result<Vec<_>>>()?;
        for (row, value) in self.rows.iter_mut().zip(values) {
            row.fields.push(value);
        }
        self.columns.push(name.to_string());
        Ok(())
    }
}

/// Makes header names unique: the k-th repeat of `name` becomes `name.k` (as pandas does).
pub(super) fn unique_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let mut candidate = name.to_string();
        let mut k = 0;
        while out.contains(&candidate) {
            k += 1;
            candidate = format!("{name}.{k}");
        }
        out.push(candidate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_duplicate_headers_and_keeps_line_numbers() {
        let text = "a,b,a\n1,2,3\n\n4,5,6\n";
        let t = RawTable::from_reader(text.as_bytes(), "t.csv", &CsvOptions::default()).unwrap();
        assert_eq!(t.columns(), ["a", "b", "a.1"]);
        assert_eq!(
            t.rows().iter().map(RawRow::line).collect::<Vec<_>>(),
            [2, 4]
        );
        assert_eq!(t.rows()[1].field(2), "6");
    }

    #[test]
    fn ragged_row_names_file_and_line() {
        let text = "a,b\n1,2\n3,4\n5\n";
        let err =
            RawTable::from_reader(text.as_bytes(), "r.csv", &CsvOptions::default()).unwrap_err();
        match err {
            DataError::Ragged {
                position,
                expected: 2,
                found: 1,
            } => {
                assert_eq!(position.line, 4);
                assert_eq!(position.path, PathBuf::from("r.csv"));
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn comment_lines_are_skipped_but_counted() {
        let text = "|header junk\n1, x\n2, y\n";
        let opts = CsvOptions::default().comment(b'|').no_headers(&["n", "s"]);
        let t = RawTable::from_reader(text.as_bytes(), "c.csv", &opts).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.rows()[0].line(), 2);
        assert_eq!(t.rows()[0].field(1), "x");
    }

    #[test]
    fn derived_columns_filter_and_partition() {
        let text = "n\n1\n2\n3\n";
        let mut t =
            RawTable::from_reader(text.as_bytes(), "d.csv", &CsvOptions::default()).unwrap();
        t.add_column("odd", |r| Ok((r.field(0) != "2").to_string()))
            .unwrap();
        assert!(t.add_column("n", |_| Ok(String::new())).is_err());
        let (odd, even) = t.clone().partition(|r| r.field(1) == "true");
        assert_eq!((odd.len(), even.len()), (2, 1));
        assert_eq!(t.select(&[2, 0]).unwrap().rows()[0].line(), 4);
        assert!(t.select(&[3]).is_err());
        assert_eq!(t.filter(|r| r.field(0) == "3").rows()[0].line(), 4);
    }
}
