//! CSV form of a [`TradeoffCurve`]: one row per point, columns in a stable order.
//!
//! Columns: `method`, one `param.<name>` per parameter (in order of first appearance),
//! `fit_seconds`, then for each split (train, validation, test) and each metric on it (in order
//! of first appearance) `<split>.<metric>`, followed by `<split>.<metric>.lower`,
//! `<split>.<metric>.upper` and `<split>.<metric>.level` when any point has an interval for it.
//! A point without a value leaves its cell empty. Numbers are written in Rust's shortest
//! round-trip form, so reading a file back gives exactly the same values. The CSV keeps an
//! interval's ends and level, not its [`Replicates`](crate::Replicates) counts (JSON keeps
//! those).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::{io_error, write_csv_records, CurvePoint, Split, TradeoffCurve};
use crate::error::{EvalError, Result};
use crate::estimate::{Estimate, Interval};

/// One column of the CSV form.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Method,
    Param(String),
    FitSeconds,
    Value(Split, String),
    Lower(Split, String),
    Upper(Split, String),
    Level(Split, String),
}

impl Column {
    fn header(&self) -> String {
        match self {
            Column::Method => "method".into(),
            Column::Param(name) => format!("param.{name}"),
            Column::FitSeconds => "fit_seconds".into(),
            Column::Value(s, m) => format!("{s}.{m}"),
            Column::Lower(s, m) => format!("{s}.{m}.lower"),
            Column::Upper(s, m) => format!("{s}.{m}.upper"),
            Column::Level(s, m) => format!("{s}.{m}.level"),
        }
    }

    fn parse(header: &str) -> std::result::Result<Self, String> {
        match header {
            "method" => return Ok(Column::Method),
            "fit_seconds" => return Ok(Column::FitSeconds),
            _ => {}
        }
        let (head, rest) = header
            .split_once('.')
            .ok_or_else(|| format!("unknown column `{header}`"))?;
        if head == "param" {
            return Ok(Column::Param(rest.to_string()));
        }
        let split: Split = head.parse()?;
        let parts: Vec<&str> = rest.split('.').collect();
        match parts.as_slice() {
            [m] => Ok(Column::Value(split, m.to_string())),
            [m, "lower"] => Ok(Column::Lower(split, m.to_string())),
            [m, "upper"] => Ok(Column::Upper(split, m.to_string())),
            [m, "level"] => Ok(Column::Level(split, m.to_string())),
            _ => Err(format!("unknown column `{header}`")),
        }
    }
}

fn push_unique(columns: &mut Vec<Column>, column: Column) {
    if !columns.contains(&column) {
        columns.push(column);
    }
}

/// The columns of a curve, in their stable order.
fn columns(curve: &TradeoffCurve) -> Vec<Column> {
    let mut cols = vec![Column::Method];
    for p in curve.points() {
        for param in p.params() {
            push_unique(&mut cols, Column::Param(param.name.clone()));
        }
    }
    cols.push(Column::FitSeconds);
    for split in Split::ALL {
        let mut metrics: Vec<&str> = Vec::new();
        for p in curve.points() {
            for m in p.metrics(split) {
                if !metrics.contains(&m.name.as_str()) {
                    metrics.push(&m.name);
                }
            }
        }
        for m in metrics {
            cols.push(Column::Value(split, m.to_string()));
            let has_interval = curve
                .points()
                .iter()
                .any(|p| p.metric(split, m).is_some_and(|e| e.interval.is_some()));
            if has_interval {
                cols.push(Column::Lower(split, m.to_string()));
                cols.push(Column::Upper(split, m.to_string()));
                cols.push(Column::Level(split, m.to_string()));
            }
        }
    }
    cols
}

/// Formats a number so that parsing it gives the same `f64` (shortest round-trip form).
pub(crate) fn number(v: f64) -> String {
    format!("{v:?}")
}

fn cell(point: &CurvePoint, column: &Column) -> String {
    let opt = |v: Option<f64>| v.map(number).unwrap_or_default();
    let interval = |s: &Split, m: &str| point.metric(*s, m).and_then(|e| e.interval);
    match column {
        Column::Method => point.method().to_string(),
        Column::Param(name) => opt(point.param(name)),
        Column::FitSeconds => opt(point.fit_seconds()),
        Column::Value(s, m) => opt(point.metric(*s, m).map(|e| e.value)),
        Column::Lower(s, m) => opt(interval(s, m).map(|i| i.lower)),
        Column::Upper(s, m) => opt(interval(s, m).map(|i| i.upper)),
        Column::Level(s, m) => opt(interval(s, m).map(|i| i.level)),
    }
}

