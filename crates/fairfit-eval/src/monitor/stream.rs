//! The stream a monitor reads: [`StreamRecord`]s, from CSV or built in code.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::curve::io_error;
use crate::error::{EvalError, Result};

/// One scored decision of a deployed model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamRecord {
    /// When it happened (any unit; non-decreasing along the stream).
    pub time: f64,
    /// The model's score, or its 0/1 prediction.
    pub score: f64,
    /// The true outcome, when it is known.
    pub label: Option<bool>,
    /// The record's group.
    pub group: String,
}

/// Reads a stream from CSV with the columns `time`, `score` (or `prediction`), `label` (0, 1 or
/// empty when unknown; the column may be absent) and `group`, in any order. Times must be finite
/// and non-decreasing, scores finite; errors name the file, line and column.
pub fn read_stream(path: impl AsRef<Path>) -> Result<Vec<StreamRecord>> {
    let path = path.as_ref();
    let file = std::fs::File::open(path).map_err(io_error(path))?;
    read_stream_from(file, path.to_path_buf())
}

/// Reads a stream from any reader (see [`read_stream`]); `path` names it in errors.
pub fn read_stream_from<R: Read>(reader: R, path: PathBuf) -> Result<Vec<StreamRecord>> {
    let mut r = csv::Reader::from_reader(reader);
    let csv_err = |source| EvalError::Csv {
        path: path.clone(),
        source,
    };
    let parse = |line: u64, column: &str, message: String| EvalError::Parse {
        path: path.clone(),
        line,
        column: Some(column.to_string()),
        message,
    };
    let headers = r.headers().map_err(csv_err)?.clone();
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim()));
    let need = |names: &[&str]| {
        find(names).ok_or_else(|| EvalError::Parse {
            path: path.clone(),
            line: 1,
            column: None,
            message: format!("no `{}` column in {:?}", names.join("` or `"), headers),
        })
    };
    let (t_col, s_col, g_col) = (
        need(&["time"])?,
        need(&["score", "prediction"])?,
        need(&["group"])?,
    );
    let l_col = find(&["label"]);
    let mut out: Vec<StreamRecord> = Vec::new();
    for record in r.records() {
        let record = record.map_err(csv_err)?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let number = |i: usize, name: &str| -> Result<f64> {
            let v: f64 = field(i)
                .parse()
                .map_err(|_| parse(line, name, format!("`{}` is not a number", field(i))))?;
            if v.is_finite() {
                Ok(v)
            } else {
                Err(parse(
                    line,
                    name,
                    format!("non-finite value `{}`", field(i)),
                ))
            }
        };
        let time = number(t_col, "time")?;
        if let Some(prev) = out.last() {
            if time < prev.time {
                return Err(parse(
                    line,
                    "time",
                    format!(
                        "time {time} is earlier than the previous record's {}",
                        prev.time
                    ),
                ));
            }
        }
        let score = number(s_col, &headers[s_col])?;
        let label = match l_col.map(field) {
            None | Some("") => None,
            Some("1") | Some("1.0") | Some("true") => Some(true),
            Some("0") | Some("0.0") | Some("false") => Some(false),
            Some(other) => {
                return Err(parse(
                    line,
                    "label",
                    format!("label `{other}` is not 0, 1 or empty"),
                ))
            }
        };
        let group = field(g_col);
        if group.is_empty() {
            return Err(parse(line, "group", "empty group".into()));
        }
        out.push(StreamRecord {
            time,
            score,
            label,
            group: group.to_string(),
        });
    }
    Ok(out)
}
