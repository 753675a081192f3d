//! [`CsvRows`]: the data lines of a delimited text stream, one at a time, each with its exact
//! line number, holding only the bytes around the current record.
//!
//! The csv crate's line counter skips blank and comment lines, and a record's reported byte
//! offset is where the reader resumed (before any blank or comment lines it then skipped), so
//! line numbers are computed here: the bytes the csv reader pulls through [`Tracked`] are kept
//! in a [`Window`] from the last record on, and each record's offset is stepped over blank and
//! comment lines to its own first byte, counting line breaks on the way. A line ends at `\n`,
//! `\r\n` or a lone `\r` (old Mac files), as the csv crate reads them.

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::format::TableFormat;
use super::table::{unique_names, CsvOptions, RawRow};
use crate::error::{DataError, Position, Result};

/// Bytes read so far from `base` on, and the line breaks before `base`.
#[derive(Debug, Default)]
struct Window {
    bytes: Vec<u8>,
    /// Index in `bytes` of the absolute offset `base`.
    start: usize,
    base: u64,
    /// Line breaks at absolute offsets below `base`.
    breaks: u64,
}

impl Window {
    fn get(&self, offset: u64) -> Option<u8> {
        let i = usize::try_from(offset.checked_sub(self.base)?).ok()? + self.start;
        self.bytes.get(i).copied()
    }

    fn is_break(&self, offset: u64) -> bool {
        match self.get(offset) {
            Some(b'\n') => true,
            Some(b'\r') => self.get(offset + 1) != Some(b'\n'),
            _ => false,
        }
    }

    /// The 1-based line of the record the csv reader resumed at `offset` to read; forgets the
    /// bytes before it (offsets only grow).
    fn line_of(&mut self, offset: u64, comment: Option<u8>) -> u64 {
        let mut at = offset.max(self.base);
        while let Some(b) = self.get(at) {
            if b == b'\n' || b == b'\r' {
                at += 1;
            } else if Some(b) == comment {
                at += 1;
                while let Some(c) = self.get(at) {
                    at += 1;
                    if c == b'\n' {
                        break;
                    }
                }
            } else {
                break;
            }
        }
        for o in self.base..at {
            if self.is_break(o) {
                self.breaks += 1;
            }
        }
        self.start += (at - self.base) as usize;
        self.base = at;
        // Compact now and then, so the window stays about one read buffer long.
        if self.start > 1 << 16 && self.start * 2 > self.bytes.len() {
            self.bytes.drain(..self.start);
            self.start = 0;
        }
        self.breaks + 1
    }
}

/// A reader that copies what it reads into the shared window.
struct Tracked<R> {
    inner: R,
    window: Arc<Mutex<Window>>,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.window
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .bytes
            .extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// The data rows of a delimited text stream, read one at a time.
pub(super) struct CsvRows<R> {
    reader: csv::Reader<Tracked<R>>,
    window: Arc<Mutex<Window>>,
    record: csv::StringRecord,
    path: PathBuf,
    format: TableFormat,
    columns: Vec<String>,
    comment: Option<u8>,
}

impl<R: Read> CsvRows<R> {
    /// Starts reading: the header line (unless the options name the columns) is read now.
    pub(super) fn new(
        reader: R,
        path: PathBuf,
        format: TableFormat,
        options: &CsvOptions,
    ) -> Result<Self> {
        let window = Arc::new(Mutex::new(Window::default()));
        let tracked = Tracked {
            inner: reader,
            window: Arc::clone(&window),
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(options.delimiter)
            .has_headers(options.columns.is_none())
            .flexible(true)
            .comment(options.comment)
            .trim(if options.trim {
                csv::Trim::All
            } else {
                csv::Trim::None
            })
            .from_reader(tracked);
        let columns = match &options.columns {
            Some(columns) => columns.clone(),
            None => match reader.headers() {
                Ok(header) => unique_names(header.iter()),
                Err(e) => return Err(csv_error(&path, format, e)),
            },
        };
        if columns.is_empty() {
            return Err(DataError::Empty(format!(
                "{} has no columns",
                path.display()
            )));
        }
        Ok(Self {
            reader,
            window,
            record: csv::StringRecord::new(),
            path,
            format,
            columns,
            comment: options.comment,
        })
    }

    /// The column names, in file order.
    pub(super) fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The next data row (lines of blanks are skipped), or `None` at the end.
    pub(super) fn next_row(&mut self) -> Result<Option<RawRow>> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return Ok(None),
                Err(e) => return Err(csv_error(&self.path, self.format, e)),
            }
            let line = match self.record.position() {
                Some(p) => self
                    .window
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .line_of(p.byte(), self.comment),
                None => 0,
            };
            if self.record.len() == 1 && self.record.get(0) == Some("") {
                continue; // a line of blanks
            }
            if self.record.len() != self.columns.len() {
                return Err(DataError::Ragged {
                    position: Position {
                        path: self.path.clone(),
                        line,
                        column: None,
                    },
                    expected: self.columns.len(),
                    found: self.record.len(),
                });
            }
            return Ok(Some(RawRow::new(
                line,
                self.record.iter().map(str::to_string).collect(),
            )));
        }
    }
}

/// A csv error; a failed read of a gzip stream is a [`DataError::Format`] (the stream is
/// corrupt or truncated), with the line the csv reader had reached.
fn csv_error(path: &std::path::Path, format: TableFormat, source: csv::Error) -> DataError {
    if let (TableFormat::GzipCsv, csv::ErrorKind::Io(io)) = (format, source.kind()) {
        let line = source.position().map(|p| p.line());
        return DataError::format(path, format.name(), line, None, io);
    }
    DataError::Csv {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` through a reader that hands out `step` bytes at a time, so records and
    /// line breaks (`\r\n` too) straddle the reads.
    fn lines(text: &str, step: usize, options: &CsvOptions) -> Vec<(u64, String)> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut rows = CsvRows::new(
            Trickle(text.as_bytes(), step),
            "t.csv".into(),
            TableFormat::Csv,
            options,
        )
        .unwrap();
        let mut out = Vec::new();
        while let Some(row) = rows.next_row().unwrap() {
            out.push((row.line(), row.field(0).to_string()));
        }
        out
    }

    #[test]
    fn line_numbers_survive_any_read_size() {
        let text = "a,b\r\n1,x\r\n\r\n2,y\r3,z\n\n\n#c\n4,\"q\nr\"\n5,w";
        let options = CsvOptions::default().comment(b'#');
        let expected: Vec<(u64, String)> = [(2, "1"), (4, "2"), (5, "3"), (9, "4"), (11, "5")]
            .iter()
            .map(|&(l, f)| (l, f.to_string()))
            .collect();
        for step in [1, 2, 3, 7, 4096] {
            assert_eq!(lines(text, step, &options), expected, "step {step}");
        }
    }
}
