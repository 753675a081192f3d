//! [`TableFormat`]: which of the readable formats a data file is in, told by its first bytes.

use std::io::Read;
use std::path::Path;

use crate::error::{DataError, Result};

/// The first two bytes of every gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// The first (and last) four bytes of every Parquet file.
const PARQUET_MAGIC: [u8; 4] = *b"PAR1";

/// The file formats a [`RawTable`](super::RawTable) or a [`ChunkedTable`](super::ChunkedTable)
/// reads: delimited text, the same gzip-compressed, and Parquet.
///
/// [`TableFormat::detect`] reads the first bytes (gzip and Parquet announce themselves), so a
/// file needs no particular name; a name that promises a format the bytes do not have (`.gz`,
/// `.parquet`) is a [`DataError::Format`] rather than a file read as CSV.
///
/// ```
/// use fairfit::data::schema::TableFormat;
/// let dir = std::env::temp_dir().join("fairfit-format-doc");
/// std::fs::create_dir_all(&dir)?;
/// let csv = dir.join("plain.txt");
/// std::fs::write(&csv, "x,y\n1,2\n")?;
/// assert_eq!(TableFormat::detect(&csv)?, TableFormat::Csv);
/// let fake = dir.join("fake.csv.gz");
/// std::fs::write(&fake, "x,y\n1,2\n")?;
/// assert!(TableFormat::detect(&fake).is_err()); // named gzip, but it is not
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableFormat {
    /// Delimited text, laid out as its [`CsvOptions`](super::CsvOptions) say.
    Csv,
    /// Delimited text compressed with gzip (`.csv.gz`); concatenated members are read in turn.
    GzipCsv,
    /// Apache Parquet: flat columns of booleans, integers, floats or UTF-8 strings; every cell
    /// becomes the text a CSV file would hold, and a null becomes the options' null marker.
    Parquet,
}

impl TableFormat {
    /// The format of the file at `path`, from its first bytes; the name is only checked
    /// against them.
    pub fn detect(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let io = |source| DataError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut head = Vec::with_capacity(4);
        std::fs::File::open(path)
            .map_err(io)?
            .take(4)
            .read_to_end(&mut head)
            .map_err(io)?;
        let detected = if head.starts_with(&GZIP_MAGIC) {
            Self::GzipCsv
        } else if head.starts_with(&PARQUET_MAGIC) {
            Self::Parquet
        } else {
            Self::Csv
        };
        let named = Self::from_name(path);
        match named {
            Some(named) if named != detected => Err(DataError::format(
                path,
                named.name(),
                None,
                None,
                format!(
                    "the name says {} but the first bytes {head:02x?} are not its signature",
                    named.name()
                ),
            )),
            _ => Ok(detected),
        }
    }

    /// The format a file name promises (`.gz`, `.parquet`/`.parq`), if any.
    fn from_name(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "gz" | "gzip" => Some(Self::GzipCsv),
            "parquet" | "parq" => Some(Self::Parquet),
            _ => None,
        }
    }

    /// A short name for messages: `CSV`, `gzip CSV`, `Parquet`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Csv => "CSV",
            Self::GzipCsv => "gzip CSV",
            Self::Parquet => "Parquet",
        }
    }
}

impl std::fmt::Display for TableFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