impl TradeoffCurve {
    /// Writes the curve as CSV to any writer (see the module docs for the columns).
    ///
    /// ```
    /// use fairfit::eval::curve::{CurvePoint, Split, TradeoffCurve};
    /// use fairfit::eval::{Estimate, Interval};
    /// let acc = Estimate::with_interval(0.85, Interval::new(0.84, 0.86, 0.95));
    /// let curve = TradeoffCurve::from_points(vec![CurvePoint::new("baseline")
    ///     .with_param("lambda", 0.0)
    ///     .with_metric(Split::Test, "accuracy", acc)])?;
    /// let mut out = Vec::new();
    /// curve.write_csv_to(&mut out)?;
    /// assert_eq!(
    ///     String::from_utf8(out).unwrap(),
    ///     "method,param.lambda,fit_seconds,test.accuracy,test.accuracy.lower,test.accuracy.upper,\
    ///      test.accuracy.level\nbaseline,0.0,,0.85,0.84,0.86,0.95\n"
    /// );
    /// # Ok::<(), fairfit::eval::EvalError>(())
    /// ```
    pub fn write_csv_to<W: Write>(&self, writer: W) -> Result<()> {
        self.write_csv_inner(writer, Path::new("<memory>"))
    }

    /// Writes the curve as CSV to a file, creating its parent directories.
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let mut bytes = Vec::new();
        self.write_csv_inner(&mut bytes, path)?;
        super::write_file(path, &bytes)
    }

    fn write_csv_inner<W: Write>(&self, writer: W, path: &Path) -> Result<()> {
        let cols = columns(self);
        let header: Vec<String> = cols.iter().map(Column::header).collect();
        let rows = self
            .points()
            .iter()
            .map(|p| cols.iter().map(|c| cell(p, c)).collect::<Vec<String>>());
        write_csv_records(writer, path, std::iter::once(header).chain(rows))
    }

    /// Reads a curve from CSV written by [`TradeoffCurve::write_csv`]; errors name the line and
    /// column.
    pub fn read_csv(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(io_error(path))?;
        read_csv_inner(file, path.to_path_buf())
    }

    /// Reads a curve from CSV in any reader (see [`TradeoffCurve::read_csv`]).
    pub fn read_csv_from<R: Read>(reader: R) -> Result<Self> {
        read_csv_inner(reader, PathBuf::from("<memory>"))
    }
}

