//! The search for equalized odds (Hardt et al. 2016, section 4): one common (FPR, TPR) point in
//! the intersection of every group's ROC convex hull, chosen to maximise a linear objective, and
//! each group's rule as a mixture of its threshold points reaching exactly that point.
//!
//! A group's hull is the region between the lower and upper envelopes of its threshold points in
//! ROC space; every point of it is reachable by mixing at most two points on each envelope. The
//! intersection of the hulls is a convex polygon (it always holds the diagonal from (0, 0) to
//! (1, 1)), and a linear objective is maximal at one of its vertices.
//!
//! With a tolerance ε the groups' points need only lie in a common box `[c₁, c₁+ε] × [c₂, c₂+ε]`;
//! that is a small linear program over every group's point (hull edges as inequalities), solved
//! exactly by the simplex method in `lp`.
//!
//! Without randomisation ([`deterministic_within`]) each group takes one of its threshold points,
//! and the box is searched exactly: in an optimal choice the box's corner is the smallest chosen
//! TPR and the smallest chosen FPR, so it suffices to try every group's TPR as `c₁` and, for each,
//! the FPRs of the points whose TPR lies in `[c₁, c₁ + ε]` as `c₂`; given the box, each group
//! takes its best point inside it (a contiguous run of its points, as both rates grow along them).

use fairfit_data::fairness::{LabelCellKernel, Statistic};

use super::error::{PostprocessError, Result};
use super::geometry::{clip_convex, polygon_between, Envelope, Location, Point, EPS};
use super::lp;
use super::rate::{best_window, RangeMax, UtilityFn};
use super::roc::GroupRoc;
use super::rule::{Cutoff, ThresholdRule};

/// The kernels of the rates equalized odds equalises, ROC space's y and x: the TPR and FPR.
fn axes() -> (LabelCellKernel, LabelCellKernel) {
    let kernel = |s: Statistic| {
        s.label_cell_kernel()
            .expect("the TPR and FPR are statistics of decisions, not of scores")
    };
    (
        kernel(Statistic::true_positive_rate()),
        kernel(Statistic::false_positive_rate()),
    )
}

/// One group's hull in ROC space.
struct Hull {
    upper: Envelope,
    lower: Envelope,
}

impl Hull {
    fn new(roc: &GroupRoc) -> Self {
        let (tpr, fpr) = axes();
        let points: Vec<Point> = (0..roc.len())
            .map(|k| (roc.checked_rate(&fpr, k), roc.checked_rate(&tpr, k)))
            .collect();
        Self {
            upper: Envelope::upper(&points),
            lower: Envelope::lower(&points),
        }
    }

    /// Whether `(x, y)` is one of the group's threshold points (no randomisation needed).
    fn is_point(&self, (x, y): Point) -> bool {
        [&self.upper, &self.lower].iter().any(|env| {
            matches!(env.locate(x), Location::Vertex(i)
                if (env.ys[i] - y).abs() <= EPS && (env.xs[i] - x).abs() <= EPS)
        })
    }

    /// The mixture of threshold points whose operating point is `(x, y)`.
    fn rule(&self, roc: &GroupRoc, (x, y): Point) -> ThresholdRule {
        let parts = |env: &Envelope, scale: f64| -> Vec<(Cutoff, f64)> {
            match env.locate(x) {
                Location::Vertex(i) => vec![(roc.cutoffs[env.vertices[i]], scale)],
                Location::Between { left, left_weight } => vec![
                    (roc.cutoffs[env.vertices[left]], scale * left_weight),
                    (
                        roc.cutoffs[env.vertices[left + 1]],
                        scale * (1.0 - left_weight),
                    ),
                ],
            }
        };
        let (top, bottom) = (self.upper.value(x), self.lower.value(x));
        if (top - y).abs() <= EPS || top - bottom <= EPS {
            return ThresholdRule::mixture(parts(&self.upper, 1.0));
        }
        if (y - bottom).abs() <= EPS {
            return ThresholdRule::mixture(parts(&self.lower, 1.0));
        }
        let up = ((y - bottom) / (top - bottom)).clamp(0.0, 1.0);
        let mut all = parts(&self.upper, up);
        all.extend(parts(&self.lower, 1.0 - up));
        ThresholdRule::mixture(all)
    }
}

