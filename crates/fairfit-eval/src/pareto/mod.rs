//! Pareto analysis of trade-off curves on two chosen axes: the non-dominated points, the
//! hypervolume they cover against a stated reference point, and the best performance reachable
//! under a bound on a gap.
//!
//! A point *dominates* another when it is at least as good on both axes and strictly better on
//! one (better as each [`Axis`]'s [`Direction`](crate::curve::Direction) says). Identical points
//! do not dominate each other, so duplicates on the front are all kept.
//!
//! ```
//! use fairfit_eval::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
//! use fairfit_eval::pareto::{hypervolume, pareto_front, Reference};
//! let mut curve = TradeoffCurve::new();
//! for (gap, acc) in [(0.25, 0.75), (0.5, 1.0), (0.5, 0.5)] {
//!     curve.push(CurvePoint::new("m")
//!         .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
//!         .with_metric(Split::Test, names::ACCURACY, acc))?;
//! }
//! let (gap, acc) = (Axis::minimise(names::DP_DIFFERENCE), Axis::maximise(names::ACCURACY));
//! assert_eq!(pareto_front(&curve, &gap, &acc)?, [0, 1]); // (0.5, 0.5) is dominated
//! // Against (gap 1, accuracy 0): 0.75 × 0.75 + 0.5 × 0.25 = 0.6875.
//! assert_eq!(hypervolume(&curve, &gap, &acc, Reference::new(1.0, 0.0))?, 0.6875);
//! # Ok::<(), fairfit_eval::EvalError>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::curve::{Axis, Split, TradeoffCurve};
use crate::error::{EvalError, Result};

/// Whether point `a` dominates point `b` on axes `x` and `y` (coordinates in that order).
pub fn dominates(a: (f64, f64), b: (f64, f64), x: &Axis, y: &Axis) -> bool {
    let (ax, ay, bx, by) = (
        x.oriented(a.0),
        y.oriented(a.1),
        x.oriented(b.0),
        y.oriented(b.1),
    );
    ax >= bx && ay >= by && (ax > bx || ay > by)
}

/// Indices of the non-dominated points of a curve on axes `x` and `y`, ordered by increasing
/// `x` value (ties by increasing `y`), which is the order in which a front is drawn.
///
/// Runs in O(n log n). Fails on an empty curve or when a point lacks either metric.
pub fn pareto_front(curve: &TradeoffCurve, x: &Axis, y: &Axis) -> Result<Vec<usize>> {
    let coords = curve.coordinates(x, y)?;
    Ok(front_of(&coords, x, y))
}

/// The front of plain coordinates; see [`pareto_front`].
pub(crate) fn front_of(coords: &[(f64, f64)], x: &Axis, y: &Axis) -> Vec<usize> {
    // Orient both axes so that larger is better, then sweep in decreasing x: a point is on the
    // front when its y beats every point seen before (or exactly repeats the best one).
    let oriented: Vec<(f64, f64)> = coords
        .iter()
        .map(|&(a, b)| (x.oriented(a), y.oriented(b)))
        .collect();
    let mut order: Vec<usize> = (0..coords.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (oriented[i], oriented[j]);
        b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1))
    });
    let mut front = Vec::new();
    let mut best: Option<(f64, f64)> = None;
    for i in order {
        let p = oriented[i];
        let keep = match best {
            None => true,
            Some(b) => p.1 > b.1 || p == b,
        };
        if keep {
            front.push(i);
            if best.map_or(true, |b| p.1 > b.1) {
                best = Some(p);
            }
        }
    }
    front.sort_by(|&i, &j| {
        coords[i]
            .0
            .total_cmp(&coords[j].0)
            .then(coords[i].1.total_cmp(&coords[j].1))
            .then(i.cmp(&j))
    });
    front
}

/// The corner a hypervolume is measured from: a point worse than every point of the curve on
/// both axes (in the axes' own units, `x` first).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// Value on the first axis.
    pub x: f64,
    /// Value on the second axis.
    pub y: f64,
}

