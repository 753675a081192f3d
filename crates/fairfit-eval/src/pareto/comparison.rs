//! [`Comparison`]: a table of methods side by side on one performance and one gap axis.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::hypervolume::hypervolume_of;
use super::{best_at_gap, front_of, GapSelection, Reference};
use crate::curve::{aligned, number, write_csv_records, write_file, Axis, TradeoffCurve};
use crate::error::Result;

/// One method's row of a [`Comparison`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodSummary {
    /// The method.
    pub method: String,
    /// Its number of points.
    pub points: usize,
    /// How many of them are on the method's own front.
    pub front_points: usize,
    /// How many of them are on the front of all methods together.
    pub on_joint_front: usize,
    /// Hypervolume of its points against the comparison's reference.
    pub hypervolume: f64,
    /// Its best performance (any gap).
    pub best_performance: f64,
    /// Its best (smallest, for a minimised gap) gap.
    pub best_gap: f64,
    /// Its best performance under the gap bound, chosen as [`best_at_gap`] does.
    pub best_at_gap: Option<GapSelection>,
}

/// A table comparing methods on one performance axis and one gap axis: front sizes,
/// hypervolume against one reference, best values, and best performance at the gap bound.
///
/// ```
/// use fairfit::eval::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
/// use fairfit::eval::pareto::{Comparison, Reference};
/// let mut curve = TradeoffCurve::new();
/// for (m, gap, acc) in [("a", 0.1, 0.8), ("a", 0.0, 0.7), ("b", 0.05, 0.75)] {
///     curve.push(CurvePoint::new(m)
///         .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
///         .with_metric(Split::Test, names::ACCURACY, acc))?;
/// }
/// let table = Comparison::new(
///     &curve,
///     &Axis::maximise(names::ACCURACY),
///     &Axis::minimise(names::DP_DIFFERENCE),
///     Reference::new(0.2, 0.5),
///     0.06,
/// )?;
/// assert_eq!(table.rows()[1].method, "b");
/// assert_eq!(table.rows()[1].on_joint_front, 1);
/// println!("{table}");
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The performance axis (second coordinate of the reference).
    pub performance: Axis,
    /// The gap axis (first coordinate of the reference).
    pub gap: Axis,
    /// The hypervolume reference, as (gap, performance).
    pub reference: Reference,
    /// The gap bound of the best-at-gap column.
    pub bound: f64,
    rows: Vec<MethodSummary>,
}

impl Comparison {
    /// Compares the methods of `curve` (in order of first appearance). `reference` is given as
    /// (gap, performance), like a point of the trade-off plot.
    pub fn new(
        curve: &TradeoffCurve,
        performance: &Axis,
        gap: &Axis,
        reference: Reference,
        bound: f64,
    ) -> Result<Self> {
        let coords = curve.coordinates(gap, performance)?;
        let joint = front_of(&coords, gap, performance);
        let mut rows = Vec::new();
        for method in curve.methods() {
            let idx = curve.indices_of(method);
            let sub = curve.of_method(method);
            let sub_coords: Vec<(f64, f64)> = idx.iter().map(|&i| coords[i]).collect();
            let pick = |axis: &Axis, k: usize| {
                sub_coords
                    .iter()
                    .map(|c| if k == 0 { c.0 } else { c.1 })
                    .fold(None, |best: Option<f64>, v| match best {
                        Some(b) if !axis.better(v, b) => Some(b),
                        _ => Some(v),
                    })
                    .expect("a method has at least one point")
            };
            rows.push(MethodSummary {
                method: method.to_string(),
                points: idx.len(),
                front_points: front_of(&sub_coords, gap, performance).len(),
                on_joint_front: idx.iter().filter(|i| joint.contains(i)).count(),
                hypervolume: hypervolume_of(&sub, &sub_coords, gap, performance, reference)?,
                best_performance: pick(performance, 1),
                best_gap: pick(gap, 0),
                best_at_gap: best_at_gap(&sub, performance, gap, bound)?.map(|mut s| {
                    s.index = idx[s.index];
                    s
                }),
            });
        }
        Ok(Self {
            performance: performance.clone(),
            gap: gap.clone(),
            reference,
            bound,
            rows,
        })
    }

    /// One row per method.
    pub fn rows(&self) -> &[MethodSummary] {
        &self.rows
    }

    fn header(&self) -> Vec<String> {
        let (p, g) = (self.performance.name(), self.gap.name());
        [
            "method".to_string(),
            "points".into(),
            "front_points".into(),
            "on_joint_front".into(),
            "hypervolume".into(),
            format!("best_{p}"),
            format!("best_{g}"),
            "at_gap.params".into(),
            "at_gap.selected_on".into(),
            format!("at_gap.{p}"),
            format!("at_gap.{g}"),
        ]
        .into()
    }

    fn cells(row: &MethodSummary, fmt: impl Fn(f64) -> String) -> Vec<String> {
        let at = row.best_at_gap.as_ref();
        vec![
            row.method.clone(),
            row.points.to_string(),
            row.front_points.to_string(),
            row.on_joint_front.to_string(),
            fmt(row.hypervolume),
            fmt(row.best_performance),
            fmt(row.best_gap),
            at.map(|s| s.params.clone()).unwrap_or_default(),
            at.map(|s| s.selected_on.to_string()).unwrap_or_default(),
            at.map(|s| fmt(s.performance)).unwrap_or_default(),
            at.map(|s| fmt(s.gap)).unwrap_or_default(),
        ]
    }

    /// Writes the table as CSV (exact numbers; empty best-at-gap cells when no point meets the
    /// bound).
    pub fn write_csv_to<W: std::io::Write>(&self, writer: W) -> Result<()> {
        let rows = self.rows.iter().map(|row| Self::cells(row, number));
        write_csv_records(
            writer,
            Path::new("<memory>"),
            std::iter::once(self.header()).chain(rows),
        )
    }

    /// Writes the table as a CSV file, creating parent directories.
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let mut bytes = Vec::new();
        self.write_csv_to(&mut bytes)?;
        write_file(path.as_ref(), &bytes)
    }

    /// The table as pretty JSON (axes, reference, bound and rows).
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }
}

impl fmt::Display for Comparison {
    /// An aligned text table, numbers to four decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} vs {}; hypervolume from {}; best at {} within {}",
            self.performance.label(),
            self.gap.label(),
            self.reference,
            self.gap.name(),
            self.bound
        )?;
        let mut table = vec![self.header()];
        table.extend(
            self.rows
                .iter()
                .map(|r| Self::cells(r, |v| format!("{v:.4}"))),
        );
        write!(f, "{}", aligned(&table))
    }
}