/// Best rules giving every group the same expected true- and false-positive rates.
pub(crate) fn randomized(rocs: &[GroupRoc], tp_weight: f64, tn_weight: f64) -> Vec<ThresholdRule> {
    let hulls: Vec<Hull> = rocs.iter().map(Hull::new).collect();
    let polygons: Vec<Vec<Point>> = hulls
        .iter()
        .map(|h| polygon_between(&h.lower, &h.upper))
        .collect();
    let mut common = polygons[0].clone();
    for poly in &polygons[1..] {
        common = clip_convex(&common, poly);
    }
    // The diagonal's ends belong to every hull; keep them even if rounding lost them.
    common.extend([(0.0, 0.0), (1.0, 1.0)]);

    // Objective at a common point: Σ_g tp_weight·P_g·y + tn_weight·N_g·(1 − x).
    let slope_y: f64 = rocs.iter().map(|r| tp_weight * r.positives()).sum();
    let slope_x: f64 = rocs.iter().map(|r| tn_weight * r.negatives()).sum();
    let mut best: Option<(f64, usize, Point)> = None;
    for &(x, y) in &common {
        let (x, y) = (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0));
        let value = slope_y * y - slope_x * x;
        let mixed = hulls.iter().filter(|h| !h.is_point((x, y))).count();
        let better = match &best {
            None => true,
            Some((v, m, _)) => value > v + EPS || (value >= v - EPS && mixed < *m),
        };
        if better {
            best = Some((value, mixed, (x, y)));
        }
    }
    let (_, _, point) = best.expect("the candidates always include (0, 0) and (1, 1)");
    hulls
        .iter()
        .zip(rocs)
        .map(|(hull, roc)| hull.rule(roc, point))
        .collect()
}

/// Best rules whose expected true- and false-positive rates each lie within `tolerance` across
/// groups (max − min).
pub(crate) fn randomized_within(
    rocs: &[GroupRoc],
    tp_weight: f64,
    tn_weight: f64,
    tolerance: f64,
) -> Result<Vec<ThresholdRule>> {
    let hulls: Vec<Hull> = rocs.iter().map(Hull::new).collect();
    let g = rocs.len();
    // Variables: x_0, y_0, …, x_{G−1}, y_{G−1}, c₁, c₂ (all ≥ 0 without loss of generality).
    let n = 2 * g + 2;
    let mut objective = vec![0.0; n];
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let mut rhs: Vec<f64> = Vec::new();
    for (k, (hull, roc)) in hulls.iter().zip(rocs).enumerate() {
        let (x, y) = (2 * k, 2 * k + 1);
        objective[x] = -tn_weight * roc.negatives();
        objective[y] = tp_weight * roc.positives();
        // Counter-clockwise edges p → q: the hull lies to the left,
        // dy·x − dx·y ≤ dy·p.x − dx·p.y.
        let poly = polygon_between(&hull.lower, &hull.upper);
        for e in 0..poly.len() {
            let (p, q) = (poly[e], poly[(e + 1) % poly.len()]);
            let (dx, dy) = (q.0 - p.0, q.1 - p.1);
            let norm = (dx * dx + dy * dy).sqrt();
            if norm == 0.0 {
                continue;
            }
            let mut row = vec![0.0; n];
            row[x] = dy / norm;
            row[y] = -dx / norm;
            rows.push(row);
            rhs.push((dy * p.0 - dx * p.1) / norm);
        }
        // c₁ ≤ x ≤ c₁ + ε and c₂ ≤ y ≤ c₂ + ε.
        for (var, c) in [(x, n - 2), (y, n - 1)] {
            let mut upper = vec![0.0; n];
            upper[var] = 1.0;
            upper[c] = -1.0;
            rows.push(upper);
            rhs.push(tolerance);
            let mut lower = vec![0.0; n];
            lower[var] = -1.0;
            lower[c] = 1.0;
            rows.push(lower);
            rhs.push(0.0);
        }
    }
    let v = lp::maximise(&objective, &rows, &rhs).ok_or_else(|| PostprocessError::Numerical {
        what: "the simplex search for equalized odds within a tolerance did not finish".into(),
    })?;
    Ok(hulls
        .iter()
        .zip(rocs)
        .enumerate()
        .map(|(k, (hull, roc))| {
            let point = (v[2 * k].clamp(0.0, 1.0), v[2 * k + 1].clamp(0.0, 1.0));
            hull.rule(roc, point)
        })
        .collect())
}