impl Reference {
    /// A reference point from its two coordinates.
    pub fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.x, self.y)
    }
}

/// The area dominated by the curve's points and bounded by `reference` (2-D hypervolume);
/// larger is better. Every point must be at least as good as the reference on both axes,
/// otherwise [`EvalError::ReferenceNotDominated`] names the first point that is not.
pub fn hypervolume(curve: &TradeoffCurve, x: &Axis, y: &Axis, reference: Reference) -> Result<f64> {
    let coords = curve.coordinates(x, y)?;
    hypervolume_of(curve, &coords, x, y, reference)
}

fn hypervolume_of(
    curve: &TradeoffCurve,
    coords: &[(f64, f64)],
    x: &Axis,
    y: &Axis,
    reference: Reference,
) -> Result<f64> {
    if !reference.x.is_finite() || !reference.y.is_finite() {
        return Err(EvalError::InvalidParameter {
            name: "reference",
            reason: format!("reference point {reference} must be finite"),
        });
    }
    let (rx, ry) = (x.oriented(reference.x), y.oriented(reference.y));
    if let Some(i) = coords
        .iter()
        .position(|&(a, b)| x.oriented(a) < rx || y.oriented(b) < ry)
    {
        return Err(EvalError::ReferenceNotDominated {
            ref_x: reference.x,
            ref_y: reference.y,
            method: curve.points()[i].method().to_string(),
            point: i,
            x: coords[i].0,
            y: coords[i].1,
        });
    }
    // Front in decreasing oriented x (hence increasing oriented y): horizontal strips.
    let mut front: Vec<(f64, f64)> = front_of(coords, x, y)
        .into_iter()
        .map(|i| (x.oriented(coords[i].0), y.oriented(coords[i].1)))
        .collect();
    front.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1)));
    let mut area = 0.0;
    let mut floor = ry;
    for (px, py) in front {
        if py > floor {
            area += (px - rx) * (py - floor);
            floor = py;
        }
    }
    Ok(area)
}

/// The point chosen by [`best_at_gap`], with the values it was chosen on and the values reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapSelection {
    /// Index of the chosen point in the curve.
    pub index: usize,
    /// Its method.
    pub method: String,
    /// Its parameters, e.g. `lambda=0.1`.
    pub params: String,
    /// The split the choice was made on (validation when the curve has it).
    pub selected_on: Split,
    /// Performance on the selection split.
    pub selection_performance: f64,
    /// Gap on the selection split.
    pub selection_gap: f64,
    /// Performance on the axes' split (normally test): the number to report.
    pub performance: f64,
    /// Gap on the axes' split: may exceed the bound when the choice was made on validation.
    pub gap: f64,
}