fn read_csv_inner<R: Read>(reader: R, path: PathBuf) -> Result<TradeoffCurve> {
    let mut r = csv::Reader::from_reader(reader);
    let parse_err = |line: u64, column: Option<String>, message: String| EvalError::Parse {
        path: path.clone(),
        line,
        column,
        message,
    };
    let headers = r
        .headers()
        .map_err(|source| EvalError::Csv {
            path: path.clone(),
            source,
        })?
        .clone();
    let cols = headers
        .iter()
        .map(|h| Column::parse(h).map_err(|m| parse_err(1, Some(h.to_string()), m)))
        .collect::<Result<Vec<_>>>()?;
    if !cols.contains(&Column::Method) {
        return Err(parse_err(1, None, "no `method` column".into()));
    }
    let mut curve = TradeoffCurve::new();
    for record in r.records() {
        let record = record.map_err(|source| EvalError::Csv {
            path: path.clone(),
            source,
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let mut point = CurvePoint::new("");
        // (split, metric) -> (value, lower, upper, level) gathered before building estimates.
        let mut parts: Vec<(Split, String, [Option<f64>; 4])> = Vec::new();
        for (col, field) in cols.iter().zip(record.iter()) {
            if *col == Column::Method {
                point.method = field.to_string();
                continue;
            }
            if field.is_empty() {
                continue;
            }
            let value: f64 = field.parse().map_err(|_| {
                parse_err(
                    line,
                    Some(col.header()),
                    format!("`{field}` is not a number"),
                )
            })?;
            if !value.is_finite() {
                return Err(parse_err(
                    line,
                    Some(col.header()),
                    format!("non-finite value `{field}`"),
                ));
            }
            let mut slot = |split: Split, metric: &str, k: usize| match parts
                .iter_mut()
                .find(|(s, m, _)| *s == split && m == metric)
            {
                Some((_, _, v)) => v[k] = Some(value),
                None => {
                    let mut v = [None; 4];
                    v[k] = Some(value);
                    parts.push((split, metric.to_string(), v));
                }
            };
            match col {
                Column::Method => {}
                Column::Param(name) => point = point.with_param(name.clone(), value),
                Column::FitSeconds => point = point.with_fit_seconds(value),
                Column::Value(s, m) => slot(*s, m, 0),
                Column::Lower(s, m) => slot(*s, m, 1),
                Column::Upper(s, m) => slot(*s, m, 2),
                Column::Level(s, m) => slot(*s, m, 3),
            }
        }
        for (split, metric, [value, lower, upper, level]) in parts {
            let column = Some(format!("{split}.{metric}"));
            let value = value.ok_or_else(|| {
                parse_err(line, column.clone(), "interval without a value".into())
            })?;
            let interval = match (lower, upper, level) {
                (Some(lower), Some(upper), Some(level)) => Some(Interval::new(lower, upper, level)),
                (None, None, None) => None,
                _ => {
                    return Err(parse_err(
                        line,
                        column,
                        "an interval needs its lower end, upper end and level".into(),
                    ))
                }
            };
            point = point.with_metric(split, metric, Estimate { value, interval });
        }
        curve
            .push(point)
            .map_err(|e| parse_err(line, None, e.to_string()))?;
    }
    Ok(curve)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::names;

    fn sample() -> TradeoffCurve {
        TradeoffCurve::from_points(vec![
            CurvePoint::new("penalty")
                .with_param("lambda", 0.1)
                .with_fit_seconds(0.123456789)
                .with_metric(Split::Train, names::ACCURACY, 0.8512345678901234)
                .with_metric(Split::Test, names::ACCURACY, 0.1 + 0.2)
                .with_metric(
                    Split::Test,
                    names::DP_DIFFERENCE,
                    Estimate::with_interval(1e-7, Interval::new(0.0, 3.3e-7, 0.9)),
                ),
            CurvePoint::new("threshold, per group")
                .with_param("epsilon", 0.02)
                .with_metric(Split::Validation, names::ACCURACY, 2.0 / 3.0)
                .with_metric(Split::Test, names::ACCURACY, 0.7)
                .with_metric(Split::Test, names::DP_DIFFERENCE, 0.015),
        ])
        .unwrap()
    }

    #[test]
    fn csv_has_stable_columns_and_round_trips_exact_values() {
        let curve = sample();
        let mut out = Vec::new();
        curve.write_csv_to(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "method,param.lambda,param.epsilon,fit_seconds,train.accuracy,validation.accuracy,\
             test.accuracy,test.dp_difference,test.dp_difference.lower,test.dp_difference.upper,\
             test.dp_difference.level"
        );
        assert_eq!(
            lines[1],
            "penalty,0.1,,0.123456789,0.8512345678901234,,0.30000000000000004,1e-7,0.0,3.3e-7,0.9"
        );
        assert_eq!(
            lines[2],
            "\"threshold, per group\",,0.02,,,0.6666666666666666,0.7,0.015,,,"
        );
        let back = TradeoffCurve::read_csv_from(text.as_bytes()).unwrap();
        assert_eq!(
            back, curve,
            "every value, interval and absence must survive"
        );
        assert_eq!(
            back.points()[0]
                .metric(Split::Test, names::ACCURACY)
                .unwrap()
                .value,
            0.1 + 0.2
        );
    }

    #[test]
    fn file_round_trip_and_errors_name_line_and_column() {
        let dir = std::env::temp_dir().join(format!("fairfit-curve-{}", std::process::id()));
        let path = dir.join("nested/curve.csv");
        sample().write_csv(&path).unwrap();
        assert_eq!(TradeoffCurve::read_csv(&path).unwrap(), sample());
        std::fs::remove_dir_all(&dir).unwrap();

        let bad = "method,test.accuracy\na,0.5\nb,zero\n";
        let err = TradeoffCurve::read_csv_from(bad.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, EvalError::Parse { line: 3, column: Some(c), .. } if c == "test.accuracy"),
            "{err}"
        );
        let nan = "method,test.accuracy\na,NaN\n";
        assert!(matches!(
            TradeoffCurve::read_csv_from(nan.as_bytes()),
            Err(EvalError::Parse { line: 2, .. })
        ));
        let half = "method,test.accuracy,test.accuracy.lower,test.accuracy.upper\na,0.5,0.4,0.6\n";
        assert!(matches!(
            TradeoffCurve::read_csv_from(half.as_bytes()),
            Err(EvalError::Parse { line: 2, .. })
        ));
        let unknown = "method,holdout.accuracy\na,0.5\n";
        let err = TradeoffCurve::read_csv_from(unknown.as_bytes()).unwrap_err();
        assert!(matches!(&err, EvalError::Parse { line: 1, .. }), "{err}");
        assert!(TradeoffCurve::read_csv(dir.join("missing.csv")).is_err());
    }
}