/// Best single-threshold rules whose true- and false-positive rates each lie within `tolerance`
/// across groups (max − min), by the exact box search described in the module documentation.
/// Selecting nobody in every group is always feasible, so a rule always exists.
pub(crate) fn deterministic_within(
    rocs: &[GroupRoc],
    utility: UtilityFn<'_>,
    tolerance: f64,
) -> Vec<ThresholdRule> {
    let (tpr, fpr) = axes();
    let tprs: Vec<Vec<f64>> = rocs
        .iter()
        .map(|roc| (0..roc.len()).map(|k| roc.checked_rate(&tpr, k)).collect())
        .collect();
    let fprs: Vec<Vec<f64>> = rocs
        .iter()
        .map(|roc| (0..roc.len()).map(|k| roc.checked_rate(&fpr, k)).collect())
        .collect();
    let tables: Vec<RangeMax> = rocs
        .iter()
        .map(|roc| RangeMax::new((0..roc.len()).map(|k| utility(roc, k)).collect()))
        .collect();
    let mut corners: Vec<f64> = tprs.iter().flatten().copied().collect();
    corners.sort_by(f64::total_cmp);
    corners.dedup();

    // Each group's run of points with TPR in [c₁, c₁ + ε] (rates grow along the points) into
    // `runs`; false when some group has no point there.
    let runs_at = |c1: f64, runs: &mut Vec<(usize, usize)>| {
        runs.clear();
        for tpr in &tprs {
            let i = tpr.partition_point(|&v| v < c1 - EPS);
            let j = tpr.partition_point(|&v| v <= c1 + tolerance + EPS);
            if i >= j {
                return false;
            }
            runs.push((i, j));
        }
        true
    };
    // The TPR windows, best first by an upper bound on what they can hold (each group's best
    // point in its run, whatever its FPR): once the bound cannot beat the best box found, no
    // later window can, and the search stops. The order only changes which of two equally good
    // boxes is kept.
    let mut runs = Vec::with_capacity(rocs.len());
    let mut windows: Vec<(f64, f64)> = corners
        .iter()
        .filter_map(|&c1| {
            if !runs_at(c1, &mut runs) {
                return None;
            }
            let bound = runs
                .iter()
                .zip(&tables)
                .map(|(&(i, j), table)| table.values[table.argmax(i, j)])
                .sum::<f64>();
            Some((bound, c1))
        })
        .collect();
    windows.sort_by(|a, b| b.0.total_cmp(&a.0));

    let mut best: Option<(f64, Vec<usize>)> = None;
    let mut fpr_corners = Vec::new();
    for &(bound, c1) in &windows {
        if best.as_ref().is_some_and(|(v, _)| bound <= v + EPS) {
            break;
        }
        runs_at(c1, &mut runs);
        fpr_corners.clear();
        for (fpr, &(i, j)) in fprs.iter().zip(&runs) {
            fpr_corners.extend_from_slice(&fpr[i..j]);
        }
        fpr_corners.sort_by(f64::total_cmp);
        fpr_corners.dedup();
        // Within the TPR window, the FPR windows: the same search on each group's run.
        let in_run: Vec<&[f64]> = fprs
            .iter()
            .zip(&runs)
            .map(|(f, &(i, j))| &f[i..j])
            .collect();
        let offsets: Vec<usize> = runs.iter().map(|&(i, _)| i).collect();
        best_window(
            &in_run,
            &offsets,
            &tables,
            &fpr_corners,
            tolerance,
            &mut best,
        );
    }
    let (_, chosen) = best.expect("the box at (0, 0) holds every group's `select nobody` point");
    chosen
        .iter()
        .zip(rocs)
        .map(|(&k, roc)| ThresholdRule::deterministic(roc.cutoffs[k]))
        .collect()
}