/// The point with the best `performance` among those whose `gap` satisfies the bound: `gap ≤
/// bound` when the gap axis is minimised (a difference), `gap ≥ bound` when it is maximised (a
/// ratio).
///
/// **Selection uses validation when it exists.** When any point carries validation metrics,
/// every point must have both metrics on validation; the constraint and the ranking are then
/// evaluated on validation, and the chosen point's values on the axes' own split (normally test)
/// are reported, so the test set never influences the choice (and the reported test gap may
/// exceed the bound). Without validation metrics the choice is made on the axes' split, which is
/// optimistic; [`GapSelection::selected_on`] says which happened. Ties go to the smaller gap,
/// then the earlier point. `Ok(None)` when no point satisfies the bound.
pub fn best_at_gap(
    curve: &TradeoffCurve,
    performance: &Axis,
    gap: &Axis,
    bound: f64,
) -> Result<Option<GapSelection>> {
    if !bound.is_finite() {
        return Err(EvalError::InvalidParameter {
            name: "bound",
            reason: format!("gap bound must be finite, got {bound}"),
        });
    }
    let reported = curve.coordinates(performance, gap)?;
    let selected_on = if curve.has_validation() {
        Split::Validation
    } else {
        performance.split
    };
    let selection = curve.coordinates(
        &performance.clone().on(selected_on),
        &gap.clone().on(selected_on),
    )?;
    let admissible = |g: f64| gap.oriented(g) >= gap.oriented(bound);
    let best = (0..selection.len())
        .filter(|&i| admissible(selection[i].1))
        .min_by(|&i, &j| {
            let (pi, gi) = selection[i];
            let (pj, gj) = selection[j];
            performance
                .oriented(pj)
                .total_cmp(&performance.oriented(pi))
                .then(gap.oriented(gj).total_cmp(&gap.oriented(gi)))
                .then(i.cmp(&j))
        });
    Ok(best.map(|i| {
        let p = &curve.points()[i];
        GapSelection {
            index: i,
            method: p.method().to_string(),
            params: p.param_label(),
            selected_on,
            selection_performance: selection[i].0,
            selection_gap: selection[i].1,
            performance: reported[i].0,
            gap: reported[i].1,
        }
    }))
}

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
/// use fairfit_eval::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
/// use fairfit_eval::pareto::{Comparison, Reference};
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
/// # Ok::<(), fairfit_eval::EvalError>(())
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
        let csv_err = |source| EvalError::Csv {
            path: "<memory>".into(),
            source,
        };
        let mut w = csv::Writer::from_writer(writer);
        w.write_record(self.header()).map_err(csv_err)?;
        for row in &self.rows {
            w.write_record(Self::cells(row, crate::curve::number))
                .map_err(csv_err)?;
        }
        w.flush().map_err(|source| EvalError::Io {
            path: "<memory>".into(),
            source,
        })
    }

    /// Writes the table as a CSV file, creating parent directories.
    pub fn write_csv(&self, path: impl AsRef<std::path::Path>) -> Result<()> {
        let mut bytes = Vec::new();
        self.write_csv_to(&mut bytes)?;
        crate::curve::write_file(path.as_ref(), &bytes)
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
        write!(f, "{}", crate::curve::aligned(&table))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::{names, CurvePoint};
    use approx::assert_abs_diff_eq;
    use proptest::prelude::*;

    fn axes() -> (Axis, Axis) {
        (
            Axis::minimise(names::DP_DIFFERENCE),
            Axis::maximise(names::ACCURACY),
        )
    }

    fn curve_of(points: &[(f64, f64)]) -> TradeoffCurve {
        TradeoffCurve::from_points(
            points
                .iter()
                .map(|&(gap, acc)| {
                    CurvePoint::new("m")
                        .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
                        .with_metric(Split::Test, names::ACCURACY, acc)
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn front_and_hypervolume_of_a_constructed_set() {
        // Two dominated points: (0.3, 0.84) by (0.2, 0.85); (0.15, 0.75) by (0.1, 0.8).
        let c = curve_of(&[
            (0.1, 0.8),
            (0.2, 0.85),
            (0.05, 0.7),
            (0.3, 0.84),
            (0.15, 0.75),
        ]);
        let (x, y) = axes();
        assert_eq!(pareto_front(&c, &x, &y).unwrap(), [2, 0, 1]);
        // Strips against (0.5, 0.5): 0.45·0.2 + 0.4·0.1 + 0.3·0.05 = 0.145.
        let hv = hypervolume(&c, &x, &y, Reference::new(0.5, 0.5)).unwrap();
        assert_abs_diff_eq!(hv, 0.145, epsilon = 1e-12);
        // Only the front matters: dropping dominated points changes nothing.
        let front_only = curve_of(&[(0.1, 0.8), (0.2, 0.85), (0.05, 0.7)]);
        assert_abs_diff_eq!(
            hypervolume(&front_only, &x, &y, Reference::new(0.5, 0.5)).unwrap(),
            hv,
            epsilon = 1e-15
        );
    }

    #[test]
    fn directions_change_the_front_and_duplicates_stay() {
        let c = curve_of(&[(0.1, 0.8), (0.2, 0.9), (0.1, 0.8), (0.2, 0.7)]);
        let (x, y) = axes();
        assert_eq!(pareto_front(&c, &x, &y).unwrap(), [0, 2, 1]);
        // Maximising both: only (0.2, 0.9) survives.
        let xmax = Axis::maximise(names::DP_DIFFERENCE);
        assert_eq!(pareto_front(&c, &xmax, &y).unwrap(), [1]);
        // Minimising both: (0.1, 0.8) twice and (0.2, 0.7).
        let ymin = Axis::minimise(names::ACCURACY);
        assert_eq!(pareto_front(&c, &x, &ymin).unwrap(), [0, 2, 3]);
        // Hypervolume with maximised x: box from (0, 0) to (0.2, 0.9).
        let hv = hypervolume(&c, &xmax, &y, Reference::new(0.0, 0.0)).unwrap();
        assert_abs_diff_eq!(hv, 0.18, epsilon = 1e-12);
    }

    #[test]
    fn reference_must_be_dominated_and_finite() {
        let c = curve_of(&[(0.1, 0.8), (0.6, 0.9)]);
        let (x, y) = axes();
        let err = hypervolume(&c, &x, &y, Reference::new(0.5, 0.5)).unwrap_err();
        assert!(
            matches!(err, EvalError::ReferenceNotDominated { point: 1, .. }),
            "{err}"
        );
        assert!(matches!(
            hypervolume(&c, &x, &y, Reference::new(f64::NAN, 0.5)),
            Err(EvalError::InvalidParameter { .. })
        ));
        // A point on the reference's edge is allowed and adds nothing.
        let hv = hypervolume(&c, &x, &y, Reference::new(0.6, 0.8)).unwrap();
        assert_abs_diff_eq!(hv, 0.0, epsilon = 1e-15);
        assert!(matches!(
            hypervolume(&TradeoffCurve::new(), &x, &y, Reference::new(1.0, 0.0)),
            Err(EvalError::Empty(_))
        ));
    }

    #[test]
    fn comparison_table_by_hand() {
        let mut c = curve_of(&[(0.1, 0.8), (0.2, 0.85), (0.3, 0.84)]);
        let other = TradeoffCurve::from_points(
            [(0.05, 0.75), (0.15, 0.86)]
                .iter()
                .map(|&(gap, acc)| {
                    CurvePoint::new("n")
                        .with_param("eps", gap)
                        .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
                        .with_metric(Split::Test, names::ACCURACY, acc)
                })
                .collect(),
        )
        .unwrap();
        c.extend(other);
        let (gap, acc) = axes();
        let t = Comparison::new(&c, &acc, &gap, Reference::new(0.5, 0.5), 0.12).unwrap();
        let (m, n) = (&t.rows()[0], &t.rows()[1]);
        assert_eq!((m.points, m.front_points, m.on_joint_front), (3, 2, 1));
        assert_eq!((n.points, n.front_points, n.on_joint_front), (2, 2, 2));
        // m: 0.4·0.3 + 0.3·0.05 = 0.135; n: 0.45·0.25 + 0.35·0.11 = 0.151.
        assert_abs_diff_eq!(m.hypervolume, 0.135, epsilon = 1e-12);
        assert_abs_diff_eq!(n.hypervolume, 0.151, epsilon = 1e-12);
        assert_eq!((m.best_performance, m.best_gap), (0.85, 0.1));
        let at = n.best_at_gap.as_ref().unwrap();
        assert_eq!(
            (at.index, at.performance, at.params.as_str()),
            (3, 0.75, "eps=0.05")
        );
        let mut csv = Vec::new();
        t.write_csv_to(&mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(
            csv.lines().next().unwrap(),
            "method,points,front_points,on_joint_front,hypervolume,best_test.accuracy,\
             best_test.dp_difference,at_gap.params,at_gap.selected_on,at_gap.test.accuracy,\
             at_gap.test.dp_difference"
        );
        assert_eq!(
            csv.lines().nth(1).unwrap(),
            "m,3,2,1,0.135,0.85,0.1,,test,0.8,0.1"
        );
        let json: serde_json::Value = serde_json::from_str(&t.to_json().unwrap()).unwrap();
        assert_eq!(json["rows"][1]["best_at_gap"]["index"], 3);
        let pretty = t.to_string();
        assert!(pretty.contains("0.1510"), "{pretty}");
    }

    #[test]
    fn best_at_gap_chooses_on_validation_and_reports_test() {
        let point = |val: (f64, f64), test: (f64, f64)| {
            CurvePoint::new("m")
                .with_metric(Split::Validation, names::DP_DIFFERENCE, val.0)
                .with_metric(Split::Validation, names::ACCURACY, val.1)
                .with_metric(Split::Test, names::DP_DIFFERENCE, test.0)
                .with_metric(Split::Test, names::ACCURACY, test.1)
        };
        let c = TradeoffCurve::from_points(vec![
            point((0.10, 0.90), (0.01, 0.95)), // best on test, excluded on validation
            point((0.02, 0.80), (0.03, 0.79)),
            point((0.01, 0.85), (0.04, 0.70)),
        ])
        .unwrap();
        let (gap, acc) = axes();
        let s = best_at_gap(&c, &acc, &gap, 0.02).unwrap().unwrap();
        assert_eq!(s.index, 2);
        assert_eq!(s.selected_on, Split::Validation);
        assert_eq!((s.selection_performance, s.selection_gap), (0.85, 0.01));
        assert_eq!((s.performance, s.gap), (0.70, 0.04));
        assert_eq!(best_at_gap(&c, &acc, &gap, 0.001).unwrap(), None);

        // Without validation the choice is made on test.
        let t = curve_of(&[(0.01, 0.95), (0.03, 0.99), (0.01, 0.95)]);
        let s = best_at_gap(&t, &acc, &gap, 0.02).unwrap().unwrap();
        assert_eq!((s.index, s.selected_on), (0, Split::Test));

        // A point without validation metrics in a curve that has them is an error, not a
        // silent fall-back to test.
        let mut mixed = c.clone();
        mixed.extend(curve_of(&[(0.0, 1.0)]));
        assert!(matches!(
            best_at_gap(&mixed, &acc, &gap, 0.02),
            Err(EvalError::MissingMetric {
                point: 3,
                split: Split::Validation,
                ..
            })
        ));
        assert!(best_at_gap(&c, &acc, &gap, f64::NAN).is_err());
        // A ratio axis is maximised: the bound is a floor.
        let ratio = Axis::maximise(names::DP_DIFFERENCE);
        let s = best_at_gap(&t, &acc, &ratio, 0.02).unwrap().unwrap();
        assert_eq!(s.index, 1);
    }

    fn brute_front(coords: &[(f64, f64)], x: &Axis, y: &Axis) -> Vec<usize> {
        (0..coords.len())
            .filter(|&i| !coords.iter().any(|&q| dominates(q, coords[i], x, y)))
            .collect()
    }

    proptest! {
        #[test]
        fn front_is_exactly_the_non_dominated_set(
            pts in prop::collection::vec((0u8..20, 0u8..20), 1..60),
            max_x in any::<bool>(),
            max_y in any::<bool>(),
        ) {
            // Small integer grids make ties and duplicates frequent.
            let coords: Vec<(f64, f64)> =
                pts.iter().map(|&(a, b)| (a as f64 / 20.0, b as f64 / 20.0)).collect();
            let x = if max_x { Axis::maximise("a") } else { Axis::minimise("a") };
            let y = if max_y { Axis::maximise("b") } else { Axis::minimise("b") };
            let front = front_of(&coords, &x, &y);
            for &i in &front {
                prop_assert!(
                    !coords.iter().any(|&q| dominates(q, coords[i], &x, &y)),
                    "front point {i} is dominated"
                );
            }
            for i in 0..coords.len() {
                if !front.contains(&i) {
                    prop_assert!(
                        front.iter().any(|&f| dominates(coords[f], coords[i], &x, &y)),
                        "point {i} is off the front but no front point dominates it"
                    );
                }
            }
            let mut sorted = front.clone();
            sorted.sort_unstable();
            prop_assert_eq!(sorted, brute_front(&coords, &x, &y));
        }
    }
}
