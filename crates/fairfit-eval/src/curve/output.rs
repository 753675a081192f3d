//! Output shared by every table fairfit writes: aligned text columns and CSV / plain files.

use std::io::Write;
use std::path::Path;

use crate::error::{EvalError, Result};

/// Left-aligned text columns separated by two spaces, with a rule under the header row (the
/// first row); the layout of every text table fairfit prints.
pub fn aligned(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (k, row) in rows.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(s, &w)| format!("{s:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
        if k == 0 {
            let total = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
    }
    out
}

/// Maps an I/O failure on `path` to [`EvalError::Io`] naming it (for `map_err`).
pub(crate) fn io_error(path: &Path) -> impl Fn(std::io::Error) -> EvalError + '_ {
    move |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Maps a CSV failure on `path` to [`EvalError::Csv`] naming it (for `map_err`).
pub(crate) fn csv_error(path: &Path) -> impl Fn(csv::Error) -> EvalError + '_ {
    move |source| EvalError::Csv {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes rows of cells as CSV to `writer` and flushes it; `path` names the destination in
/// errors (`<memory>` for a buffer).
pub(crate) fn write_csv_records<W, I, R>(writer: W, path: &Path, rows: I) -> Result<()>
where
    W: Write,
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut w = csv::Writer::from_writer(writer);
    for row in rows {
        w.write_record(row).map_err(csv_error(path))?;
    }
    w.flush().map_err(io_error(path))
}

/// Writes rows of cells as a CSV file, creating its parent directories; errors name the path.
pub(crate) fn write_rows(path: &Path, rows: &[Vec<String>]) -> Result<()> {
    let mut bytes = Vec::new();
    write_csv_records(&mut bytes, path, rows)?;
    write_file(path, &bytes)
}

/// Writes bytes to a file, creating its parent directories; errors name the path.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io_error(path))?;
    }
    std::fs::write(path, bytes).map_err(io_error(path))
}
